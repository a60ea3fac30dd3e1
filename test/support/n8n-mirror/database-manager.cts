// Mirrors n8n 2.41.1 packages/cli/src/binary-data/database.manager.ts
// (dist/binary-data/database.manager.js):
// the "database" binary data mode's manager, which n8n's CLI (not n8n-core) registers with
// `binaryDataService.setManager('database', ...)`, method for method; and the `binary_data` table of
// @n8n/db's BinaryDataRepository it uses, kept outside this process' JS heap the way a database keeps
// its rows: one row is `<fileId>.json` (the columns) and `<fileId>.data` (the `data` column). Reading
// `data` gives a new Buffer each time, and copying a row never passes the bytes through JavaScript.
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Readable } from 'node:stream';

import { BinaryDataFileNotFoundError as NotFound, FileTooLargeError } from 'n8n-core';
import { InvalidSourceTypeError, MissingSourceIdError, TEMP_EXECUTION_ID } from 'n8n-core';
import type { BinaryData } from 'n8n-core';

/** n8n's binaryToBuffer, from the @n8n/backend-network copy n8n-core itself uses. */
const { binaryToBuffer } = createRequire(require.resolve('n8n-core'))('@n8n/backend-network') as {
	binaryToBuffer: (body: Buffer | Readable) => Promise<Buffer>;
};

/** @n8n/db's SourceTypeSchema: the sources a row may belong to. */
// prettier-ignore
export const SOURCE_TYPES = ['execution', 'chat_message_attachment', 'agent_file', 'agent_chat_attachment'];

/** The columns of n8n's BinaryDataFile entity, without `data`. */
export interface RowColumns {
	fileId: string;
	sourceType: string;
	sourceId: string;
	mimeType: string | null;
	fileName: string | null;
	fileSize: number;
	createdAt?: string;
	updatedAt?: string;
}
type Row = RowColumns & { data: Buffer };
/** A `where` as TypeORM takes it: every listed column must match; an array is `In(...)`. */
type Where = Partial<Record<'fileId' | 'sourceType' | 'sourceId', string | string[]>>;

export class BinaryDataRows {
	constructor(readonly dir: string) {
		fs.mkdirSync(dir, { recursive: true });
	}

	/** Where a row's `data` column lives (tests look at it: the bytes are on disk, not in the heap). */
	dataPath(fileId: string): string {
		return path.join(this.dir, `${path.basename(fileId)}.data`);
	}

	private columnsPath(fileId: string): string {
		return path.join(this.dir, `${path.basename(fileId)}.json`);
	}

	private async write(columns: RowColumns): Promise<void> {
		const now = new Date().toISOString();
		const record = { ...columns, createdAt: columns.createdAt ?? now, updatedAt: now };
		await fsp.writeFile(this.columnsPath(columns.fileId), JSON.stringify(record), { flag: 'wx' });
	}

	/** INSERT one row; a duplicate primary key fails as in a database. */
	async insert({ data, ...columns }: Row): Promise<void> {
		await fsp.writeFile(this.dataPath(columns.fileId), data);
		await this.write(columns);
	}

	async columns(fileId: string): Promise<RowColumns | null> {
		const text = await fsp.readFile(this.columnsPath(fileId), 'utf8').catch(() => null);
		return text === null ? null : (JSON.parse(text) as RowColumns);
	}

	/** SELECT the listed columns, or throw as TypeORM's findOneOrFail. */
	async findOneOrFail<C extends keyof Row>(fileId: string, select: C[]): Promise<Pick<Row, C>> {
		const columns = await this.columns(fileId);
		if (!columns) {
			const criteria = JSON.stringify({ where: { fileId }, select }, null, 4);
			const message = `Could not find any entity of type "BinaryDataFile" matching: ${criteria}`;
			throw Object.assign(new Error(message), { name: 'EntityNotFoundError' });
		}
		const out: Partial<Row> = {};
		for (const name of select) {
			if (name === 'data') out.data = await fsp.readFile(this.dataPath(fileId));
			else Object.assign(out, { [name]: columns[name as keyof RowColumns] });
		}
		return out as Pick<Row, C>;
	}

	async scan(): Promise<RowColumns[]> {
		const names = (await fsp.readdir(this.dir)).filter((n) => n.endsWith('.json'));
		const rows = await Promise.all(names.map((n) => this.columns(n.slice(0, -5))));
		return rows.filter((row): row is RowColumns => row !== null);
	}

	async delete(where: Where): Promise<{ affected: number }> {
		const matches = (row: RowColumns) =>
			Object.entries(where).every(([column, wanted]) => {
				const value = row[column as keyof Where];
				return Array.isArray(wanted) ? wanted.includes(value) : value === wanted;
			});
		let affected = 0;
		for (const row of (await this.scan()).filter(matches)) {
			await fsp.rm(this.columnsPath(row.fileId), { force: true });
			await fsp.rm(this.dataPath(row.fileId), { force: true });
			affected++;
		}
		return { affected };
	}

