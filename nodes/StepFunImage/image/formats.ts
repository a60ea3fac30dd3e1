// Structure walkers for PNG, JPEG and WebP. Each reads the header for the size and follows the
// file's own framing to its end (PNG chunks to IEND, JPEG segments and scans to EOI, the WebP RIFF
// length) without decoding a pixel. They take bytes in any slicing, so a stream can be checked as
// it arrives.

import {
	ascii,
	ImageFormatError,
	TruncatedImageError,
	u16be,
	u16le,
	u24le,
	u32be,
	u32le,
	Walker,
	type FormatParser,
} from './walker';

export type ImageFormat = 'png' | 'jpeg' | 'webp';

export function createParser(format: ImageFormat): FormatParser {
	if (format === 'png') return new PngParser();
	if (format === 'jpeg') return new JpegParser();
	return new WebpParser();
}

const truncated = (format: string, where: string) =>
	new TruncatedImageError(`the ${format} file is truncated: ${where}`);

class PngParser extends Walker {
	private state: 'signature' | 'chunk' | 'ihdr' | 'end' = 'signature';
	private chunks = 0;
	private hasData = false;
	private afterIhdr = 0;

	constructor() {
		super();
		this.need(8);
	}

	protected onField(b: Uint8Array): void {
		if (this.state === 'signature') {
			this.state = 'chunk';
			this.need(8);
		} else if (this.state === 'ihdr') {
			this.size = { width: u32be(b, 0), height: u32be(b, 4) };
			this.state = 'chunk';
			this.skipBytes(this.afterIhdr);
			this.need(8);
		} else {
			const length = u32be(b, 0);
			const type = ascii(b, 4, 4);
			if (length > 0x7fffffff || !/^[A-Za-z]{4}$/.test(type)) {
				throw new ImageFormatError('the PNG file is corrupt: a chunk header is invalid');
			}
			if (this.chunks++ === 0 && (type !== 'IHDR' || length < 13)) {
				throw new ImageFormatError('the PNG file has no IHDR header chunk');
			}
			if (type === 'IDAT') this.hasData = true;
			if (type === 'IHDR') {
				this.state = 'ihdr';
				this.afterIhdr = length - 13 + 4; // the rest of the data, then the CRC
				this.need(13);
			} else if (type === 'IEND') {
				this.state = 'end';
				this.skipBytes(length + 4);
			} else {
				this.skipBytes(length + 4);
				this.need(8);
			}
		}
	}

	/** After IEND: trailing bytes are ignored. */
	protected scan(chunk: Uint8Array): number {
		return chunk.length;
	}

	finish(): void {
		if (!this.size) throw truncated('PNG', 'its header ends before the image size');
		if (this.state !== 'end' || this.pending) {
			throw truncated('PNG', 'it ends before its IEND chunk');
		}
		if (!this.hasData) throw new ImageFormatError('the PNG file has no image data (IDAT chunk)');
	}
}

class JpegParser extends Walker {
	private state: 'soi' | 'marker' | 'code' | 'length' | 'frame' | 'scan' | 'end' = 'soi';
	private marker = 0;
	private frameRest = 0;
	private sawFF = false;
	private hasScan = false;

	constructor() {
		super();
		this.need(2);
	}

