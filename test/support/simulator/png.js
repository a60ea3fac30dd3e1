// @ts-check
'use strict';
// Tiny PNG encoder (8-bit RGB, filter 0, zlib) for the StepFun simulator and its synthetic images (a
// hashed pattern, optionally labelled); re-exports the decoder of png-decode.js. Node built-ins only.

const zlib = require('zlib');
const crypto = require('crypto');
const { PNG_SIGNATURE, crc32 } = require('./png-crc');
const { decodePng } = require('./png-decode');
const { drawLabel } = require('./label');

/** @typedef {import('./label').LabelSpec} LabelSpec */
/** @typedef {import('./png-decode').DecodedPng} DecodedPng */

/**
 * @param {string} type
 * @param {Buffer} data
 */
function chunk(type, data) {
	const out = Buffer.alloc(12 + data.length);
	out.writeUInt32BE(data.length, 0);
	out.write(type, 4, 'ascii');
	data.copy(out, 8);
	out.writeUInt32BE(crc32(out, 4, 8 + data.length), 8 + data.length);
	return out;
}

/**
 * Encode raw scanlines (each row: 1 filter byte (0) + width*3 RGB bytes) as a PNG.
 * @param {number} width
 * @param {number} height
 * @param {Buffer} scanlines
 * @param {number} [level] zlib level
 * @returns {Buffer}
 */
function encodePngFromScanlines(width, height, scanlines, level = 1) {
	if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
		throw new RangeError(`bad PNG dimensions ${width}x${height}`);
	}
	if (scanlines.length !== height * (1 + width * 3))
		throw new RangeError('scanline buffer has the wrong size');
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 2; // colour type RGB
	ihdr[10] = 0; // compression
	ihdr[11] = 0; // filter
	ihdr[12] = 0; // interlace
	const idat = zlib.deflateSync(scanlines, { level });
	return Buffer.concat([
		PNG_SIGNATURE,
		chunk('IHDR', ihdr),
		chunk('IDAT', idat),
		chunk('IEND', Buffer.alloc(0)),
	]);
}

/**
 * Expand a hash into a 256-byte table (sha256 chained).
 * @param {string} seedHex
 */
function hashTable(seedHex) {
	const parts = [];
	let h = Buffer.from(seedHex, 'hex');
	for (let i = 0; i < 8; i++) {
		h = crypto.createHash('sha256').update(h).update(String(i)).digest();
		parts.push(h);
	}
	return Buffer.concat(parts);
}

/**
 * Deterministic synthetic image: colour gradient plus a hashed 16x16-block pattern, as PNG scanlines.
 * `key` is any string; same (width, height, key) → identical bytes.
 * @param {number} width
 * @param {number} height
 * @param {string} key
 * @returns {Buffer}
 */
function renderPattern(width, height, key) {
	const digest = crypto.createHash('sha256').update(String(key)).digest();
	const table = hashTable(digest.toString('hex'));
	const h0 = digest[0],
		h1 = digest[1],
		h2 = digest[2],
		h3 = digest[3] & 0x0f;
	const stride = 1 + width * 3;
	const buf = Buffer.allocUnsafe(height * stride);
	const xr = new Uint8Array(width);
	for (let x = 0; x < width; x++) xr[x] = (((x * 256) / width) | 0) + h0;
	for (let y = 0; y < height; y++) {
		let p = y * stride;
		buf[p++] = 0;
		const g = ((((y * 256) / height) | 0) + h1) & 0xff;
		const by = (y >> 4) * 13 + h3;
		for (let x = 0; x < width; x++) {
			const cell = table[((x >> 4) * 7 + by) & 0xff];
			buf[p++] = xr[x];
			buf[p++] = g ^ (cell & 0x1f);
			buf[p++] = cell ^ h2;
		}
	}
	return buf;
}

/**
 * Make a deterministic RGB PNG of the given size (same arguments → same bytes). With `label`, a legible
 * label (label.js) is drawn across the top.
 * @param {number} width
 * @param {number} height
 * @param {string} [key]
 * @param {number} [level] zlib level
 * @param {LabelSpec} [label]
 * @returns {Buffer}
 */
function makePng(width, height, key = 'simulator', level = 1, label = undefined) {
	const scanlines = renderPattern(width, height, key);
	if (label) drawLabel(scanlines, width, height, label);
	return encodePngFromScanlines(width, height, scanlines, level);
}

module.exports = {
	PNG_SIGNATURE,
	crc32,
	encodePngFromScanlines,
	renderPattern,
	makePng,
	decodePng,
};
