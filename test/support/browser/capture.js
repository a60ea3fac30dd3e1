// @ts-check
'use strict';
/**
 * Screenshots and what tests need to know about them: PNGs of the page, its HTML beside them when
 * EDITOR_CHECK_DEBUG is set, and pngInfo (read from the PNG header, for .ts tests, which may not use Node
 * built-ins themselves).
 */
const fs = require('node:fs');
const path = require('node:path');

/** @typedef {import('playwright-core').Page} Page */

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/**
 * Screenshots the page as <outDir>/<name>.png (and its HTML as <name>.html when EDITOR_CHECK_DEBUG is set).
 * @param {Page} page
 * @param {string} outDir
 * @param {string} name
 * @param {{ html?: boolean }} [options] html: false skips the debug HTML (screenshots of open lists)
 * @returns {Promise<string>} the PNG's path
 */
async function capture(page, outDir, name, { html = true } = {}) {
	const file = path.join(outDir, `${name}.png`);
	await page.screenshot({ path: file });
	if (html && process.env.EDITOR_CHECK_DEBUG) {
		fs.writeFileSync(path.join(outDir, `${name}.html`), await page.content());
	}
	return file;
}

/**
 * @typedef {object} PngInfo
 * @property {boolean} exists
 * @property {number} bytes
 * @property {boolean} png
 * @property {number} width
 * @property {number} height
 */

/**
 * What a file is, read from its PNG header.
 * @param {string} file
 * @returns {PngInfo}
 */
function pngInfo(file) {
	let buf;
	try {
		buf = fs.readFileSync(file);
	} catch {
		return { exists: false, bytes: 0, png: false, width: 0, height: 0 };
	}
	const png =
		buf.length >= 24 &&
		buf.subarray(0, 8).equals(PNG_SIGNATURE) &&
		buf.toString('latin1', 12, 16) === 'IHDR';
	return {
		exists: true,
		bytes: buf.length,
		png,
		width: png ? buf.readUInt32BE(16) : 0,
		height: png ? buf.readUInt32BE(20) : 0,
	};
}

module.exports = { capture, pngInfo };
