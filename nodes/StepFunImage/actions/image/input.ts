// An edit's input image: checked from n8n's binary storage before anything is sent (format, size,
// structure), then streamed from there into the multipart upload, so the node never holds it whole.
import { randomBytes } from 'crypto';
import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ImageFormatError, ImageScanner, type ImageInfo } from '../../helpers/image';
import { LIMITS } from '../../helpers/models';
import { multipartFrame, type MultipartFrame } from '../../helpers/multipart';
import { MAX_ANSWER_BYTES } from '../../transport/limits';

export interface EditInput {
	/** The multipart body, read from storage again for each attempt. */
	upload: Blob;
	info: ImageInfo;
	fileName: string;
	/** The item's binary data lives in files (filesystem mode): results can be streamed there too. */
	filesystem: boolean;
}

const CHUNK_BYTES = 256 * 1024;

type Chunks = AsyncIterable<Uint8Array> | Iterable<Uint8Array>;
type Fail = (message: string, description: string) => NodeOperationError;

/**
 * Checks the image in binary field `field` and returns the edit's multipart body with `fields`
 * around it (the image right after `model`, as curl -F sends the seed's example).
 */
export async function readEditInput(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	fields: Array<[string, string]>,
): Promise<EditInput> {
	const meta = binaryField(ctx, itemIndex, field);
	const fileName = meta.fileName || `image-${itemIndex + 1}`;
	const fail: Fail = (message, description) =>
		new NodeOperationError(ctx.getNode(), `${message} [item ${itemIndex}]`, {
			itemIndex,
			description,
		});
	const open = async () => await openBinary(ctx, itemIndex, field, meta, fail);
	const { size, chunks } = await open();
	if (size > MAX_ANSWER_BYTES) {
		throw fail(
			`The file in binary field "${field}" (${fileName}) is ${Math.round(size / 1048576)} MiB; the node sends images of at most ${MAX_ANSWER_BYTES / 1048576} MiB`,
			`StepFun edits images up to ${LIMITS.editMaxPixelsPerSide}×${LIMITS.editMaxPixelsPerSide} pixels; a file this large is not such an image. No request was sent for this item.`,
		);
	}
	const scanned = await scan(chunks, size);
	if ('problem' in scanned) {
		throw fail(
			`The file in binary field "${field}" (${fileName}) is not a usable image: ${scanned.problem}`,
			'Send a PNG, JPEG or WebP image. No request was sent for this item.',
		);
	}
	const { info } = scanned;
	const max = LIMITS.editMaxPixelsPerSide;
	if (info.width > max || info.height > max) {
		throw fail(
			`The image ${fileName} is ${info.width}×${info.height} pixels; StepFun edits images up to ${max}×${max}`,
			`Resize it so neither side exceeds ${max} pixels (e.g. with the Edit Image node). No request was sent for this item.`,
		);
	}
	const frame = multipartFrame(
		fields,
		{
			field: 'image',
			fileName: partName(fileName, info.extension),
			contentType: info.mimeType,
			size,
		},
		'model',
		`----StepFunFormBoundary${randomBytes(12).toString('hex')}`,
	);
	// A file n8n handed over whole (database and in-memory modes) is sent from that copy the first
	// time instead of being fetched again; a file read in chunks is read again as it is sent.
	const upload = new MultipartBody(frame, async () => (await open()).chunks, scanned.whole);
	return { upload, info, fileName, filesystem: meta.id?.startsWith('filesystem') === true };
}

/**
 * A multipart body whose file part is read from n8n's binary storage each time it is sent. It is a
 * Blob, so n8n's HTTP layer (axios) streams it with its size as Content-Length; only the chunks in
 * flight are in memory. Plain (not #private) fields: n8n drops an object body without own keys.
 */
class MultipartBody extends Blob {
	readonly frame: MultipartFrame;
	readonly open: () => Promise<Chunks>;
	/** The whole file, when the check already holds it: sent once, then let go. */
	whole: Uint8Array | undefined;

