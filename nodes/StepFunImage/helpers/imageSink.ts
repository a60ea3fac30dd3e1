// Where the bytes of an image go while they arrive: every sink checks the image as it comes (format,
// size, structure) and keeps it once, in memory (BufferSink) or in n8n's binary storage (see
// transport/storage.ts).
import type { IBinaryData } from 'n8n-workflow';

import { ImageScanner, type ImageInfo } from './image';

/** A complete, checked image: its bytes in memory, or already stored as n8n binary data. */
export interface KeptImage {
	info: ImageInfo;
	size: number;
	bytes?: Buffer;
	binary?: IBinaryData;
}

export interface ImageSink {
	/** The next bytes of the image; may wait (backpressure). Throws ImageFormatError for a non-image. */
	write(chunk: Buffer): void | Promise<void>;
	/** The image ended: checks it is complete and returns what was kept. */
	end(): Promise<KeptImage>;
	/** Reading failed: whatever was kept is dropped. */
	abort(error: unknown): void;
}

export type SinkFactory = (index: number, sizeHint: number) => ImageSink;

/** Keeps the image in one Buffer, preallocated from a size hint (a wrong hint only costs a copy). */
export class BufferSink implements ImageSink {
	private readonly scanner = new ImageScanner(false);
	private out: Buffer | undefined;
	private size = 0;
	private readonly pieces: Buffer[] = [];

	constructor(sizeHint = 0) {
		if (sizeHint > 0) this.out = Buffer.allocUnsafe(sizeHint);
	}

	write(chunk: Buffer): void {
		this.scanner.push(chunk);
		if (this.out && this.size + chunk.length <= this.out.length) {
			chunk.copy(this.out, this.size);
		} else {
			if (this.out) {
				this.pieces.push(this.out.subarray(0, this.size));
				this.out = undefined;
			}
			this.pieces.push(chunk);
		}
		this.size += chunk.length;
	}

	async end(): Promise<KeptImage> {
		const info = this.scanner.finish();
		const bytes = this.out
			? this.out.subarray(0, this.size)
			: this.pieces.length === 1
				? this.pieces[0]
				: Buffer.concat(this.pieces, this.size);
		this.out = undefined;
		this.pieces.length = 0;
		return { info, size: bytes.length, bytes };
	}

	abort(): void {
		this.out = undefined;
		this.pieces.length = 0;
	}
}

/** Checks and keeps bytes already complete in memory (an inline value, a test). */
export async function keepBytes(bytes: Buffer): Promise<KeptImage> {
	const sink = new BufferSink();
	sink.write(bytes);
	return await sink.end();
}
