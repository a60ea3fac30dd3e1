// @ts-check
'use strict';
// Node-level helpers for the TypeScript tests (which may not import Node built-ins themselves).

const fs = require('fs');
const path = require('path');
const zlib = require('zlib');

const FIXTURES_DIR = path.join(__dirname, '..', 'fixtures');

/**
 * What a fixture image is.
 * @typedef {object} FixtureInfo
 * @property {'png' | 'jpeg' | 'webp'} format
 * @property {string} mimeType
 * @property {number} width
 * @property {number} height
 */

/** @type {Record<string, FixtureInfo>} */
const FIXTURES = {
	'input-64x48.png': { format: 'png', mimeType: 'image/png', width: 64, height: 48 },
	'input-80x60.jpg': { format: 'jpeg', mimeType: 'image/jpeg', width: 80, height: 60 },
	'progressive-120x90.jpg': { format: 'jpeg', mimeType: 'image/jpeg', width: 120, height: 90 },
	'input-96x72.webp': { format: 'webp', mimeType: 'image/webp', width: 96, height: 72 },
	'lossless-70x30.webp': { format: 'webp', mimeType: 'image/webp', width: 70, height: 30 },
	'extended-100x40.webp': { format: 'webp', mimeType: 'image/webp', width: 100, height: 40 },
};

/**
 * Bytes of a file in test/fixtures.
 * @param {string} name
 * @returns {Buffer}
 */
function readFixture(name) {
	return fs.readFileSync(path.join(FIXTURES_DIR, name));
}

/**
 * Resolve after ms milliseconds (for .ts tests, which may not call setTimeout).
 * @param {number} ms
 * @returns {Promise<void>}
 */
function delay(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * zlib-compress (used to build odd PNGs in tests).
 * @param {Buffer} buf
 * @returns {Buffer}
 */
function deflate(buf) {
	return zlib.deflateSync(buf);
}

module.exports = { FIXTURES_DIR, FIXTURES, readFixture, delay, deflate };