	/** `INSERT INTO binary_data (...) SELECT ... WHERE fileId = <source>`, then whether the target exists
	 * (BinaryDataRepository.copyStoredFile). */
	async copyStoredFile(source: string, target: string, sourceType: string, sourceId: string) {
		const row = await this.columns(source);
		if (row) {
			await fsp.copyFile(this.dataPath(source), this.dataPath(target));
			await this.write({ ...row, fileId: target, sourceType, sourceId, createdAt: undefined });
		}
		return (await this.columns(target)) !== null;
	}

	/** UPDATE the primary key of one row. */
	async updateFileId(fileId: string, newFileId: string): Promise<{ affected: number }> {
		const row = await this.columns(fileId);
		if (!row) return { affected: 0 };
		await fsp.rename(this.dataPath(fileId), this.dataPath(newFileId));
		await this.write({ ...row, fileId: newFileId });
		await fsp.rm(this.columnsPath(fileId), { force: true });
		return { affected: 1 };
	}
}

type Location = BinaryData.FileLocation;
type Metadata = BinaryData.PreWriteMetadata;

export class DatabaseManager implements BinaryData.Manager {
	readonly rows: BinaryDataRows;
	/** BinaryDataConfig's `dbMaxFileSize` (MiB). */
	private readonly maxMiB: number;
	constructor(config: { localStoragePath: string; dbMaxFileSize: number }) {
		this.rows = new BinaryDataRows(path.join(config.localStoragePath, 'binary_data'));
		this.maxMiB = config.dbMaxFileSize;
	}

	async init() {}

	async store(location: Location, body: Buffer | Readable, metadata: Metadata) {
		return await this.insert(location, await binaryToBuffer(body), metadata);
	}

	getPath(fileId: string) {
		return `database://${fileId}`;
	}

	async getAsBuffer(fileId: string) {
		return (await this.rows.findOneOrFail(fileId, ['data'])).data;
	}

	/** One stream of the whole Buffer (n8n ignores the chunk size in this mode). */
	async getAsStream(fileId: string) {
		return Readable.from(await this.getAsBuffer(fileId));
	}

	async getMetadata(fileId: string): Promise<BinaryData.Metadata> {
		const file = await this.rows.findOneOrFail(fileId, ['fileName', 'mimeType', 'fileSize']);
		const [fileName, mimeType] = [file.fileName ?? undefined, file.mimeType ?? undefined];
		return { fileName, mimeType, fileSize: file.fileSize };
	}

	async deleteMany(locations: Location[]) {
		const ids = locations.flatMap((l) => (l.type === 'execution' ? [l.executionId] : []));
		if (ids.length) await this.rows.delete({ sourceType: 'execution', sourceId: ids });
	}

	async deleteManyByFileId(ids: string[]) {
		if (ids.length) await this.rows.delete({ fileId: ids });
	}

	async copyByFileId(target: Location, sourceFileId: string) {
		const fileId = randomUUID();
		const { sourceType, sourceId } = this.toSource(target);
		const copied = await this.rows.copyStoredFile(sourceFileId, fileId, sourceType, sourceId);
		if (!copied) throw new NotFound(sourceFileId);
		return fileId;
	}

	async copyByFilePath(target: Location, sourcePath: string, metadata: Metadata) {
		return await this.insert(target, await fsp.readFile(sourcePath), metadata);
	}

	async rename(oldFileId: string, newFileId: string) {
		const result = await this.rows.updateFileId(oldFileId, newFileId);
		if (result.affected === 0) throw new NotFound(oldFileId);
	}

	/** The size check and INSERT that n8n's store() and copyByFilePath() both make. */
	private async insert(location: Location, data: Buffer, metadata: Metadata) {
		const [fileSizeMb, maxFileSizeMb] = [data.length / (1024 * 1024), this.maxMiB];
		const [fileId, fileName] = [randomUUID(), metadata.fileName];
		if (fileSizeMb > maxFileSizeMb) {
			throw new FileTooLargeError({ fileSizeMb, maxFileSizeMb, fileId, fileName });
		}
		const { sourceType, sourceId } = this.toSource(location);
		const [mimeType, name] = [metadata.mimeType ?? null, fileName ?? null];
		const row = { fileId, sourceType, sourceId, data, fileSize: data.length, mimeType };
		await this.rows.insert({ ...row, fileName: name });
		return { fileId, fileSize: data.length };
	}

	private toSource(location: Location) {
		if (location.type === 'execution') {
			return { sourceType: 'execution', sourceId: location.executionId || TEMP_EXECUTION_ID };
		}
		const { sourceId, pathSegments } = location;
		if (typeof sourceId !== 'string') throw new MissingSourceIdError(pathSegments);
		if (!location.sourceType || !SOURCE_TYPES.includes(location.sourceType)) {
			throw new InvalidSourceTypeError(location.sourceType ?? 'unknown');
		}
		return { sourceType: location.sourceType, sourceId };
	}
}

/** The manager `setManager('database', ...)` registers, its table under the config's storage path. */
export function createDatabaseManager(config: { localStoragePath: string; dbMaxFileSize: number }) {
	return new DatabaseManager(config);
}