	protected onField(b: Uint8Array): void {
		switch (this.state) {
			case 'soi':
				this.toMarker();
				return;
			case 'marker':
				if (b[0] !== 0xff) {
					throw new ImageFormatError('the JPEG file is corrupt: a marker was expected');
				}
				this.state = 'code';
				this.need(1);
				return;
			case 'code':
				if (b[0] === 0xff)
					this.need(1); // fill byte
				else this.onMarker(b[0]);
				return;
			case 'length': {
				const length = u16be(b, 0);
				if (length < 2)
					throw new ImageFormatError('the JPEG file is corrupt: a segment has an invalid length');
				if (isFrameMarker(this.marker)) {
					if (length < 7) throw new ImageFormatError('the JPEG frame header is corrupt');
					this.frameRest = length - 7;
					this.state = 'frame';
					this.need(5);
				} else if (this.marker === 0xda) {
					if (!this.size) {
						throw new ImageFormatError('the JPEG file has no frame header before its image data');
					}
					this.skipBytes(length - 2);
					this.state = 'scan';
					this.hasScan = true;
				} else {
					this.skipBytes(length - 2);
					this.toMarker();
				}
				return;
			}
			case 'frame':
				this.size = { height: u16be(b, 1), width: u16be(b, 3) };
				this.skipBytes(this.frameRest);
				this.toMarker();
				return;
		}
	}

	/** Entropy-coded data: only a 0xFF followed by a real marker ends it (0x00 and RSTn do not). */
	protected scan(chunk: Uint8Array, pos: number): number {
		if (this.state !== 'scan') return chunk.length;
		while (pos < chunk.length) {
			if (this.sawFF) {
				const code = chunk[pos++];
				if (code === 0xff) continue;
				this.sawFF = false;
				if (code === 0x00 || (code >= 0xd0 && code <= 0xd7)) continue;
				this.onMarker(code);
				return pos;
			}
			const next = chunk.indexOf(0xff, pos);
			if (next === -1) return chunk.length;
			this.sawFF = true;
			pos = next + 1;
		}
		return pos;
	}

	private onMarker(code: number): void {
		if (code === 0xd9) {
			this.state = 'end';
		} else if (code === 0x01 || (code >= 0xd0 && code <= 0xd7)) {
			this.toMarker();
		} else if (code === 0xd8) {
			throw new ImageFormatError('the JPEG file is corrupt: a second start-of-image marker');
		} else {
			this.marker = code;
			this.state = 'length';
			this.need(2);
		}
	}

	private toMarker(): void {
		this.state = 'marker';
		this.need(1);
	}

	finish(): void {
		if (!this.size) throw truncated('JPEG', 'its header ends before the image size');
		if (this.state !== 'end') throw truncated('JPEG', 'it ends before its end-of-image marker');
		if (!this.hasScan) throw new ImageFormatError('the JPEG file has no image data (no scan)');
	}
}

class WebpParser extends Walker {
	private riffSize = 0;

	constructor() {
		super();
		this.need(30);
	}

	protected onField(b: Uint8Array): void {
		this.riffSize = u32le(b, 4);
		const chunk = ascii(b, 12, 4);
		if (chunk === 'VP8 ') {
			// Frame tag (3) then start code 9d 01 2a, then 14-bit width and height.
			if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) {
				throw new ImageFormatError('the WebP (VP8) frame header is corrupt');
			}
			this.size = { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff };
		} else if (chunk === 'VP8L') {
			if (b[20] !== 0x2f) throw new ImageFormatError('the WebP (VP8L) header is corrupt');
			const bits = u32le(b, 21);
			this.size = { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
		} else if (chunk === 'VP8X') {
			this.size = { width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 };
		} else {
			throw new ImageFormatError(`the WebP file has an unknown first chunk "${chunk}"`);
		}
	}

	/** After the header only the length counts (checked in finish). */
	protected scan(chunk: Uint8Array): number {
		return chunk.length;
	}

	finish(total: number): void {
		if (!this.size) throw truncated('WebP', 'its header ends before the image size');
		const expected = this.riffSize + 8;
		if (total < expected) {
			throw truncated('WebP', `its header announces ${expected} bytes, the file has ${total}`);
		}
		if (total > expected) {
			throw new ImageFormatError(
				`the WebP file is corrupt: its header announces ${expected} bytes, the file has ${total}`,
			);
		}
	}
}

function isFrameMarker(m: number): boolean {
	// SOF0-SOF15 except DHT (C4), JPG (C8) and DAC (CC).
	return m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
}
