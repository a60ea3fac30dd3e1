// The multipart body of an edit request, streamed: the input image is read from where n8n keeps it
// each time the body is sent, so only the chunks in flight are in memory.
import type { MultipartFrame } from '../../helpers/multipart';

export type Chunks = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

/** The whole image, when n8n already held it in memory: shared by an item's requests. */
export interface SharedImage {
	bytes: Uint8Array | undefined;
	/** Requests that have not sent it yet; at 0 it is let go (a retry reads it again). */
	users: number;
}

/**
 * A Blob, so n8n's HTTP layer (axios) streams it and sends its size as Content-Length and its
 * type (multipart, with the boundary) as Content-Type. Plain (not #private) fields: n8n drops an
 * object body without own keys.
 */
export class MultipartBody extends Blob {
	readonly frame: MultipartFrame;
	readonly open: () => Promise<Chunks>;
	shared: SharedImage | undefined;

	constructor(frame: MultipartFrame, open: () => Promise<Chunks>, shared?: SharedImage) {
		super([]);
		this.frame = frame;
		this.open = open;
		this.shared = shared;
	}

	get size(): number {
		return this.frame.length;
	}

	get type(): string {
		return this.frame.contentType;
	}

	stream(): ReadableStream<Uint8Array<ArrayBuffer>> {
		const { head, tail, length } = this.frame;
		const expected = length - head.length - tail.length;
		let parts: AsyncIterator<Uint8Array> | Iterator<Uint8Array> | undefined;
		let sent = 0;
		const changed = () => new Error('the input image changed while it was sent');
		return new ReadableStream<Uint8Array<ArrayBuffer>>({
			start: (controller) => controller.enqueue(head as Uint8Array<ArrayBuffer>),
			pull: async (controller) => {
				parts ??= iterate(this.shared?.bytes ? [this.shared.bytes] : await this.open());
				const next = await parts.next();
				if (!next.done) {
					sent += next.value.length;
					// The stored file changed since it was checked: never send other bytes than those.
					if (sent > expected) controller.error(changed());
					else controller.enqueue(next.value as Uint8Array<ArrayBuffer>);
					return;
				}
				// Let go of the image (a shared copy, a file handle) now: the answer may take a while.
				parts = iterate([]);
				this.release();
				if (sent !== expected) controller.error(changed());
				else {
					controller.enqueue(tail as Uint8Array<ArrayBuffer>);
					controller.close();
				}
			},
			cancel: async () => {
				this.release();
				await parts?.return?.();
			},
		});
	}

	async arrayBuffer(): Promise<ArrayBuffer> {
		return await new Response(this.stream()).arrayBuffer();
	}

	private release(): void {
		const shared = this.shared;
		this.shared = undefined;
		if (shared && --shared.users <= 0) shared.bytes = undefined;
	}
}

function iterate(chunks: Chunks): AsyncIterator<Uint8Array> | Iterator<Uint8Array> {
	return Symbol.asyncIterator in chunks
		? chunks[Symbol.asyncIterator]()
		: (chunks as Iterable<Uint8Array>)[Symbol.iterator]();
}
