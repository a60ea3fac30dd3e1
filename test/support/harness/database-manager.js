// @ts-check
'use strict';
/**
 * The "database" binary data mode's manager, mirroring n8n's own DatabaseManager
 * (packages/cli/src/binary-data/database.manager.ts, `n8n/dist/binary-data/database.manager.js`):
 * n8n's CLI, not n8n-core, provides it and registers it with
 * `binaryDataService.setManager('database', ...)`. Method for method:
 *
 * - store: the stream (or Buffer) made one whole Buffer with n8n's binaryToBuffer, its size checked
 *   against `dbMaxFileSize` (MiB; FileTooLargeError), one row inserted; resolves { fileId, fileSize }.
 * - getAsBuffer: the row's `data`, a new Buffer as a database driver returns it; getAsStream:
 *   `Readable.from()` of that Buffer (n8n ignores chunkSize in this mode); getMetadata: the row's
 *   fileName, mimeType, fileSize; getPath: `database://<fileId>`.
 * - deleteMany: the rows of the given executions; deleteManyByFileId; copyByFileId (INSERT ... SELECT,
 *   BinaryDataFileNotFoundError when the source row is missing); copyByFilePath (the file read whole,
 *   the same size check, one row); rename.
 *
 * The rows are files (database-rows.js), outside this process' JS heap like a database's.
 */

const { randomUUID } = require('node:crypto');
const { readFile } = require('node:fs/promises');
const { createRequire } = require('node:module');
const path = require('node:path');
const { Readable } = require('node:stream');

const {
	BinaryDataFileNotFoundError,
	FileTooLargeError,
	InvalidSourceTypeError,
	MissingSourceIdError,
	TEMP_EXECUTION_ID,
} = require('n8n-core');

const { BinaryDataRows } = require('./database-rows');

/** @typedef {import('n8n-core').BinaryData.Manager} Manager */
/** @typedef {import('n8n-core').BinaryData.FileLocation} FileLocation */
/** @typedef {import('n8n-core').BinaryData.PreWriteMetadata} PreWriteMetadata */
/** @typedef {import('n8n-core').BinaryData.Metadata} Metadata */
/** @typedef {import('n8n-core').BinaryData.WriteResult} WriteResult */
/** @typedef {import('./binary-modes').HarnessBinaryDataConfig} HarnessBinaryDataConfig */

/**
 * n8n's binaryToBuffer (@n8n/backend-network), from the copy n8n-core itself uses: a Buffer as is,
 * a stream collected into one Buffer.
 * @type {(body: Buffer | Readable) => Promise<Buffer>}
 */
const binaryToBuffer = createRequire(require.resolve('n8n-core'))(
	'@n8n/backend-network',
).binaryToBuffer;

/** @n8n/db's SourceTypeSchema: the sources a row may belong to. */
const SOURCE_TYPES = [
	'execution',
	'chat_message_attachment',
	'agent_file',
	'agent_chat_attachment',
];

/** @implements {Manager} */
class HarnessDatabaseManager {
	/**
	 * @param {BinaryDataRows} repository the `binary_data` table
	 * @param {{ dbMaxFileSize: number }} config BinaryDataConfig's `dbMaxFileSize` (MiB)
	 */
	constructor(repository, config) {
		this.repository = repository;
		this.config = config;
	}

	async init() {}

	/**
	 * @param {FileLocation} location
	 * @param {Buffer | Readable} bufferOrStream
	 * @param {PreWriteMetadata} metadata
	 * @returns {Promise<WriteResult>}
	 */
	async store(location, bufferOrStream, metadata) {
		const buffer = await binaryToBuffer(bufferOrStream);
		return await this.insert(location, buffer, metadata);
	}

	/** @param {string} fileId */
	getPath(fileId) {
		return `database://${fileId}`;
	}

	/**
	 * @param {string} fileId
	 * @returns {Promise<Buffer>}
	 */
	async getAsBuffer(fileId) {
		const file = await this.repository.findOneOrFail(fileId, ['data']);
		return file.data;
	}

	/**
	 * @param {string} fileId
	 * @param {number} [_chunkSize] ignored, as by n8n
	 * @returns {Promise<Readable>}
	 */
	async getAsStream(fileId, _chunkSize) {
		const buffer = await this.getAsBuffer(fileId);
		return Readable.from(buffer);
	}

