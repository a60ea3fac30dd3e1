// PNG for the simulator and the tests: an encoder (8-bit RGB, filter 0, zlib), the simulator's synthetic
// images (a hashed pattern, optionally labelled), and a decoder (non-interlaced 8-bit, every filter type,
// CRCs checked).
import crypto from 'node:crypto';
import zlib from 'node:zlib';

import { drawLabel, type LabelSpec } from './label.cjs';

export const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

const CRC_TABLE = Uint32Array.from({ length: 256 }, (_, n) => {
	let c = n;
	for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
	return c >>> 0;
});

export function crc32(buf: Buffer | Uint8Array, start = 0, end = buf.length): number {
	let c = 0xffffffff;
	for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ buf[i]) & 0xff] ^ (c >>> 8);
	return (c ^ 0xffffffff) >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
	const out = Buffer.alloc(12 + data.length);
	out.writeUInt32BE(data.length, 0);
	out.write(type, 4, 'ascii');
	data.copy(out, 8);
	out.writeUInt32BE(crc32(out, 4, 8 + data.length), 8 + data.length);
	return out;
}

/** Raw scanlines (each row: filter byte 0, then width*3 RGB bytes) as a PNG. */
export function encodePngFromScanlines(
	width: number,
	height: number,
	scanlines: Buffer,
	level = 1,
): Buffer {
	if (!(Number.isInteger(width) && width > 0 && Number.isInteger(height) && height > 0)) {
		throw new RangeError(`bad PNG dimensions ${width}x${height}`);
	}
	if (scanlines.length !== height * (1 + width * 3))
		throw new RangeError('scanline buffer has the wrong size');
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr.set([8, 2, 0, 0, 0], 8); // bit depth 8, RGB, deflate, filter 0, no interlace
	const idat = zlib.deflateSync(scanlines, { level });
	return Buffer.concat([
		PNG_SIGNATURE,
		chunk('IHDR', ihdr),
		chunk('IDAT', idat),
		chunk('IEND', Buffer.alloc(0)),
	]);
}

/**
 * A deterministic synthetic image as PNG scanlines: a colour gradient and a hashed pattern of 16x16
 * blocks. The same (width, height, key) always gives the same bytes.
 */
export function renderPattern(width: number, height: number, key: string): Buffer {
	const digest = crypto.createHash('sha256').update(String(key)).digest();
	const parts: Buffer[] = [];
	let h = digest;
	for (let i = 0; i < 8; i++)
		parts.push((h = crypto.createHash('sha256').update(h).update(String(i)).digest()));
	const table = Buffer.concat(parts);
	const [h0, h1, h2] = digest;
	const h3 = digest[3] & 0x0f;
	const stride = 1 + width * 3;
	const buf = Buffer.allocUnsafe(height * stride);
	const xr = Uint8Array.from({ length: width }, (_, x) => (((x * 256) / width) | 0) + h0);
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

/** A deterministic RGB PNG (the same arguments give the same bytes); with `label`, labelled across the top. */
export function makePng(
	width: number,
	height: number,
	key = 'simulator',
	level = 1,
	label?: LabelSpec,
): Buffer {
	const scanlines = renderPattern(width, height, key);
	if (label) drawLabel(scanlines, width, height, label);
	return encodePngFromScanlines(width, height, scanlines, level);
}

export interface DecodedPng {
	width: number;
	height: number;
	bitDepth: number;
	colorType: number;
	interlace: number;
	channels: number | undefined;
	/** Unfiltered rows without filter bytes; undefined for other bit depths or interlaced images. */
	pixels: Buffer | undefined;
}

const CHANNELS: Record<number, number | undefined> = { 0: 1, 2: 3, 4: 2, 6: 4 };

/** What a row filter adds to a byte, from its left (a), upper (b) and upper-left (c) neighbours. */
function predict(filter: number, a: number, b: number, c: number): number {
	switch (filter) {
		case 0:
			return 0;
		case 1:
			return a;
		case 2:
			return b;
		case 3:
			return (a + b) >> 1;
		case 4: {
			const p = a + b - c;
			const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
			return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
		}
		default:
			throw new Error(`bad filter type ${filter}`);
	}
}

/** Decodes a non-interlaced 8-bit PNG, every chunk's CRC checked; throws on a corrupt one. */
export function decodePng(input: Buffer | Uint8Array): DecodedPng {
	const buf = Buffer.isBuffer(input) ? input : Buffer.from(input);
	if (buf.length < 8 || !buf.subarray(0, 8).equals(PNG_SIGNATURE))
		throw new Error('not a PNG (bad signature)');
	let off = 8;
	let ihdr: Buffer | undefined;
	const idats: Buffer[] = [];
	let sawEnd = false;
	while (off + 12 <= buf.length && !sawEnd) {
		const len = buf.readUInt32BE(off);
		const type = buf.toString('ascii', off + 4, off + 8);
		if (off + 12 + len > buf.length) throw new Error(`truncated chunk ${type}`);
		if (crc32(buf, off + 4, off + 8 + len) !== buf.readUInt32BE(off + 8 + len))
			throw new Error(`bad CRC in chunk ${type}`);
		const data = buf.subarray(off + 8, off + 8 + len);
		if (type === 'IHDR') ihdr = data;
		else if (type === 'IDAT') idats.push(data);
		sawEnd = type === 'IEND';
		off += 12 + len;
	}
	if (!ihdr) throw new Error('missing IHDR');
	if (!sawEnd) throw new Error('missing IEND');
	const [width, height] = [ihdr.readUInt32BE(0), ihdr.readUInt32BE(4)];
	const [bitDepth, colorType, interlace] = [ihdr[8], ihdr[9], ihdr[12]];
	const channels = CHANNELS[colorType];
	const header = { width, height, bitDepth, colorType, interlace, channels };
	if (bitDepth !== 8 || !channels || interlace !== 0) return { ...header, pixels: undefined };
	const raw = zlib.inflateSync(Buffer.concat(idats));
	const stride = width * channels;
	if (raw.length !== height * (stride + 1)) throw new Error('IDAT size does not match dimensions');
	const pixels = Buffer.alloc(height * stride);
	for (let y = 0; y < height; y++) {
		const filter = raw[y * (stride + 1)];
		const src = y * (stride + 1) + 1;
		const dst = y * stride;
		for (let i = 0; i < stride; i++) {
			const x = raw[src + i];
			const a = i >= channels ? pixels[dst + i - channels] : 0;
			const b = y > 0 ? pixels[dst - stride + i] : 0;
			const c = i >= channels && y > 0 ? pixels[dst - stride + i - channels] : 0;
			pixels[dst + i] = (x + predict(filter, a, b, c)) & 0xff;
		}
	}
	return { ...header, pixels };
}
