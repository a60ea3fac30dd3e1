// Image checks without decoding pixels (PNG, JPEG, WebP): the format from the first bytes, the size
// from the header, and the file's structure to its end, so a truncated file is refused before
// anything is paid. Incremental: bytes can be pushed as they arrive.
import { createParser, type ImageFormat } from './formats';
import { ascii, ImageFormatError, type FormatParser } from './walker';

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

const SNIFF_BYTES = 12;

export function sniffFormat(bytes: Uint8Array): ImageFormat | undefined {
	const png = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
	if (bytes.length >= 8 && png.every((b, i) => bytes[i] === b)) return 'png';
	if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff)
		return 'jpeg';
	if (bytes.length >= 12 && ascii(bytes, 0, 4) === 'RIFF' && ascii(bytes, 8, 4) === 'WEBP')
		return 'webp';
	return undefined;
}

/**
 * Describes what bytes that are not an image look like; `total` is the file's size when known (a
 * stream is judged by its first bytes). `showBytes` adds the first bytes in hex: only for the
 * user's own files, never for content from the network.
 */
export function describeBytes(
	bytes: Uint8Array,
	total: number | undefined,
	showBytes = true,
): string {
	if (total === 0) return 'an empty file (0 bytes)';
	const size = total === undefined ? '' : ` (${total} bytes)`;
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
		if (typeof test === 'function' ? test(bytes) : test.test(head)) return `${label}${size}`;
	}
	const content =
		total === undefined ? 'content of an unknown kind' : `${total} bytes of unknown content`;
	if (!showBytes) return content;
	const hex = Array.from(bytes.subarray(0, 8), (b) => b.toString(16).padStart(2, '0')).join(' ');
	return `${content} starting with ${hex}`;
}

/**
 * Checks an image as its bytes arrive. `info` is known once the header has been seen (so a
 * too-large image can be refused early); `finish()` confirms the structure is complete.
 */
export class ImageScanner {
	private head: Uint8Array[] = [];
	private headLength = 0;
	private parser: FormatParser | undefined;
	private format_: ImageFormat | undefined;
	private total = 0;

	/**
	 * @param showBytes name the first bytes of a non-image (only for the user's own files)
	 * @param knownSize the whole file's size, when known before it has all arrived
	 */
	constructor(
		private readonly showBytes = true,
		private readonly knownSize?: number,
	) {}

	get size(): number {
		return this.total;
	}

	/** The format, once the first bytes have been seen. */
	get format(): ImageFormat | undefined {
		return this.format_;
	}

	/** Mime type and file extension, once the format is known. */
	get type(): { mimeType: string; extension: string } | undefined {
		return this.format_ ? MIME[this.format_] : undefined;
	}

	/** Format and dimensions, once the header has been read. */
	get info(): ImageInfo | undefined {
		const size = this.parser?.size;
		if (!this.format_ || !size) return undefined;
		return { format: this.format_, ...MIME[this.format_], ...size };
	}

	push(chunk: Uint8Array): void {
		this.total += chunk.length;
		if (this.parser) {
			this.parser.push(chunk);
			return;
		}
		this.head.push(chunk);
		this.headLength += chunk.length;
		if (this.headLength >= SNIFF_BYTES) this.start(false);
	}

	/** The image's format and size; throws ImageFormatError when it is not a complete image. */
	finish(): ImageInfo {
		if (!this.parser) this.start(true);
		this.parser!.finish(this.total);
		const info = this.info;
		if (!info) throw new ImageFormatError(`the ${this.format_} header could not be read`);
		if (info.width <= 0 || info.height <= 0) {
			throw new ImageFormatError(
				`the ${info.format.toUpperCase()} header declares zero dimensions (${info.width}×${info.height})`,
			);
		}
		return info;
	}

	/** Sniffs the format from the first bytes; `ended` when they are all there is. */
	private start(ended: boolean): void {
		const head = this.head.length === 1 ? this.head[0] : concat(this.head, this.headLength);
		this.head = [];
		this.format_ = sniffFormat(head);
		if (!this.format_) {
			throw new ImageFormatError(
				`not a PNG, JPEG or WebP image: found ${describeBytes(head, ended ? this.total : this.knownSize, this.showBytes)}`,
			);
		}
		this.parser = createParser(this.format_);
		this.parser.push(head);
	}
}

/** Checks a whole file: its format, size and complete structure. Throws ImageFormatError. */
export function readImageInfo(bytes: Uint8Array, showBytes = true): ImageInfo {
	const scanner = new ImageScanner(showBytes, bytes.length);
	scanner.push(bytes);
	return scanner.finish();
}

function concat(parts: Uint8Array[], length: number): Uint8Array {
	const out = new Uint8Array(length);
	let offset = 0;
	for (const part of parts) {
		out.set(part, offset);
		offset += part.length;
	}
	return out;
}
