import { readFixture } from '../../../support/fixtures.cjs';
import {
	describeBytes,
	ImageScanner,
	readImageInfo,
	sniffFormat,
} from '../../../../nodes/StepFunImage/image/scanner';
import { ImageFormatError } from '../../../../nodes/StepFunImage/image/walker';

/** What the structure check says of a file: its facts, or the problem it found. */
function inspectImage(bytes: Buffer, showBytes = true) {
	try {
		return { info: readImageInfo(bytes, showBytes), problem: undefined };
	} catch (error) {
		const known = error instanceof ImageFormatError;
		return { info: undefined, problem: known ? error.message : `unexpected: ${String(error)}` };
	}
}

function pngChunk(type: string, data: Buffer): Buffer {
	const b = Buffer.alloc(12 + data.length);
	b.writeUInt32BE(data.length, 0);
	b.write(type, 4, 'latin1');
	data.copy(b, 8);
	return b; // CRC left zero: the structure check does not decode
}

function png(width: number, height: number, extra: Buffer[] = []): Buffer {
	const ihdr = Buffer.alloc(13);
	ihdr.writeUInt32BE(width, 0);
	ihdr.writeUInt32BE(height, 4);
	ihdr[8] = 8;
	ihdr[9] = 2;
	return Buffer.concat([
		Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
		pngChunk('IHDR', ihdr),
		...extra,
		pngChunk('IDAT', Buffer.from([1, 2, 3, 4])),
		pngChunk('IEND', Buffer.alloc(0)),
	]);
}

function jpeg(width: number, height: number, sof = 0xc0, scan = [0x12, 0x34]): Buffer {
	// SOI, APP0 (JFIF), DQT stub, SOFn, SOS header, entropy-coded data, EOI
	const app0 = [0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0];
	const dqt = [0xff, 0xdb, 0x00, 0x04, 0x00, 0x00];
	const frame = Buffer.alloc(19);
	frame[0] = 0xff;
	frame[1] = sof;
	frame.writeUInt16BE(17, 2);
	frame[4] = 8;
	frame.writeUInt16BE(height, 5);
	frame.writeUInt16BE(width, 7);
	const sos = [0xff, 0xda, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3f, 0x00];
	return Buffer.concat([
		Buffer.from([0xff, 0xd8, ...app0, ...dqt]),
		frame,
		Buffer.from([...sos, ...scan, 0xff, 0xd9]),
	]);
}

function riff(chunk: string, payload: Buffer): Buffer {
	const b = Buffer.alloc(20 + payload.length);
	b.write('RIFF', 0, 'latin1');
	b.writeUInt32LE(12 + payload.length, 4);
	b.write('WEBP', 8, 'latin1');
	b.write(chunk, 12, 'latin1');
	b.writeUInt32LE(payload.length, 16);
	payload.copy(b, 20);
	return b;
}

function webpVp8(width: number, height: number): Buffer {
	const p = Buffer.alloc(20);
	p[3] = 0x9d;
	p[4] = 0x01;
	p[5] = 0x2a;
	p.writeUInt16LE(width, 6);
	p.writeUInt16LE(height, 8);
	return riff('VP8 ', p);
}

function webpVp8l(width: number, height: number): Buffer {
	const p = Buffer.alloc(16);
	p[0] = 0x2f;
	p.writeUInt32LE(((width - 1) & 0x3fff) | (((height - 1) & 0x3fff) << 14), 1);
	return riff('VP8L', p);
}

function webpVp8x(width: number, height: number): Buffer {
	const p = Buffer.alloc(16);
	p.writeUIntLE(width - 1, 4, 3);
	p.writeUIntLE(height - 1, 7, 3);
	return riff('VP8X', p);
}

const FIXTURES = [
	['input-64x48.png', 'png', 64, 48],
	['input-80x60.jpg', 'jpeg', 80, 60],
	['progressive-120x90.jpg', 'jpeg', 120, 90],
	['input-96x72.webp', 'webp', 96, 72],
	['lossless-70x30.webp', 'webp', 70, 30],
	['extended-100x40.webp', 'webp', 100, 40],
] as const;

describe('image checks: format and size from the header', () => {
	it('reads PNG dimensions from IHDR', () => {
		expect(readImageInfo(png(4096, 3000))).toEqual({
			format: 'png',
			mimeType: 'image/png',
			extension: 'png',
			width: 4096,
			height: 3000,
		});
	});

	it('reads JPEG dimensions from baseline and progressive SOF markers', () => {
		expect(readImageInfo(jpeg(640, 480))).toMatchObject({
			format: 'jpeg',
			width: 640,
			height: 480,
		});
		expect(readImageInfo(jpeg(4097, 12, 0xc2))).toMatchObject({ width: 4097, height: 12 });
	});

	it('does not mistake a DHT segment (C4) for a frame header', () => {
		const dht = Buffer.from([0xff, 0xc4, 0x00, 0x05, 0x00, 0x00, 0x00]);
		const file = jpeg(300, 200);
		const withDht = Buffer.concat([file.subarray(0, 2), dht, file.subarray(2)]);
		expect(readImageInfo(withDht)).toMatchObject({ width: 300, height: 200 });
	});

	it('reads WebP VP8, VP8L and VP8X dimensions', () => {
		expect(readImageInfo(webpVp8(800, 600))).toMatchObject({
			format: 'webp',
			width: 800,
			height: 600,
		});
		expect(readImageInfo(webpVp8l(4096, 4096))).toMatchObject({ width: 4096, height: 4096 });
		expect(readImageInfo(webpVp8x(5000, 20))).toMatchObject({ width: 5000, height: 20 });
	});

	it('sniffs formats from bytes, not names', () => {
		expect(sniffFormat(png(1, 1))).toBe('png');
		expect(sniffFormat(jpeg(1, 1))).toBe('jpeg');
		expect(sniffFormat(webpVp8(1, 1))).toBe('webp');
		expect(sniffFormat(Buffer.from('GIF89a'))).toBeUndefined();
	});

	it.each(FIXTURES)('real file %s is %s %ix%i', (name, format, width, height) => {
		expect(readImageInfo(readFixture(name))).toMatchObject({ format, width, height });
	});
});