	/**
	 * @param {string} fileId
	 * @returns {Promise<Metadata>}
	 */
	async getMetadata(fileId) {
		const file = await this.repository.findOneOrFail(fileId, ['fileName', 'mimeType', 'fileSize']);
		return {
			fileName: file.fileName ?? undefined,
			mimeType: file.mimeType ?? undefined,
			fileSize: file.fileSize,
		};
	}

	/** @param {FileLocation[]} locations */
	async deleteMany(locations) {
		if (locations.length === 0) return;
		const executionIds = locations.flatMap((location) =>
			location.type === 'execution' ? [location.executionId] : [],
		);
		if (executionIds.length === 0) return;
		await this.repository.delete({ sourceType: 'execution', sourceId: executionIds });
	}

	/** @param {string[]} ids */
	async deleteManyByFileId(ids) {
		if (ids.length === 0) return;
		await this.repository.delete({ fileId: ids });
	}

	/**
	 * @param {FileLocation} targetLocation
	 * @param {string} sourceFileId
	 * @returns {Promise<string>}
	 */
	async copyByFileId(targetLocation, sourceFileId) {
		const targetFileId = randomUUID();
		const { sourceType, sourceId } = this.toSource(targetLocation);
		const success = await this.repository.copyStoredFile(
			sourceFileId,
			targetFileId,
			sourceType,
			sourceId,
		);
		if (!success) throw new BinaryDataFileNotFoundError(sourceFileId);
		return targetFileId;
	}

	/**
	 * @param {FileLocation} targetLocation
	 * @param {string} sourcePath
	 * @param {PreWriteMetadata} metadata
	 * @returns {Promise<WriteResult>}
	 */
	async copyByFilePath(targetLocation, sourcePath, metadata) {
		const buffer = await readFile(sourcePath);
		return await this.insert(targetLocation, buffer, metadata);
	}

	/**
	 * @param {string} oldFileId
	 * @param {string} newFileId
	 */
	async rename(oldFileId, newFileId) {
		const result = await this.repository.updateFileId(oldFileId, newFileId);
		if (result.affected === 0) throw new BinaryDataFileNotFoundError(oldFileId);
	}

	/**
	 * The size check and INSERT that store() and copyByFilePath() share in n8n.
	 * @param {FileLocation} location
	 * @param {Buffer} buffer
	 * @param {PreWriteMetadata} metadata
	 * @returns {Promise<WriteResult>}
	 */
	async insert(location, buffer, metadata) {
		const fileSizeBytes = buffer.length;
		const fileSizeMb = fileSizeBytes / (1024 * 1024);
		const fileId = randomUUID();
		if (fileSizeMb > this.config.dbMaxFileSize) {
			throw new FileTooLargeError({
				fileSizeMb,
				maxFileSizeMb: this.config.dbMaxFileSize,
				fileId,
				fileName: metadata.fileName,
			});
		}
		const { sourceType, sourceId } = this.toSource(location);
		await this.repository.insert({
			fileId,
			sourceType,
			sourceId,
			data: buffer,
			mimeType: metadata.mimeType ?? null,
			fileName: metadata.fileName ?? null,
			fileSize: fileSizeBytes,
		});
		return { fileId, fileSize: fileSizeBytes };
	}

	/**
	 * @param {FileLocation} location
	 * @returns {{ sourceType: string, sourceId: string }}
	 */
	toSource(location) {
		if (location.type === 'execution') {
			return { sourceType: 'execution', sourceId: location.executionId || TEMP_EXECUTION_ID };
		}
		if (typeof location.sourceId !== 'string') {
			throw new MissingSourceIdError(location.pathSegments);
		}
		if (!location.sourceType || !SOURCE_TYPES.includes(location.sourceType)) {
			throw new InvalidSourceTypeError(location.sourceType ?? 'unknown');
		}
		return { sourceType: location.sourceType, sourceId: location.sourceId };
	}
}

/**
 * The mode's `binary_data` table: a folder under the service's storage path.
 * @param {Pick<HarnessBinaryDataConfig, 'localStoragePath'>} config
 */
function databaseRows(config) {
	return new BinaryDataRows(path.join(config.localStoragePath, 'binary_data'));
}

/**
 * The manager `setManager('database', ...)` registers, its table under the config's storage path.
 * @param {Pick<HarnessBinaryDataConfig, 'localStoragePath' | 'dbMaxFileSize'>} config
 */
async function createDatabaseManager(config) {
	const manager = new HarnessDatabaseManager(databaseRows(config), config);
	await manager.init();
	return manager;
}

module.exports = { HarnessDatabaseManager, SOURCE_TYPES, createDatabaseManager, databaseRows };
