// @ts-check
'use strict';
/** Random RGB pixels as a PNG: what a photo's noise looks like to deflate (close to incompressible). */
const crypto = require('node:crypto');

const { encodePngFromScanlines } = require('../simulator/png');

/**
 * @param {number} width
 * @param {number} height
 * @param {number} [level] zlib level (default 1)
 */
function noisePng(width, height, level = 1) {
	const stride = 1 + width * 3;
	const raw = crypto.randomBytes(stride * height);
	for (let y = 0; y < height; y++) raw[y * stride] = 0; // filter byte 0 (none) on every scanline
	return encodePngFromScanlines(width, height, raw, level);
}

module.exports = { noisePng };
