// The format and size of a PNG, JPEG (any SOFn) or WebP (VP8, VP8L, VP8X) from its header alone.
export type ImageFormat = 'png' | 'jpeg' | 'webp';
export type ImageInfo = { format: ImageFormat; mimeType: string; width: number; height: number } & {
	progressive?: boolean;
	sof?: number;
	webp?: 'VP8' | 'VP8L' | 'VP8X';
};

const PNG_MAGIC = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
// prettier-ignore
const JPEG_SOF = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);
const asBuffer = (b: Buffer | Uint8Array) =>
	Buffer.isBuffer(b) ? b : Buffer.from(b.buffer, b.byteOffset, b.byteLength);

export function sniffImage(bytes: Buffer | Uint8Array): ImageFormat | undefined {
	if (!bytes || bytes.length < 12) return undefined;
	const buf = asBuffer(bytes);
	if (buf.subarray(0, 8).equals(PNG_MAGIC)) return 'png';
	if (buf[0] === 0xff && buf[1] === 0xd8 && buf[2] === 0xff) return 'jpeg';
	const webp = buf.toString('ascii', 0, 4) === 'RIFF' && buf.toString('ascii', 8, 12) === 'WEBP';
	return webp ? 'webp' : undefined;
}

function pngSize(buf: Buffer) {
	const ihdr = buf.length >= 24 && buf.toString('ascii', 12, 16) === 'IHDR';
	if (!ihdr) throw new Error('PNG without IHDR');
	return { width: buf.readUInt32BE(16), height: buf.readUInt32BE(20) };
}

function jpegSize(buf: Buffer) {
	let off = 2;
	while (off < buf.length) {
		if (buf[off] !== 0xff) throw new Error(`JPEG: expected marker at ${off}`);
		while (off < buf.length && buf[off] === 0xff) off++; // fill bytes
		if (off >= buf.length) break;
		const marker = buf[off++];
		const standalone = marker === 0xd8 || marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7);
		if (standalone) continue;
		if (marker === 0xd9 || marker === 0xda) throw new Error('JPEG: no SOF before scan data');
		if (off + 2 > buf.length) break;
		const len = buf.readUInt16BE(off);
		if (len < 2) throw new Error('JPEG: bad segment length');
		if (JPEG_SOF.has(marker)) {
			if (off + 7 > buf.length) break;
			const progressive = [0xc2, 0xc6, 0xca, 0xce].includes(marker);
			const [height, width] = [buf.readUInt16BE(off + 3), buf.readUInt16BE(off + 5)];
			return { height, width, sof: marker, progressive };
		}
		off += len;
	}
	throw new Error('JPEG: no SOF marker found');
}

function webpSize(buf: Buffer) {
	if (buf.length < 30) throw new Error('WebP too short');
	const fourcc = buf.toString('ascii', 12, 16);
	if (fourcc === 'VP8 ') {
		// the frame tag (3 bytes) at 20, then the start code 9d 01 2a
		const start = buf[23] === 0x9d && buf[24] === 0x01 && buf[25] === 0x2a;
		if (!start) throw new Error('VP8: bad start code');
		const [width, height] = [buf.readUInt16LE(26) & 0x3fff, buf.readUInt16LE(28) & 0x3fff];
		return { width, height, webp: 'VP8' as const };
	}
	if (fourcc === 'VP8L') {
		if (buf[20] !== 0x2f) throw new Error('VP8L: bad signature');
		const bits = buf.readUInt32LE(21);
		const [width, height] = [(bits & 0x3fff) + 1, ((bits >>> 14) & 0x3fff) + 1];
		return { width, height, webp: 'VP8L' as const };
	}
	const [width, height] = [buf.readUIntLE(24, 3) + 1, buf.readUIntLE(27, 3) + 1];
	if (fourcc === 'VP8X') return { width, height, webp: 'VP8X' as const };
	throw new Error(`WebP: unknown chunk ${JSON.stringify(fourcc)}`);
}

/** Undefined when the bytes are none of the formats; throws when the format's header is unreadable. */
export function imageInfo(bytes: Buffer | Uint8Array): ImageInfo | undefined {
	const format = sniffImage(bytes);
	if (!format) return undefined;
	const buf = asBuffer(bytes);
	const size = format === 'png' ? pngSize(buf) : format === 'jpeg' ? jpegSize(buf) : webpSize(buf);
	return { format, mimeType: `image/${format}`, ...size };
}
