// The edit upload: a multipart/form-data body framed around the image, and streamed. The image is
// read from where n8n keeps it each time the body is sent, so only the chunks in flight are in
// memory, and it is copied once, straight into the request.

export interface MultipartFile {
	/** The form field (`image`). */
	field: string;
	fileName: string;
	contentType: string;
	size: number;
}

export interface MultipartFrame {
	/** Everything before the file's bytes: the fields before it and the file part's headers. */
	head: Buffer;
	/** Everything after them: the fields after it and the closing boundary. */
	tail: Buffer;
	contentType: string;
	/** head + file + tail. */
	length: number;
}

/**
 * Frames `file` among `fields`, in order, placing the file right after the field named `after`
 * (what `curl -F` sends for the seed's example: model, image, prompt, …).
 */
export function multipartFrame(
	fields: Array<[string, string]>,
	file: MultipartFile,
	after: string,
	boundary: string,
): MultipartFrame {
	const at = fields.findIndex(([name]) => name === after) + 1;
	const part = (name: string, value: string) =>
		`--${boundary}\r\nContent-Disposition: form-data; name="${quote(name)}"\r\n\r\n${value}\r\n`;
	const head =
		fields
			.slice(0, at)
			.map(([name, value]) => part(name, value))
			.join('') +
		`--${boundary}\r\nContent-Disposition: form-data; name="${quote(file.field)}"; filename="${quote(file.fileName)}"\r\n` +
		`Content-Type: ${file.contentType}\r\n\r\n`;
	const tail =
		'\r\n' +
		fields
			.slice(at)
			.map(([name, value]) => part(name, value))
			.join('') +
		`--${boundary}--\r\n`;
	const headBytes = Buffer.from(head, 'utf8');
	const tailBytes = Buffer.from(tail, 'utf8');
	return {
		head: headBytes,
		tail: tailBytes,
		contentType: `multipart/form-data; boundary=${boundary}`,
		length: headBytes.length + file.size + tailBytes.length,
	};
}

/** As browsers and undici encode names in a form: quotes and line breaks escaped. */
function quote(text: string): string {
	return text.replace(/"/g, '%22').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

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