	constructor(frame: MultipartFrame, open: () => Promise<Chunks>, whole?: Uint8Array) {
		super([]);
		this.frame = frame;
		this.open = open;
		this.whole = whole;
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
		return new ReadableStream<Uint8Array<ArrayBuffer>>({
			start: (controller) => controller.enqueue(head as Uint8Array<ArrayBuffer>),
			pull: async (controller) => {
				if (!parts) {
					const whole = this.whole;
					this.whole = undefined;
					parts = iterate(whole ? [whole] : await this.open());
				}
				const next = await parts.next();
				if (!next.done) {
					sent += next.value.length;
					// The stored file changed since it was checked: never send other bytes than those.
					if (sent > expected)
						controller.error(new Error('the input image changed while it was sent'));
					else controller.enqueue(next.value as Uint8Array<ArrayBuffer>);
					return;
				}
				// Let go of the file (the whole chunk, a file handle) now: the answer may take a while.
				parts = iterate([]);
				if (sent !== expected)
					controller.error(new Error('the input image changed while it was sent'));
				else {
					controller.enqueue(tail as Uint8Array<ArrayBuffer>);
					controller.close();
				}
			},
			cancel: async () => {
				await parts?.return?.();
			},
		});
	}

	async arrayBuffer(): Promise<ArrayBuffer> {
		return await new Response(this.stream()).arrayBuffer();
	}
}

function iterate(chunks: Chunks): AsyncIterator<Uint8Array> | Iterator<Uint8Array> {
	return Symbol.asyncIterator in chunks
		? chunks[Symbol.asyncIterator]()
		: (chunks as Iterable<Uint8Array>)[Symbol.iterator]();
}

/**
 * Reads the file once through the structure check. Nothing is kept, unless the file came as one
 * whole chunk (n8n already held it in memory): then that chunk is kept for the upload.
 */
async function scan(
	chunks: Chunks,
	size: number,
): Promise<{ info: ImageInfo; whole?: Uint8Array } | { problem: string }> {
	const scanner = new ImageScanner(true, size);
	let first: Uint8Array | undefined;
	let count = 0;
	try {
		for await (const chunk of chunks) {
			scanner.push(chunk);
			if (count++ === 0) first = chunk;
		}
		const info = scanner.finish();
		return count === 1 && first?.length === size ? { info, whole: first } : { info };
	} catch (error) {
		if (error instanceof ImageFormatError) return { problem: error.message };
		return { problem: `it could not be read (${(error as Error).message})` };
	}
}

function binaryField(ctx: IExecuteFunctions, itemIndex: number, field: string): IBinaryData {
	const available = Object.keys(ctx.getInputData()[itemIndex]?.binary ?? {});
	if (!available.includes(field)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`No binary field "${field}" on the input item [item ${itemIndex}]`,
			{
				itemIndex,
				description: available.length
					? `The item has these binary fields: ${available.map((f) => `"${f}"`).join(', ')}. Set "Input Binary Field" to the one holding the image.`
					: 'The item has no binary data at all. Connect a node that outputs a file (Webhook upload, Form, Read/Write Files from Disk, HTTP Request with "Response Format: File") before this one.',
			},
		);
	}
	return ctx.helpers.assertBinaryData(itemIndex, field);
}

/**
 * The file's size and a stream of its bytes: from storage (filesystem, database, S3 modes) in
 * chunks, or the in-memory bytes of the default mode. A binary that cannot be read says where n8n
 * keeps it, since that is what breaks in queue mode.
 */
async function openBinary(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	meta: IBinaryData,
	fail: Fail,
): Promise<{ size: number; chunks: Chunks }> {
	try {
		if (!meta.id) {
			const bytes = await ctx.helpers.getBinaryDataBuffer(itemIndex, field);
			return { size: bytes.length, chunks: [bytes] };
		}
		const { fileSize } = await ctx.helpers.getBinaryMetadata(meta.id);
		const stream = await ctx.helpers.getBinaryStream(meta.id, CHUNK_BYTES);
		return { size: Number(fileSize), chunks: stream as AsyncIterable<Uint8Array> };
	} catch (error) {
		const mode = meta.id ? meta.id.split(':')[0].replace(/-v\d+$/, '') : 'default (in memory)';
		throw fail(
			`Could not read the input image in binary field "${field}": ${(error as Error).message}`,
			`n8n keeps this item's binary data in its "${mode}" binary data mode. In queue mode the main process and the workers must all reach the same binary data: use N8N_DEFAULT_BINARY_DATA_MODE=database (the default in queue mode) or shared storage such as S3; with "filesystem" each process only sees its own files.`,
		);
	}
}

/** The file part's name: the input's, made safe for a header, with the real extension when it has none. */
function partName(name: string, extension: string): string {
	const clean = name.replace(/["\r\n\\/]/g, '_');
	return /\.[A-Za-z0-9]+$/.test(clean) ? clean : `${clean}.${extension}`;
}
