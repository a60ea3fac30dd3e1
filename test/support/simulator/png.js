'use strict';
// Tiny PNG encoder/decoder (8-bit RGB, filter 0, zlib) for the StepFun simulator.
// Node built-ins only (zlib, crypto).

const zlib = require('zlib');
const crypto = require('crypto');

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = (() => {
	const t = new Uint32Array(256);
	for (let n = 0; n < 256; n++) {
		let c = n;
		for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
		t[n] = c >>> 0;
	}
	return t;
})();

function crc32(buf, start = 0, end = buf.length) {
	let c = 0xffffffff;
	for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

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
 */
function encodePngFromScanlines(width, height, scanlines, level = 1) {
	if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
		throw new RangeError(`bad PNG dimensions ${width}x${height}`);
	}
	if (scanlines.length !== height * (1 + width * 3)) throw new RangeError('scanline buffer has the wrong size');
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8; // bit depth
	ihdr[9] = 2; // colour type RGB
	ihdr[10] = 0; // compression
	ihdr[11] = 0; // filter
	ihdr[12] = 0; // interlace
	const idat = zlib.deflateSync(scanlines, { level });
	return Buffer.concat([PNG_SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}

/** Expand a hash into a 256-byte table (sha256 chained). */
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
 * Deterministic synthetic image: colour gradient plus a hashed 16x16-block pattern.
 * `key` is any string; same (width, height, key) → identical bytes.
 */
function renderPattern(width, height, key) {
	const digest = crypto.createHash('sha256').update(String(key)).digest();
	const table = hashTable(digest.toString('hex'));
	const h0 = digest[0], h1 = digest[1], h2 = digest[2], h3 = digest[3] & 0x0f;
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

/** Make a deterministic RGB PNG of the given size. */
function makePng(width, height, key = 'simulator', level = 1) {
	return encodePngFromScanlines(width, height, renderPattern(width, height, key), level);
}

/**
 * Decode a PNG produced by this encoder (or any non-interlaced 8-bit RGB/RGBA PNG with filter 0 rows;
 * other filters are undone too). Verifies every chunk CRC. Returns {width, height, bitDepth, colorType,
 * interlace, channels, pixels (scanlines without filter bytes)}.
 */
function decodePng(buf) {
	if (!Buffer.isBuffer(buf)) buf = Buffer.from(buf);
	if (buf.length < 8 || !buf.subarray(0, 8).equals(PNG_SIGNATURE)) throw new Error('not a PNG (bad signature)');
	let off = 8;
	let ihdr;
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
	const channels = { 0: 1, 2: 3, 4: 2, 6: 4 }[colorType];
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
			let v;
			switch (f) {
				case 0: v = x; break;
				case 1: v = x + a; break;
				case 2: v = x + b; break;
				case 3: v = x + ((a + b) >> 1); break;
				case 4: {
					const p = a + b - c;
					const pa = Math.abs(p - a), pb = Math.abs(p - b), pc = Math.abs(p - c);
					v = x + (pa <= pb && pa <= pc ? a : pb <= pc ? b : c);
					break;
				}
				default: throw new Error(`bad filter type ${f}`);
			}
			pixels[dst + i] = v & 0xff;
		}
	}
	return { width, height, bitDepth, colorType, interlace, channels, pixels };
}

module.exports = { PNG_SIGNATURE, crc32, encodePngFromScanlines, renderPattern, makePng, decodePng };
