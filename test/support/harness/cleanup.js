// @ts-check
'use strict';
/** Removing what the harness leaves behind: temp dirs (user folder, binary stores). */

const { resetBinaryData } = require('./binary-data');
const { removeAllTempDirs } = require('./temp-dirs');

/** Removes every temp dir the harness created. Registered with jest's afterAll automatically. */
function cleanup() {
	removeAllTempDirs();
	resetBinaryData();
}

/** Runs cleanup() after the jest test file, or at process exit outside jest. */
function registerCleanup() {
	if (typeof afterAll === 'function') {
		afterAll(() => cleanup());
	} else {
		process.once('exit', () => cleanup());
	}
}

module.exports = { cleanup, registerCleanup };
