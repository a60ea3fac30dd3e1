// Where the bytes of an image go while they arrive. Every sink checks the image as it comes (format,
// size, structure) and keeps it once: in one Buffer (BufferSink), or streamed into n8n's binary
// storage (StorageSink). ImageStore decides between them once per execution.
import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { ImageScanner, type ImageInfo } from './scanner';

/** A complete, checked image: its bytes in memory, or already stored as n8n binary data. */
export interface ImageFile {
	info: ImageInfo;
	size: number;
	bytes?: Buffer;
	binary?: IBinaryData;
}

export interface ImageSink {
	/** The next bytes of the image; may wait (backpressure). Throws ImageFormatError for a non-image. */
	write(chunk: Buffer): void | Promise<void>;
	/** The image ended: checks it is complete and returns what was kept. */
	end(): Promise<ImageFile>;
	/** Reading failed: whatever was kept is dropped. */
	abort(error: unknown): void;
}

export type SinkFactory = (index: number, sizeHint: number) => ImageSink;

export const bufferSinks: SinkFactory = (_index, sizeHint) => new BufferSink(sizeHint);

/**
 * Where an execution's images go, decided once from n8n's binary data mode: streamed into n8n's
 * storage while they arrive where it keeps files (filesystem), else kept in one Buffer until stored
 * (the in-memory and database modes take a whole Buffer anyway). A node cannot ask n8n for the mode,
 * but every stored binary's id names it ("filesystem-v2:…", "database:…", none in memory): the store
 * reads it off the input items' binaries, or else off the first image it stores.
 */
export class ImageStore {
	private streams: boolean | undefined;

	constructor(private readonly ctx: IExecuteFunctions) {
		for (const item of ctx.getInputData()) {
			for (const binary of Object.values(item.binary ?? {})) this.learn(binary);
		}
	}

	/** The sinks for one answer's images; `fileName` names a stored image by extension and index. */
	sinks(fileName: (extension: string, index: number) => string): SinkFactory {
		if (!this.streams) return bufferSinks;
		return (index) => new StorageSink(this.ctx, (extension) => fileName(extension, index));
	}

	/** The image as n8n binary data: stored while it arrived, or stored now from memory. */
	async store(file: ImageFile, fileName: string): Promise<IBinaryData> {
		if (file.binary) return file.binary;
		const binary = await this.ctx.helpers.prepareBinaryData(
			file.bytes!,
			fileName,
			file.info.mimeType,
		);
		this.learn(binary);
		return binary;
	}

	private learn(binary: IBinaryData): void {
		this.streams ??= binary.id?.startsWith('filesystem') ?? false;
	}
}

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

	async end(): Promise<ImageFile> {
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

type StorableStream = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

/** Chunks queued between the network and the file before reading waits (backpressure). */
const QUEUED_CHUNKS = 8;

/**
 * Streams an image into n8n's binary storage while it arrives, so it is never whole in memory. Only
 * for the filesystem mode, whose store writes any async iterable to its file (n8n 1.x and 2.x both
 * hand it to fs.promises.writeFile).
 */
export class StorageSink implements ImageSink {
	private readonly scanner = new ImageScanner(false);
	private controller: ReadableStreamDefaultController<Uint8Array> | undefined;
	private stored: Promise<IBinaryData> | undefined;
	private failure: unknown;
	private wake: (() => void) | undefined;
	private early: Buffer[] = [];
	private size = 0;

	constructor(
		private readonly ctx: IExecuteFunctions,
		/** The file name for an image of this extension. */
		private readonly fileName: (extension: string) => string,
	) {}

	async write(chunk: Buffer): Promise<void> {
		if (this.failure !== undefined) throw this.failure;
		this.scanner.push(chunk);
		this.size += chunk.length;
		if (!this.controller) {
			// Until the format is known there is no file name or type to store under.
			this.early.push(chunk);
			if (this.scanner.format) this.start();
			return;
		}
		this.controller.enqueue(chunk);
		if ((this.controller.desiredSize ?? 1) <= 0) {
			await new Promise<void>((resolve) => (this.wake = resolve));
			if (this.failure !== undefined) throw this.failure;
		}
	}

	async end(): Promise<ImageFile> {
		const info = this.scanner.finish();
		if (!this.controller) this.start();
		this.controller!.close();
		const binary = await this.stored!;
		return { info, size: this.size, binary };
	}

	abort(error: unknown): void {
		if (this.failure === undefined) this.failure = error;
		this.controller?.error(error);
		this.release();
	}

	private start(): void {
		const { mimeType, extension } = this.scanner.type!;
		const stream = new ReadableStream<Uint8Array>(
			{
				start: (controller) => {
					this.controller = controller;
				},
				pull: () => this.release(),
			},
			{ highWaterMark: QUEUED_CHUNKS },
		);
		for (const chunk of this.early.splice(0)) this.controller!.enqueue(chunk);
		this.stored = this.ctx.helpers.prepareBinaryData(
			stream as unknown as StorableStream,
			this.fileName(extension),
			mimeType,
		);
		// A failed write (a full disk) must also stop reading, not leave it waiting for a pull.
		this.stored.catch((error: unknown) => {
			if (this.failure === undefined) this.failure = error;
			this.release();
		});
	}

	private release(): void {
		const wake = this.wake;
		this.wake = undefined;
		wake?.();
	}
}
