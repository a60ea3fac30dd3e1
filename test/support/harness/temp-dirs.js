// @ts-check
'use strict';
/** Temp directories the harness creates (n8n user folder, binary store), removed by cleanup(). */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

/** @type {Set<string>} */
const tempDirs = new Set();

/**
 * @param {string} prefix
 * @returns {string}
 */
function makeTempDir(prefix) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	tempDirs.add(dir);
	return dir;
}

/** @param {string} dir */
function removeTempDir(dir) {
	try {
		fs.rmSync(dir, { recursive: true, force: true });
	} catch {
		// best effort
	}
	tempDirs.delete(dir);
}

function removeAllTempDirs() {
	for (const dir of [...tempDirs]) removeTempDir(dir);
}

module.exports = { makeTempDir, removeTempDir, removeAllTempDirs };
