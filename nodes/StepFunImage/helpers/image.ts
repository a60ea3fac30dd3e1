// Image format sniffing and header-only dimension reading (PNG, JPEG, WebP): no decoding, no dependencies.

export type ImageFormat = 'png' | 'jpeg' | 'webp';

export interface ImageInfo {
	format: ImageFormat;
	mimeType: string;
	extension: string;
	width: number;
	height: number;
}

const MIME: Record<ImageFormat, { mimeType: string; extension: string }> = {
	png: { mimeType: 'image/png', extension: 'png' },
	jpeg: { mimeType: 'image/jpeg', extension: 'jpg' },
	webp: { mimeType: 'image/webp', extension: 'webp' },
};

export class ImageFormatError extends Error {}

export function sniffFormat(bytes: Uint8Array): ImageFormat | undefined {
	if (
		bytes.length >= 8 &&
		bytes[0] === 0x89 &&
		bytes[1] === 0x50 &&
		bytes[2] === 0x4e &&
		bytes[3] === 0x47 &&
		bytes[4] === 0x0d &&
		bytes[5] === 0x0a &&
		bytes[6] === 0x1a &&
		bytes[7] === 0x0a
	) {
		return 'png';
	}
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
		return 'jpeg';
	if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP')
		return 'webp';
	return undefined;
}

/** Describes what the first bytes look like, for error messages about non-images. */
export function describeBytes(bytes: Uint8Array): string {
	if (bytes.length === 0) return 'an empty file (0 bytes)';
	const head = ascii(bytes, 0, Math.min(bytes.length, 16));
	const known: Array<[RegExp | ((b: Uint8Array) => boolean), string]> = [
		[/^%PDF/, 'a PDF document'],
		[/^GIF8/, 'a GIF image (not supported: use PNG, JPEG or WebP)'],
		[/^BM/, 'a BMP image (not supported: use PNG, JPEG or WebP)'],
		[(b) => b[0] === 0x50 && b[1] === 0x4b, 'a ZIP archive'],
		[/^\s*[{[]/, 'JSON text'],
		[/^\s*</, 'HTML/XML text'],
		[
			(b) => ascii(b, 4, 4) === 'ftyp',
			'an HEIC/AVIF/MP4 file (not supported: use PNG, JPEG or WebP)',
		],
		[/^II\*\0|^MM\0\*/, 'a TIFF image (not supported: use PNG, JPEG or WebP)'],
	];
	for (const [test, label] of known) {
		if (typeof test === 'function' ? test(bytes) : test.test(head))
			return `${label} (${bytes.length} bytes)`;
	}
	const hex = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
	return `${bytes.length} bytes of unknown content starting with ${hex}`;
}

/** Reads format and pixel dimensions from the file header. Throws ImageFormatError with a readable reason. */
export function readImageInfo(bytes: Uint8Array): ImageInfo {
	const format = sniffFormat(bytes);
	if (!format) {
		throw new ImageFormatError(`not a PNG, JPEG or WebP image: found ${describeBytes(bytes)}`);
	}
	const size =
		format === 'png' ? pngSize(bytes) : format === 'jpeg' ? jpegSize(bytes) : webpSize(bytes);
	if (size.width <= 0 || size.height <= 0) {
		throw new ImageFormatError(
			`the ${format.toUpperCase()} header declares zero dimensions (${size.width}×${size.height})`,
		);
	}
	return { format, ...MIME[format], ...size };
}

/** Like readImageInfo, but returns the problem instead of throwing, for callers that report it. */
export function inspectImage(
	bytes: Uint8Array,
): { info: ImageInfo; problem?: undefined } | { info?: undefined; problem: string } {
	try {
		return { info: readImageInfo(bytes) };
	} catch (error) {
		if (error instanceof ImageFormatError) return { problem: error.message };
		return { problem: `its header could not be read (${(error as Error).message})` };
	}
}

function ascii(bytes: Uint8Array, start: number, length: number): string {
	let out = '';
	for (let i = start; i < start + length && i < bytes.length; i++)
		out += String.fromCharCode(bytes[i]);
	return out;
}

function u16be(b: Uint8Array, o: number): number {
	return (b[o] << 8) | b[o + 1];
}

function u32be(b: Uint8Array, o: number): number {
	return ((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
}

function u24le(b: Uint8Array, o: number): number {
	return b[o] | (b[o + 1] << 8) | (b[o + 2] << 16);
}

function truncated(format: string): ImageFormatError {
	return new ImageFormatError(
		`the ${format} file is truncated: its header ends before the image size`,
	);
}

function pngSize(b: Uint8Array): { width: number; height: number } {
	// Signature (8) + IHDR length (4) + "IHDR" (4) + width (4) + height (4)
	if (b.length < 24) throw truncated('PNG');
	if (ascii(b, 12, 4) !== 'IHDR')
		throw new ImageFormatError('the PNG file has no IHDR header chunk');
	return { width: u32be(b, 16), height: u32be(b, 20) };
}

function jpegSize(b: Uint8Array): { width: number; height: number } {
	let o = 2;
	while (o + 4 <= b.length) {
		if (b[o] !== 0xff)
			throw new ImageFormatError('the JPEG file is corrupt: a marker was expected');
		const marker = b[o + 1];
		if (marker === 0xff) {
			o += 1; // fill byte
			continue;
		}
		// Markers without a length field.
		if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
			o += 2;
			continue;
		}
		if (marker === 0xd9 || marker === 0xda) break; // end of image / start of scan before any SOF
		const length = u16be(b, o + 2);
		if (length < 2)
			throw new ImageFormatError('the JPEG file is corrupt: a segment has an invalid length');
		// SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC).
		if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
			if (o + 9 > b.length) throw truncated('JPEG');
			return { height: u16be(b, o + 5), width: u16be(b, o + 7) };
		}
		o += 2 + length;
	}
	throw truncated('JPEG');
}

function webpSize(b: Uint8Array): { width: number; height: number } {
	if (b.length < 30) throw truncated('WebP');
	const chunk = ascii(b, 12, 4);
	if (chunk === 'VP8 ') {
		// Frame tag (3) then start code 9d 01 2a, then 14-bit width and height.
		if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) {
			throw new ImageFormatError('the WebP (VP8) frame header is corrupt');
		}
		return { width: (b[26] | (b[27] << 8)) & 0x3fff, height: (b[28] | (b[29] << 8)) & 0x3fff };
	}
	if (chunk === 'VP8L') {
		if (b[20] !== 0x2f) throw new ImageFormatError('the WebP (VP8L) header is corrupt');
		const bits = b[21] | (b[22] << 8) | (b[23] << 16) | (b[24] << 24);
		return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
	}
	if (chunk === 'VP8X') {
		return { width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
	}
	throw new ImageFormatError(`the WebP file has an unknown first chunk "${chunk}"`);
}
