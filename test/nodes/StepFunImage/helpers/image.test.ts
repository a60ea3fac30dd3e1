import { readFixture } from '../../../simulator/fixtures';
import {
	describeBytes,
	inspectImage,
	readImageInfo,
	sniffFormat,
} from '../../../../nodes/StepFunImage/helpers/image';

function pngHeader(width: number, height: number): Buffer {
	const b = Buffer.alloc(33);
	Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]).copy(b, 0);
	b.writeUInt32BE(13, 8);
	b.write('IHDR', 12, 'latin1');
	b.writeUInt32BE(width, 16);
	b.writeUInt32BE(height, 20);
	return b;
}

function jpegHeader(width: number, height: number, sof = 0xc0): Buffer {
	// SOI, APP0 (JFIF, 16 bytes), DQT stub, SOFn
	const app0 = Buffer.from([
		0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46, 0x00, 0x01, 0x01, 0, 0, 1, 0, 1, 0, 0,
	]);
	const dqt = Buffer.from([0xff, 0xdb, 0x00, 0x04, 0x00, 0x00]);
	const sofSeg = Buffer.alloc(19);
	sofSeg[0] = 0xff;
	sofSeg[1] = sof;
	sofSeg.writeUInt16BE(17, 2);
	sofSeg[4] = 8;
	sofSeg.writeUInt16BE(height, 5);
	sofSeg.writeUInt16BE(width, 7);
	return Buffer.concat([Buffer.from([0xff, 0xd8]), app0, dqt, sofSeg]);
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

describe('image header reading', () => {
	it('reads PNG dimensions from IHDR', () => {
		expect(readImageInfo(pngHeader(4096, 3000))).toMatchObject({
			format: 'png',
			mimeType: 'image/png',
			extension: 'png',
			width: 4096,
			height: 3000,
		});
	});

	it('reads JPEG dimensions from baseline and progressive SOF markers', () => {
		expect(readImageInfo(jpegHeader(640, 480))).toMatchObject({
			format: 'jpeg',
			width: 640,
			height: 480,
		});
		expect(readImageInfo(jpegHeader(4097, 12, 0xc2))).toMatchObject({ width: 4097, height: 12 });
	});

	it('does not mistake a DHT segment (C4) for a frame header', () => {
		const dht = Buffer.from([0xff, 0xc4, 0x00, 0x05, 0x00, 0x00, 0x00]);
		const jpeg = jpegHeader(300, 200);
		const withDht = Buffer.concat([jpeg.subarray(0, 2), dht, jpeg.subarray(2)]);
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
		expect(sniffFormat(pngHeader(1, 1))).toBe('png');
		expect(sniffFormat(jpegHeader(1, 1))).toBe('jpeg');
		expect(sniffFormat(webpVp8(1, 1))).toBe('webp');
		expect(sniffFormat(Buffer.from('GIF89a'))).toBeUndefined();
	});

	it('explains non-images, empty files, truncation and zero dimensions', () => {
		expect(inspectImage(Buffer.alloc(0)).problem).toMatch(/empty file \(0 bytes\)/);
		expect(inspectImage(Buffer.from('%PDF-1.7 hello')).problem).toMatch(/PDF document/);
		expect(inspectImage(Buffer.from('GIF89a......')).problem).toMatch(/GIF image/);
		expect(inspectImage(Buffer.from('{"not":"an image"}')).problem).toMatch(/JSON text/);
		expect(inspectImage(Buffer.from([1, 2, 3, 4, 5, 6, 7, 8, 9])).problem).toMatch(
			/9 bytes of unknown content starting with 01 02 03/,
		);
		expect(inspectImage(pngHeader(10, 10).subarray(0, 20)).problem).toMatch(
			/PNG file is truncated/,
		);
		expect(inspectImage(jpegHeader(10, 10).subarray(0, 30)).problem).toMatch(
			/JPEG file is truncated/,
		);
		expect(inspectImage(webpVp8(10, 10).subarray(0, 16)).problem).toMatch(/WebP file is truncated/);
		expect(inspectImage(pngHeader(0, 10)).problem).toMatch(/zero dimensions \(0×10\)/);
	});

	it('describes unknown bytes without throwing', () => {
		expect(describeBytes(Buffer.from('<html>'))).toMatch(/HTML/);
	});
});

describe('image header reading on real files', () => {
	// Made with ImageMagick and cwebp (see test/fixtures/README.md).
	it.each([
		['input-64x48.png', 'png', 64, 48],
		['input-80x60.jpg', 'jpeg', 80, 60],
		['progressive-120x90.jpg', 'jpeg', 120, 90],
		['input-96x72.webp', 'webp', 96, 72],
		['lossless-70x30.webp', 'webp', 70, 30],
		['extended-100x40.webp', 'webp', 100, 40],
	])('%s is %s %ix%i', (name, format, width, height) => {
		expect(readImageInfo(readFixture(name))).toMatchObject({ format, width, height });
	});
});
