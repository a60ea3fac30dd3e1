// The byte-level machinery under the format walkers in imageFormats.ts: fixed-size fields, skipped
// spans and free scanning over bytes that arrive in any slicing.

export class ImageFormatError extends Error {}

/** The file ends before its structure does: for a download, worth another try. */
export class TruncatedImageError extends ImageFormatError {}

export interface FormatParser {
	/** Width and height, once the header has been read. */
	readonly size: { width: number; height: number } | undefined;
	push(chunk: Uint8Array): void;
	/** Throws ImageFormatError when the file (of `total` bytes) is not structurally complete. */
	finish(total: number): void;
}

export /** Feeds fixed-size fields to `field()`, passes over skipped spans, and hands free bytes to `scan()`. */
abstract class Walker implements FormatParser {
	size: { width: number; height: number } | undefined;
	private skip = 0;
	private want = 0;
	private have = 0;
	private readonly field = new Uint8Array(32);

	push(chunk: Uint8Array): void {
		let pos = 0;
		while (pos < chunk.length) {
			if (this.skip > 0) {
				const n = Math.min(this.skip, chunk.length - pos);
				this.skip -= n;
				pos += n;
			} else if (this.want > 0) {
				const n = Math.min(this.want - this.have, chunk.length - pos);
				this.field.set(chunk.subarray(pos, pos + n), this.have);
				this.have += n;
				pos += n;
				if (this.have === this.want) {
					this.want = 0;
					this.onField(this.field.subarray(0, this.have));
				}
			} else {
				pos = this.scan(chunk, pos);
			}
		}
	}

	abstract finish(total: number): void;

	protected abstract onField(bytes: Uint8Array): void;

	/** Bytes outside any field or skipped span; returns the position it read up to. */
	protected abstract scan(chunk: Uint8Array, pos: number): number;

	protected need(count: number): void {
		this.want = count;
		this.have = 0;
	}

	protected skipBytes(count: number): void {
		this.skip += count;
	}

	protected get pending(): boolean {
		return this.skip > 0 || this.want > 0;
	}
}

export function ascii(bytes: Uint8Array, start: number, length: number): string {
	return String.fromCharCode(...bytes.subarray(start, start + length));
}

export const u16be = (b: Uint8Array, o: number) => (b[o] << 8) | b[o + 1];
export const u16le = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8);
export const u24le = (b: Uint8Array, o: number) => b[o] | (b[o + 1] << 8) | (b[o + 2] << 16);
export const u32le = (b: Uint8Array, o: number) => (u24le(b, o) | (b[o + 3] << 24)) >>> 0;
export const u32be = (b: Uint8Array, o: number) =>
	((b[o] << 24) | (b[o + 1] << 16) | (b[o + 2] << 8) | b[o + 3]) >>> 0;
