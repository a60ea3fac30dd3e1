// An edit's input image, from a binary field or a URL: checked before anything is sent (format,
// size, structure), then streamed into each multipart upload, so the node does not keep copies.
import { randomBytes } from 'crypto';
import type { IBinaryData, IExecuteFunctions } from 'n8n-workflow';

import { Failure } from '../../domain/failures';
import { LIMITS } from '../../domain/models';
import { ImageScanner, type ImageInfo } from '../../image/scanner';
import { ImageFormatError } from '../../image/walker';
import type { StepFunClient } from '../../transport/client';
import { MAX_ANSWER_BYTES } from '../../transport/limits';
import { multipartFrame, MultipartBody, type Chunks } from '../../transport/upload';

/** Where an input image's bytes come from; `open()` reads them again (each upload). */
export interface ImageSource {
	fileName: string;
	size: number;
	open(): Promise<Chunks>;
	/** Names the input in messages: `binary field "data"` or `Image URL`. */
	label: string;
}

export interface CheckedInput {
	info: ImageInfo;
	fileName: string;
	/** The multipart body for one request (`fields` around the image, right after `model`). */
	upload(fields: Array<[string, string]>): Blob;
}

const CHUNK_BYTES = 256 * 1024;

/** The image in binary field `field`, read through n8n's binary helpers (every binary mode). */
export async function binarySource(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
): Promise<ImageSource> {
	const meta = binaryField(ctx, itemIndex, field);
	const source = {
		fileName: meta.fileName || `image-${itemIndex + 1}`,
		label: `binary field "${field}"`,
	};
	const read = async <T>(how: () => Promise<T>) =>
		await readBinary(ctx, itemIndex, field, meta, how);
	if (!meta.id) {
		// The default (in-memory) mode: the bytes are in the item already.
		const bytes = await read(async () => await ctx.helpers.getBinaryDataBuffer(itemIndex, field));
		return { ...source, size: bytes.length, open: async () => [bytes] };
	}
	const id = meta.id;
	const { fileSize } = await read(async () => await ctx.helpers.getBinaryMetadata(id));
	const open = async () =>
		(await read(async () => await ctx.helpers.getBinaryStream(id, CHUNK_BYTES))) as Chunks;
	return { ...source, size: Number(fileSize), open };
}

/**
 * The image at `url`, downloaded through the client's door for files: http(s) only, never with
 * the API key, the same size cap, Timeout and retries as results. Kept for the item's requests.
 */
export async function urlSource(
	client: StepFunClient,
	itemIndex: number,
	url: string,
): Promise<ImageSource> {
	const image = await client.download(url, itemIndex, {
		what: 'the input image',
		hint: 'Check that Image URL points at a PNG, JPEG or WebP file anyone can download (no login). No edit was requested for this item.',
	});
	const bytes = image.bytes!;
	const name = /[^/]+$/.exec(new URL(url).pathname)?.[0];
	return {
		fileName: name ? decodeURIComponent(name) : `image-${itemIndex + 1}.${image.info.extension}`,
		size: bytes.length,
		open: async () => [bytes],
		label: 'Image URL',
	};
}

/** Checks the source's image before anything is paid: complete, PNG/JPEG/WebP, ≤ 4096×4096. */
export async function checkInput(source: ImageSource): Promise<CheckedInput> {
	const { fileName, size, label } = source;
	if (size > MAX_ANSWER_BYTES) {
		throw new Failure(
			`The file in ${label} (${fileName}) is ${Math.round(size / 1048576)} MiB; the node sends images of at most ${MAX_ANSWER_BYTES / 1048576} MiB`,
			`StepFun edits images up to ${LIMITS.editMaxPixelsPerSide}×${LIMITS.editMaxPixelsPerSide} pixels; a file this large is not such an image. No request was sent for this item.`,
		);
	}
	const scanned = await scan(await source.open(), size);
	if ('problem' in scanned) {
		throw new Failure(
			`The file in ${label} (${fileName}) is not a usable image: ${scanned.problem}`,
			'Send a PNG, JPEG or WebP image. No request was sent for this item.',
		);
	}
	const { info, whole } = scanned;
	const max = LIMITS.editMaxPixelsPerSide;
	if (info.width > max || info.height > max) {
		throw new Failure(
			`The image ${fileName} is ${info.width}×${info.height} pixels; StepFun edits images up to ${max}×${max}`,
			`Resize it so neither side exceeds ${max} pixels (e.g. with the Edit Image node). No request was sent for this item.`,
		);
	}
	const partName = safePartName(fileName, info.extension);
	const boundary = `----StepFunFormBoundary${randomBytes(12).toString('hex')}`;
	// A file n8n handed over whole (database and in-memory modes) is uploaded from that copy, shared
	// by the item's requests until each has sent it once; a file read in chunks is read again.
	const shared = { bytes: whole, users: 0 };
	return {
		info,
		fileName,
		upload: (fields) => {
			const file = { field: 'image', fileName: partName, contentType: info.mimeType, size };
			shared.users++;
			return new MultipartBody(
				multipartFrame(fields, file, 'model', boundary),
				source.open,
				shared,
			);
		},
	};
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
		throw new Failure(
			`No binary field "${field}" on the input item`,
			available.length
				? `The item has these binary fields: ${available.map((f) => `"${f}"`).join(', ')}. Set "Input Binary Field" to the one holding the image, or set Image Source to URL.`
				: 'The item has no binary data at all. Connect a node that outputs a file (Webhook upload, Form, Read/Write Files from Disk, HTTP Request with "Response Format: File") before this one, or set Image Source to URL.',
		);
	}
	return ctx.helpers.assertBinaryData(itemIndex, field);
}

/**
 * Reads from n8n's binary storage; a binary that cannot be read says where n8n keeps it, since that
 * is what breaks in queue mode.
 */
async function readBinary<T>(
	ctx: IExecuteFunctions,
	itemIndex: number,
	field: string,
	meta: IBinaryData,
	how: () => Promise<T>,
): Promise<T> {
	const read = await how().then(
		(value) => ({ value }),
		(error: unknown) => ({ error }),
	);
	if ('value' in read) return read.value;
	const mode = meta.id ? meta.id.split(':')[0].replace(/-v\d+$/, '') : 'default (in memory)';
	throw new Failure(
		`Could not read the input image in binary field "${field}": ${(read.error as Error).message}`,
		`n8n keeps this item's binary data in its "${mode}" binary data mode. In queue mode the main instance and the workers must all reach the same binary data: use N8N_DEFAULT_BINARY_DATA_MODE=database (the default in queue mode) or shared storage such as S3; with "filesystem" each instance only sees its own files.`,
	);
}

/** The file part's name: the input's, made safe for a header, with the real extension when it has none. */
function safePartName(name: string, extension: string): string {
	const clean = name.replace(/["\r\n\\/]/g, '_');
	return /\.[A-Za-z0-9]+$/.test(clean) ? clean : `${clean}.${extension}`;
}
