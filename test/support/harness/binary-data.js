// @ts-check
'use strict';
/**
 * Binary data: n8n-core's real BinaryDataService, one per binary mode (see binary-modes.js), made the
 * one n8n-core's helpers use (`Container.get(BinaryDataService)`).
 */

const path = require('node:path');

const { BinaryDataService } = require('n8n-core');
const { UnexpectedError } = require('n8n-workflow');

const { Container, bootstrap, coreLogger, errorReporter } = require('./bootstrap');
const {
	BINARY_MODE_NAMES,
	binaryModeOfId,
	getBinaryModeDefinition,
	isBinaryMode,
} = require('./binary-modes');
const { makeTempDir } = require('./temp-dirs');

/** @typedef {import('./binary-modes').BinaryMode} BinaryMode */
/** @typedef {import('./binary-modes').HarnessBinaryDataConfig} HarnessBinaryDataConfig */

/**
 * @typedef {object} BinaryStore
 * @property {BinaryDataService} service
 * @property {HarnessBinaryDataConfig} config
 */

/** @type {Partial<Record<BinaryMode, BinaryStore>>} */
const binaryStores = {};
/** @type {string | undefined} */
let binaryStorageRoot;

/**
 * Returns n8n-core's real BinaryDataService for the mode and makes it the one n8n-core's helpers use
 * (`Container.get(BinaryDataService)`). Runs must not overlap with different modes.
 * @param {BinaryMode} mode
 * @returns {Promise<BinaryDataService>}
 */
async function useBinaryDataMode(mode) {
	bootstrap();
	if (!isBinaryMode(mode)) {
		const names = BINARY_MODE_NAMES.map((name) => `"${name}"`).join(' or ');
		throw new UnexpectedError(`Unsupported binary mode "${mode}" (use ${names})`);
	}
	let store = binaryStores[mode];
	if (!store) {
		const definition = getBinaryModeDefinition(mode);
		binaryStorageRoot ??= makeTempDir('n8n-harness-binary-');
		/** @type {HarnessBinaryDataConfig} */
		const config = {
			mode: definition.configMode,
			availableModes: definition.availableModes,
			localStoragePath: path.join(binaryStorageRoot, mode),
			signingSecret: 'n8n-harness-signing-secret',
			dbMaxFileSize: 512,
		};
		// BinaryDataService only reads these fields of its BinaryDataConfig.
		const serviceConfig = /** @type {import('n8n-core').BinaryDataConfig} */ (config);
		const service = new BinaryDataService(serviceConfig, errorReporter, coreLogger);
		await service.init();
		await definition.afterInit?.(service, config);
		store = { service, config };
		binaryStores[mode] = store;
	}
	Container.set(BinaryDataService, store.service);
	return store.service;
}

/**
 * Storage path of a mode's store (for tests that want to look at the files).
 * @param {BinaryMode} [mode]
 * @returns {string | undefined}
 */
function getBinaryStoragePath(mode = 'filesystem') {
	return binaryStores[mode]?.config.localStoragePath;
}

/**
 * Absolute on-disk path of a stored binary id: BinaryDataService.getPath for filesystem mode, the
 * mode's own `filePath` otherwise (database mode: the file holding the row's data).
 * @param {string} binaryDataId
 * @returns {string}
 */
function getBinaryFilePath(binaryDataId) {
	const mode = binaryModeOfId(binaryDataId);
	const store = binaryStores[mode];
	const filePath = getBinaryModeDefinition(mode).filePath;
	if (store && filePath)
		return filePath(binaryDataId.slice(binaryDataId.indexOf(':') + 1), store.config);
	const service = store?.service ?? Container.get(BinaryDataService);
	return service.getPath(binaryDataId);
}

/** Forgets every service (their storage is removed with the harness temp dirs). */
function resetBinaryData() {
	for (const key of /** @type {BinaryMode[]} */ (Object.keys(binaryStores))) {
		delete binaryStores[key];
	}
	binaryStorageRoot = undefined;
}

module.exports = { useBinaryDataMode, getBinaryStoragePath, getBinaryFilePath, resetBinaryData };
