// @ts-check
'use strict';
// PNG decoder for tests and tools: non-interlaced 8-bit images, every filter type, CRCs checked.
// Node built-ins only (zlib).

const zlib = require('zlib');
const { PNG_SIGNATURE, crc32 } = require('./png-crc');

/**
 * @typedef {object} DecodedPng
 * @property {number} width
 * @property {number} height
 * @property {number} bitDepth
 * @property {number} colorType
 * @property {number} interlace
 * @property {number | undefined} channels
 * @property {Buffer | undefined} pixels Unfiltered scanlines (no filter bytes); undefined for
 *   unsupported bit depths/interlace.
 */

/**
 * Decode a PNG produced by this encoder (or any non-interlaced 8-bit RGB/RGBA PNG with filter 0 rows;
 * other filters are undone too). Verifies every chunk CRC. Throws on a corrupt PNG.
 * @param {Buffer | Uint8Array} input
 * @returns {DecodedPng}
 */
function decodePng(input) {
	const buf = Buffer.isBuffer(input) ? input : Buffer.from(input);
	if (buf.length < 8 || !buf.subarray(0, 8).equals(PNG_SIGNATURE))
		throw new Error('not a PNG (bad signature)');
	let off = 8;
	/** @type {Buffer | undefined} */
	let ihdr;
	/** @type {Buffer[]} */
	const idats = [];
	let sawEnd = false;
	while (off + 12 <= buf.length) {
		const len = buf.readUInt32BE(off);
		const type = buf.toString('ascii', off + 4, off + 8);
		if (off + 12 + len > buf.length) throw new Error(`truncated chunk ${type}`);
		const crc = buf.readUInt32BE(off + 8 + len);
		if (crc32(buf, off + 4, off + 8 + len) !== crc) throw new Error(`bad CRC in chunk ${type}`);
		const data = buf.subarray(off + 8, off + 8 + len);
		if (type === 'IHDR') ihdr = data;
		else if (type === 'IDAT') idats.push(data);
		else if (type === 'IEND') {
			sawEnd = true;
			break;
		}
		off += 12 + len;
	}
	if (!ihdr) throw new Error('missing IHDR');
	if (!sawEnd) throw new Error('missing IEND');
	const width = ihdr.readUInt32BE(0);
	const height = ihdr.readUInt32BE(4);
	const bitDepth = ihdr[8];
	const colorType = ihdr[9];
	const interlace = ihdr[12];
	/** @type {Record<number, number | undefined>} */
	const CHANNELS = { 0: 1, 2: 3, 4: 2, 6: 4 };
	const channels = CHANNELS[colorType];
	if (bitDepth !== 8 || !channels || interlace !== 0) {
		return { width, height, bitDepth, colorType, interlace, channels, pixels: undefined };
	}
	const raw = zlib.inflateSync(Buffer.concat(idats));
	const bpp = channels;
	const stride = width * bpp;
	if (raw.length !== height * (stride + 1)) throw new Error('IDAT size does not match dimensions');
	const pixels = Buffer.alloc(height * stride);
	for (let y = 0; y < height; y++) {
		const f = raw[y * (stride + 1)];
		const src = y * (stride + 1) + 1;
		const dst = y * stride;
		for (let i = 0; i < stride; i++) {
			const x = raw[src + i];
			const a = i >= bpp ? pixels[dst + i - bpp] : 0;
			const b = y > 0 ? pixels[dst - stride + i] : 0;
			const c = i >= bpp && y > 0 ? pixels[dst - stride + i - bpp] : 0;
			/** @type {number} */
			let v;
			switch (f) {
				case 0:
					v = x;
					break;
				case 1:
					v = x + a;
					break;
				case 2:
					v = x + b;
					break;
				case 3:
					v = x + ((a + b) >> 1);
					break;
				case 4: {
					const p = a + b - c;
					const pa = Math.abs(p - a),
						pb = Math.abs(p - b),
						pc = Math.abs(p - c);
					v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
					break;
				}
				default:
					throw new Error(`bad filter type ${f}`);
			}
			pixels[dst + i] = v & 0xff;
		}
	}
	return { width, height, bitDepth, colorType, interlace, channels, pixels };
}

module.exports = { decodePng };