describe('image checks: the structure to its end, without decoding', () => {
	it('explains non-images, empty files and zero dimensions', () => {
		expect(inspectImage(Buffer.alloc(0)).problem).toMatch(/empty file \(0 bytes\)/);
		expect(inspectImage(Buffer.from('%PDF-1.7 hello')).problem).toMatch(/PDF document/);
		expect(inspectImage(Buffer.from('GIF89a......')).problem).toMatch(/GIF image/);
		expect(inspectImage(Buffer.from('{"not":"an image"}')).problem).toMatch(/JSON text/);
		expect(inspectImage(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9])).problem).toMatch(
			/9 bytes of unknown content starting with 01 02 03/,
		);
		expect(inspectImage(png(0, 10)).problem).toMatch(/zero dimensions \(0×10\)/);
	});

	it('never shows the bytes of content from the network', () => {
		const secret = Buffer.from('sk-secret-key-bytes!');
		expect(inspectImage(secret, false).problem).toBe(
			`not a PNG, JPEG or WebP image: found ${secret.length} bytes of unknown content`,
		);
		expect(describeBytes(secret, secret.length, false)).not.toMatch(/73 6b/);
	});

	it('refuses a PNG missing its IEND or its image data', () => {
		const full = png(10, 10);
		expect(inspectImage(full.subarray(0, full.length - 12)).problem).toBe(
			'the PNG file is truncated: it ends before its IEND chunk',
		);
		expect(inspectImage(full.subarray(0, 20)).problem).toMatch(
			/PNG file is truncated: its header ends before the image size/,
		);
		const noData = Buffer.concat([full.subarray(0, 33), pngChunk('IEND', Buffer.alloc(0))]);
		expect(inspectImage(noData).problem).toMatch(/no image data \(IDAT chunk\)/);
		const firstNotIhdr = Buffer.concat([full.subarray(0, 8), pngChunk('IDAT', Buffer.alloc(2))]);
		expect(inspectImage(firstNotIhdr).problem).toMatch(/no IHDR header chunk/);
	});

	it('refuses a JPEG cut in the middle of its scan, and follows stuffed bytes and restart markers', () => {
		const scan = [0x01, 0xff, 0x00, 0x02, 0xff, 0xd0, 0x03, 0xff, 0xff, 0xd7, 0x04];
		const full = jpeg(64, 32, 0xc0, scan);
		expect(readImageInfo(full)).toMatchObject({ width: 64, height: 32 });
		expect(inspectImage(full.subarray(0, full.length - 2)).problem).toBe(
			'the JPEG file is truncated: it ends before its end-of-image marker',
		);
		// A stuffed 0xFF00 right before the cut must not count as the end.
		expect(inspectImage(full.subarray(0, full.length - 9)).problem).toMatch(/truncated/);
		const noScan = Buffer.concat([full.subarray(0, 2 + 18 + 6 + 19), Buffer.from([0xff, 0xd9])]);
		expect(inspectImage(noScan).problem).toMatch(/no image data/);
	});

	it('requires the WebP RIFF size to equal the file size', () => {
		const full = webpVp8(10, 10);
		expect(inspectImage(full.subarray(0, full.length - 1)).problem).toMatch(
			/WebP file is truncated: its header announces 40 bytes, the file has 39/,
		);
		expect(inspectImage(Buffer.concat([full, Buffer.alloc(3)])).problem).toMatch(
			/WebP file is corrupt: its header announces 40 bytes, the file has 43/,
		);
	});

	it('accepts bytes after the end marker (as viewers do)', () => {
		expect(readImageInfo(Buffer.concat([png(5, 5), Buffer.from('trailer')]))).toMatchObject({
			width: 5,
		});
		expect(readImageInfo(Buffer.concat([jpeg(5, 6), Buffer.from('trailer')]))).toMatchObject({
			height: 6,
		});
	});

	it.each(FIXTURES)('refuses every truncation of %s', (name) => {
		const bytes = readFixture(name);
		for (let length = 0; length < bytes.length; length++) {
			expect(inspectImage(bytes.subarray(0, length)).info).toBeUndefined();
		}
	});

	it.each(FIXTURES)('gives the same answer for %s pushed one byte at a time', (name) => {
		const bytes = readFixture(name);
		const scanner = new ImageScanner();
		for (const byte of bytes) scanner.push(Uint8Array.of(byte));
		expect(scanner.finish()).toEqual(readImageInfo(bytes));
		expect(scanner.size).toBe(bytes.length);
	});

	it('knows the size as soon as the header has arrived', () => {
		const bytes = readFixture('input-64x48.png');
		const scanner = new ImageScanner();
		scanner.push(bytes.subarray(0, 40));
		expect(scanner.info).toMatchObject({ width: 64, height: 48 });
	});
});
