// @ts-check
'use strict';
// Image sniffing and header-only dimension reading for PNG, JPEG (baseline/progressive/any SOFn) and
// WebP (VP8 lossy, VP8L lossless, VP8X extended). No decoding of pixel data.

const JPEG_SOF = new Set([
	0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf,
]);

/** @typedef {'png' | 'jpeg' | 'webp'} ImageFormat */

/**
 * @typedef {object} ImageInfo
 * @property {ImageFormat} format
 * @property {string} mimeType
 * @property {number} width
 * @property {number} height
 * @property {boolean} [progressive]
 * @property {number} [sof]
 * @property {'VP8' | 'VP8L' | 'VP8X'} [webp]
 */

/**
 * 'png' | 'jpeg' | 'webp' | undefined, from the magic bytes.
 * @param {Buffer | Uint8Array} bytes
 * @returns {ImageFormat | undefined}
 */
function sniffImage(bytes) {
	if (!bytes || bytes.length < 12) return undefined;
	const buf = asBuffer(bytes);
	if (
		buf[0] === 0x89 &&
		buf[1] === 0x50 &&
		buf[2] === 0x4e &&
		buf[3] === 0x47 &&
		buf[4] === 0x0d &&
		buf[5] === 0x0a &&
		buf[6] === 0x1a &&
		buf[7] === 0x0a
	)
		return 'png';
	if (buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
	if (buf.toString('ascii', 0, 4) === 'RIFF' && buf.toString('ascii', 8, 12) === 'WEBP')
		return 'webp';
	return undefined;
}

/**
 * @param {Buffer | Uint8Array} bytes
 * @returns {Buffer}
 */
function asBuffer(bytes) {
	return Buffer.isBuffer(bytes)
		? bytes
		: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** @type {Record<ImageFormat, string>} */
const MIME = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };

/**
 * @param {Buffer} buf
 * @returns {{ width: number; height: number }}
 */
function pngSize(buf) {
	if (buf.length < 24 || buf.toString('ascii', 12, 16) !== 'IHDR')
		throw new Error('PNG without IHDR');
	return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

/**
 * @param {Buffer} buf
 * @returns {{ width: number; height: number; sof: number; progressive: boolean }}
 */
function jpegSize(buf) {
	let off = 2;
	let progressive = false;
	while (off < buf.length) {
		if (buf[off] !== 0xff) throw new Error(`JPEG: expected marker at ${off}`);
		while (off < buf.length && buf[off] === 0xff) off++; // fill bytes
		if (off >= buf.length) break;
		const marker = buf[off++];
		if (marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) continue; // standalone
		if (marker === 0xd9 || marker === 0xda) throw new Error('JPEG: no SOF before scan data');
		if (off + 2 > buf.length) break;
		const len = buf.readUInt16BE(off);
		if (len < 2) throw new Error('JPEG: bad segment length');
		if (JPEG_SOF.has(marker)) {
			if (off + 7 > buf.length) break;
			progressive = marker === 0xc2 || marker === 0xc6 || marker === 0xca || marker === 0xce;
			return {
				height: buf.readUInt16BE(off + 3),
				width: buf.readUInt16BE(off + 5),
				sof: marker,
				progressive,
			};
		}
		off += len;
	}
	throw new Error('JPEG: no SOF marker found');
}

/**
 * @param {Buffer} buf
 * @returns {{ width: number; height: number; webp: 'VP8' | 'VP8L' | 'VP8X' }}
 */
function webpSize(buf) {
	if (buf.length < 30) throw new Error('WebP too short');
	const fourcc = buf.toString('ascii', 12, 16);
	if (fourcc === 'VP8 ') {
		// frame tag (3 bytes) at 20, start code 9d 01 2a at 23
		if (buf[23] !== 0x9d || buf[24] !== 0x01 || buf[25] !== 0x2a)
			throw new Error('VP8: bad start code');
		return {
			width: buf.readUInt16LE(26) & 0x3fff,
			height: buf.readUInt16LE(28) & 0x3fff,
			webp: 'VP8',
		};
	}
	if (fourcc === 'VP8L') {
		if (buf[20] !== 0x2f) throw new Error('VP8L: bad signature');
		const bits = buf.readUInt32LE(21);
		return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1, webp: 'VP8L' };
	}
	if (fourcc === 'VP8X') {
		const w = buf[24] | (buf[25] << 8) | (buf[26] << 16);
		const h = buf[27] | (buf[28] << 8) | (buf[29] << 16);
		return { width: w + 1, height: h + 1, webp: 'VP8X' };
	}
	throw new Error(`WebP: unknown chunk ${JSON.stringify(fourcc)}`);
}

/**
 * {format, mimeType, width, height, ...} for a PNG/JPEG/WebP buffer; undefined if the bytes are not one of
 * those formats; throws if the format is recognised but the header is unreadable.
 * @param {Buffer | Uint8Array} bytes
 * @returns {ImageInfo | undefined}
 */
function imageInfo(bytes) {
	const format = sniffImage(bytes);
	if (!format) return undefined;
	const buf = asBuffer(bytes);
	const dims = format === 'png' ? pngSize(buf) : format === 'jpeg' ? jpegSize(buf) : webpSize(buf);
	return { format, mimeType: MIME[format], ...dims };
}

module.exports = { sniffImage, imageInfo, pngSize, jpegSize, webpSize };
