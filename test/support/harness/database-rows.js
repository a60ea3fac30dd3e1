// @ts-check
'use strict';
/**
 * The `binary_data` table of n8n's database for the harness' "database" binary mode: what n8n's
 * BinaryDataRepository (@n8n/db, a TypeORM repository) does with it, kept outside this process' JS heap
 * the way a database keeps its rows. One row is two files in a folder: `<fileId>.json` (the other
 * columns) and `<fileId>.data` (the `data` column); the row exists once its `.json` is written.
 *
 * Like a database driver, reading the `data` column gives a new Buffer each time, and copying a row
 * (`INSERT ... SELECT`) never passes the bytes through JavaScript.
 */

const fs = require('node:fs');
const fsp = require('node:fs/promises');
const path = require('node:path');

/**
 * The columns of n8n's BinaryDataFile entity (plus its timestamps), without `data`.
 * @typedef {object} RowColumns
 * @property {string} fileId primary key (uuid)
 * @property {string} sourceType 'execution', 'chat_message_attachment', ...
 * @property {string} sourceId
 * @property {string | null} mimeType
 * @property {string | null} fileName
 * @property {number} fileSize
 * @property {string} [createdAt]
 * @property {string} [updatedAt]
 */

/** @typedef {RowColumns & { data: Buffer }} Row */
/** @typedef {keyof Row} ColumnName */
/**
 * A `where` as TypeORM takes it: every listed column must match; an array is `In(...)`.
 * @typedef {Partial<Record<'fileId' | 'sourceType' | 'sourceId', string | string[]>>} Where
 */

/**
 * What TypeORM's findOneOrFail throws when no row matches.
 */
class EntityNotFoundError extends Error {
	/** @param {unknown} criteria */
	constructor(criteria) {
		super(
			`Could not find any entity of type "BinaryDataFile" matching: ${JSON.stringify(criteria, null, 4)}`,
		);
		this.name = 'EntityNotFoundError';
	}
}

/**
 * @param {RowColumns} row
 * @param {Where} where
 */
function matches(row, where) {
	return Object.entries(where).every(([column, wanted]) => {
		const value = row[/** @type {keyof Where} */ (column)];
		return Array.isArray(wanted) ? wanted.includes(value) : value === wanted;
	});
}

class BinaryDataRows {
	/** @param {string} dir the table's folder (created if missing) */
	constructor(dir) {
		this.dir = dir;
		fs.mkdirSync(dir, { recursive: true });
	}

	/**
	 * Where a row's `data` column lives (tests look at it: the bytes are on disk, not in the heap).
	 * @param {string} fileId
	 */
	dataPath(fileId) {
		return path.join(this.dir, `${path.basename(fileId)}.data`);
	}

	/** @param {string} fileId */
	columnsPath(fileId) {
		return path.join(this.dir, `${path.basename(fileId)}.json`);
	}

	/**
	 * INSERT one row; a duplicate primary key fails as in a database.
	 * @param {Row} row
	 */
	async insert({ data, ...columns }) {
		const now = new Date().toISOString();
		await fsp.writeFile(this.dataPath(columns.fileId), data);
		const record = { ...columns, createdAt: now, updatedAt: now };
		await fsp.writeFile(this.columnsPath(columns.fileId), JSON.stringify(record), { flag: 'wx' });
	}

	/**
	 * The row's columns (not `data`), or null when there is no such row.
	 * @param {string} fileId
	 * @returns {Promise<RowColumns | null>}
	 */
	async columns(fileId) {
		try {
			return JSON.parse(await fsp.readFile(this.columnsPath(fileId), 'utf8'));
		} catch (error) {
			if (/** @type {NodeJS.ErrnoException} */ (error).code === 'ENOENT') return null;
			throw error;
		}
	}

	/**
	 * SELECT the listed columns of the row with this fileId, or throw like findOneOrFail. `data` is
	 * read into a new Buffer on every call, as a database driver returns a blob.
	 * @template {ColumnName} C
	 * @param {string} fileId
	 * @param {C[]} select
	 * @returns {Promise<Pick<Row, C>>}
	 */
	async findOneOrFail(fileId, select) {
		const columns = await this.columns(fileId);
		if (!columns) throw new EntityNotFoundError({ where: { fileId }, select });
		/** @type {Partial<Row>} */
		const out = {};
		for (const name of select) {
			if (name === 'data') out.data = await fsp.readFile(this.dataPath(fileId));
			else Object.assign(out, { [name]: columns[/** @type {keyof RowColumns} */ (name)] });
		}
		return /** @type {Pick<Row, C>} */ (out);
	}

	/**
	 * Every row's columns (a table scan).
	 * @returns {Promise<RowColumns[]>}
	 */
	async scan() {
		const names = await fsp.readdir(this.dir);
		const rows = [];
		for (const name of names) {
			if (!name.endsWith('.json')) continue;
			const row = await this.columns(name.slice(0, -'.json'.length));
			if (row) rows.push(row);
		}
		return rows;
	}

	/**
	 * DELETE the rows matching `where`; resolves how many.
	 * @param {Where} where
	 */
	async delete(where) {
		let affected = 0;
		for (const row of await this.scan()) {
			if (!matches(row, where)) continue;
			await fsp.rm(this.columnsPath(row.fileId), { force: true });
			await fsp.rm(this.dataPath(row.fileId), { force: true });
			affected++;
		}
		return { affected };
	}

	/**
	 * `INSERT INTO binary_data (...) SELECT <target ids>, data, mimeType, fileName, fileSize FROM
	 * binary_data WHERE fileId = <source>`, then whether the target row exists (what n8n's
	 * BinaryDataRepository.copyStoredFile returns). The bytes are copied file to file.
	 * @param {string} sourceFileId
	 * @param {string} targetFileId
	 * @param {string} targetSourceType
	 * @param {string} targetSourceId
	 */
	async copyStoredFile(sourceFileId, targetFileId, targetSourceType, targetSourceId) {
		const source = await this.columns(sourceFileId);
		if (source) {
			const now = new Date().toISOString();
			await fsp.copyFile(this.dataPath(sourceFileId), this.dataPath(targetFileId));
			const record = {
				...source,
				fileId: targetFileId,
				sourceType: targetSourceType,
				sourceId: targetSourceId,
				createdAt: now,
				updatedAt: now,
			};
			await fsp.writeFile(this.columnsPath(targetFileId), JSON.stringify(record), { flag: 'wx' });
		}
		return (await this.columns(targetFileId)) !== null;
	}

	/**
	 * UPDATE the primary key of one row; resolves how many rows changed (0 or 1).
	 * @param {string} fileId
	 * @param {string} newFileId
	 */
	async updateFileId(fileId, newFileId) {
		const row = await this.columns(fileId);
		if (!row) return { affected: 0 };
		await fsp.rename(this.dataPath(fileId), this.dataPath(newFileId));
		const record = { ...row, fileId: newFileId, updatedAt: new Date().toISOString() };
		await fsp.writeFile(this.columnsPath(newFileId), JSON.stringify(record), { flag: 'wx' });
		await fsp.rm(this.columnsPath(fileId), { force: true });
		return { affected: 1 };
	}
}

module.exports = { BinaryDataRows, EntityNotFoundError };
