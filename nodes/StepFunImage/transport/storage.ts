// Streams an image into n8n's binary storage while it arrives, so it is never whole in memory.
// Only for the filesystem binary mode, whose store writes any async iterable to its file (n8n 1.x
// and 2.x both hand it to fs.promises.writeFile); the in-memory and database modes buffer the whole
// image anyway, so there the node keeps it in one Buffer (BufferSink) instead.
import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { ImageScanner } from '../helpers/image';
import type { ImageSink, KeptImage } from '../helpers/imageSink';

type StorableStream = Parameters<IExecuteFunctions['helpers']['prepareBinaryData']>[0];

/** Chunks queued between the network and the file before reading waits (backpressure). */
const QUEUED_CHUNKS = 8;

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

	async end(): Promise<KeptImage> {
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
