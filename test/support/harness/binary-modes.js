// @ts-check
'use strict';
/**
 * The n8n binary data modes the harness can run in, one entry each. `binary-data.js` builds a real
 * BinaryDataService per entry; adding a mode means adding an entry here (and nothing else).
 */

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
