// @ts-check
'use strict';
/**
 * The n8n binary data modes the harness can run in, one entry each. `binary-data.js` builds a real
 * BinaryDataService per entry; adding a mode means adding an entry here (plus, for a mode whose
 * manager n8n's CLI provides rather than n8n-core, a module mirroring that manager).
 */

const { createDatabaseManager, databaseRows } = require('./database-manager');

/** @typedef {import('n8n-core').BinaryDataService} BinaryDataService */
/** @typedef {import('n8n-core').BinaryDataConfig} BinaryDataConfig */

/**
 * The BinaryDataConfig fields BinaryDataService reads.
 * @typedef {Pick<BinaryDataConfig, 'mode' | 'availableModes' | 'localStoragePath' | 'signingSecret' | 'dbMaxFileSize'>} HarnessBinaryDataConfig
 */

/**
 * @typedef {object} BinaryModeDefinition
 * @property {BinaryDataConfig['mode']} configMode `BINARY_DATA_MODE` as n8n's config would hold it.
 * @property {BinaryDataConfig['availableModes']} availableModes `N8N_AVAILABLE_BINARY_DATA_MODES`.
 * @property {(binaryDataId: string) => boolean} [ownsId]
 *   Whether a stored binary id (`<mode>:<fileId>`) belongs to this mode's store; the "default"
 *   mode's service answers for every id no other mode owns.
 * @property {(service: BinaryDataService, config: HarnessBinaryDataConfig) => Promise<void>} [afterInit]
 *   Runs after `service.init()`, e.g. to `service.setManager(...)` a manager n8n-core does not
 *   create itself.
 * @property {(fileId: string, config: HarnessBinaryDataConfig) => string} [filePath]
 *   Where a stored file's bytes are on disk, when `service.getPath()` does not say (tests look there).
 */

const BINARY_MODES = /** @satisfies {Record<string, BinaryModeDefinition>} */ ({
	/** Inline base64 in the item (n8n's "default" / memory mode). */
	default: {
		configMode: 'default',
		availableModes: ['filesystem'],
	},
	/** Files under the harness' temp storage path (ids `filesystem-v2:<workflow>/<execution>/...`). */
	filesystem: {
		configMode: 'filesystem',
		availableModes: ['filesystem'],
		/** @param {string} binaryDataId */
		ownsId: (binaryDataId) => binaryDataId.startsWith('filesystem'),
	},
	/**
	 * Rows of a `binary_data` table (ids `database:<uuid>`), n8n's default in queue mode. n8n's CLI
	 * registers this manager; here it is database-manager.js, its rows files outside the JS heap.
	 */
	database: {
		configMode: 'database',
		availableModes: ['filesystem', 'database'],
		/** @param {string} binaryDataId */
		ownsId: (binaryDataId) => binaryDataId.startsWith('database:'),
		afterInit: async (service, config) => {
			service.setManager('database', await createDatabaseManager(config));
		},
		filePath: (fileId, config) => databaseRows(config).dataPath(fileId),
	},
});

/** @typedef {keyof typeof BINARY_MODES} BinaryMode */

/**
 * @param {unknown} mode
 * @returns {mode is BinaryMode}
 */
function isBinaryMode(mode) {
	return typeof mode === 'string' && Object.hasOwn(BINARY_MODES, mode);
}

/**
 * @param {BinaryMode} mode
 * @returns {BinaryModeDefinition}
 */
function getBinaryModeDefinition(mode) {
	return BINARY_MODES[mode];
}

/**
 * The mode whose store holds a stored binary id ("default" when no mode claims it).
 * @param {string} binaryDataId
 * @returns {BinaryMode}
 */
function binaryModeOfId(binaryDataId) {
	for (const mode of /** @type {BinaryMode[]} */ (Object.keys(BINARY_MODES))) {
		if (getBinaryModeDefinition(mode).ownsId?.(binaryDataId)) return mode;
	}
	return 'default';
}

/** @type {BinaryMode[]} */
const BINARY_MODE_NAMES = /** @type {BinaryMode[]} */ (Object.keys(BINARY_MODES));

module.exports = { BINARY_MODE_NAMES, isBinaryMode, getBinaryModeDefinition, binaryModeOfId };
