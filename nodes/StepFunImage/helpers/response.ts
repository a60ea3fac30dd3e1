// Pure parsing of StepFun image responses, and bounded readers for response bodies.
import { Base64Decoder } from './base64';
import { MalformedResponseError, ResponseTooLargeError, TruncatedResponseError } from './failures';
import type { ImageSink, KeptImage, SinkFactory } from './imageSink';

export { MalformedResponseError, ResponseTooLargeError, TruncatedResponseError };

export interface ReturnedImage {
	/** The image, decoded and checked while streaming (readImageResponse). */
	kept?: KeptImage;
	/** An inline base64 value that was not streamed (a parsed object): its decoded bytes. */
	bytes?: Buffer;
	url?: string;
	finishReason: string;
	seed?: number;
}

export interface ImageResponse {
	id?: string;
	created?: number;
	images: ReturnedImage[];
}

export interface ReadLimits {
	/** The most bytes a body may have, counted after decompression. */
	maxBytes: number;
	/** The most bytes of JSON text around the images (ids, URLs, metadata). */
	maxTextBytes?: number;
	/** Content-Length, when sent: only ever a preallocation hint, never above maxBytes. */
	sizeHint?: number;
}

export function parseImageResponse(body: unknown, decoded: KeptImage[] = []): ImageResponse {
	if (typeof body === 'string') {
		const text = body.trim();
		if (!text.startsWith('{')) {
			throw new MalformedResponseError(
				`the API answered with non-JSON content (${describeText(text)}) instead of an image result`,
			);
		}
		const parsed = parseJson(text);
		if (!parsed) {
			if (isIncompleteJson(text)) {
				throw new TruncatedResponseError('the API response ended in the middle of its JSON');
			}
			throw new MalformedResponseError(
				`the API answered with invalid JSON (${describeText(text)})`,
			);
		}
		body = parsed.value;
	}
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		throw new MalformedResponseError('the API answered without a JSON object');
	}
	const record = body as Record<string, unknown>;
	if (!Array.isArray(record.data)) {
		throw new MalformedResponseError('the API response has no "data" list of images');
	}
	if (record.data.length === 0)
		throw new MalformedResponseError('the API response contains no image');
	const images = record.data.map((entry, index): ReturnedImage => {
		if (!entry || typeof entry !== 'object') {
			throw new MalformedResponseError(`image ${index + 1} in the API response is not an object`);
		}
		const e = entry as Record<string, unknown>;
		// Older docs named the base64 field "image".
		const b64 = typeof e.b64_json === 'string' ? e.b64_json : (e.image as unknown);
		const placeholder = typeof b64 === 'string' ? PLACEHOLDER.exec(b64) : null;
		const kept = placeholder ? decoded[Number(placeholder[1])] : undefined;
		const bytes =
			!placeholder && typeof b64 === 'string' ? decodeBase64Image(b64, index) : undefined;
		const url = typeof e.url === 'string' && e.url !== '' ? e.url : undefined;
		const finishReason = typeof e.finish_reason === 'string' ? e.finish_reason : 'success';
		const seed = Number.isSafeInteger(e.seed) ? (e.seed as number) : undefined;
		return { kept, bytes, url, finishReason, seed };
	});
	return {
		id: typeof record.id === 'string' ? record.id : undefined,
		created: Number.isFinite(record.created) ? (record.created as number) : undefined,
		images,
	};
}

/** Decodes a base64 image strictly: empty or non-base64 content is an error, not an empty file. */
export function decodeBase64Image(b64: string | undefined, index: number): Buffer {
	const text = (b64 ?? '').replace(/^data:[^;]+;base64,/, '').replace(/\s+/g, '');
	if (text === '') {
		throw new MalformedResponseError(
			`image ${index + 1} in the API response has empty base64 data`,
		);
	}
	if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(text)) {
		throw new MalformedResponseError(`image ${index + 1} in the API response is not valid base64`);
	}
	return Buffer.from(text, 'base64');
}

/** Whether a text that failed to parse is a cut-off prefix of JSON (open string or brackets). */
export function isIncompleteJson(text: string): boolean {
	let depth = 0;
	let inString = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (inString) {
			if (c === '\\') i++;
			else if (c === '"') inString = false;
		} else if (c === '"') inString = true;
		else if (c === '{' || c === '[') depth++;
		else if (c === '}' || c === ']') depth--;
	}
	return inString || depth > 0;
}

function parseJson(text: string): { value: unknown } | undefined {
	try {
		return { value: JSON.parse(text) };
	} catch {
		return undefined;
	}
}

function describeText(text: string): string {
	const preview = text.slice(0, 80).replace(/\s+/g, ' ');
	return text.length === 0 ? 'an empty body' : `"${preview}${text.length > 80 ? '…' : ''}"`;
}

export interface StreamedImageResponse {
	/** The JSON text with every base64 image value replaced by a placeholder (see parseImageResponse). */
	text: string;
	/** The decoded, checked images, in the order their values appeared. */
	images: KeptImage[];
}

const IMAGE_VALUE_START = /"(?:b64_json|image)"\s*:\s*"/;
const PLACEHOLDER = /^__stepfun_image_(\d+)__$/;
const EMPTY = Buffer.alloc(0);
const KEY_TAIL = 32;

function asBuffer(raw: Uint8Array): Buffer {
	return Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
}

/**
 * Reads a JSON image response chunk by chunk and decodes each base64 image value into a sink as it
 * arrives (checked on the way), so a large image is held at most once instead of as response text,
 * a JSON string and a decoded copy. Stops with ResponseTooLargeError past `maxBytes`
 * (decompressed) or when the text around the images passes `maxTextBytes`; a body that ends inside
 * an image value is truncated. `sinks(index, sizeHint)` says where each image goes.
 */
export async function readImageResponse(
	chunks: AsyncIterable<Uint8Array>,
	limits: ReadLimits,
	sinks: SinkFactory,
): Promise<StreamedImageResponse> {
	const maxText = limits.maxTextBytes ?? 1024 * 1024;
	const text: Buffer[] = [];
	let textBytes = 0;
	const images: KeptImage[] = [];
	let pending: Buffer = EMPTY; // undecided bytes while looking for an image value
	let received = 0;
	let current: { decoder: Base64Decoder; sink: ImageSink } | undefined;
	let complete = false;
	const keepText = (part: Buffer) => {
		textBytes += part.length;
		if (textBytes > maxText) throw ResponseTooLargeError.text(maxText);
		text.push(part);
	};

	try {
		for await (const raw of chunks) {
			let chunk = asBuffer(raw);
			received += chunk.length;
			if (received > limits.maxBytes) throw ResponseTooLargeError.body(limits.maxBytes);
			while (chunk.length > 0) {
				if (!current) {
					pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
					chunk = EMPTY;
					const match = IMAGE_VALUE_START.exec(pending.toString('latin1'));
					if (!match) {
						// Keep a tail long enough to hold a key split across chunks.
						const keep = Math.min(pending.length, KEY_TAIL);
						keepText(pending.subarray(0, pending.length - keep));
						pending = Buffer.from(pending.subarray(pending.length - keep));
						break;
					}
					const end = match.index + match[0].length;
					keepText(pending.subarray(0, end));
					keepText(Buffer.from(`__stepfun_image_${images.length}__`));
					chunk = pending.subarray(end);
					pending = EMPTY;
					// Base64 text of n bytes decodes to at most ceil(n * 3 / 4) bytes.
					const rest = limits.sizeHint ? limits.sizeHint - (received - chunk.length) : 0;
					const hint = Math.ceil((Math.min(Math.max(0, rest), limits.maxBytes) * 3) / 4);
					const sink = sinks(images.length, hint);
					const decoder = new Base64Decoder(images.length, (bytes) => sink.write(bytes));
					current = { decoder, sink };
				} else {
					const quote = chunk.indexOf(0x22);
					await current.decoder.push(quote === -1 ? chunk : chunk.subarray(0, quote));
					if (quote === -1) {
						chunk = EMPTY;
					} else {
						await current.decoder.finish();
						images.push(await current.sink.end());
						current = undefined;
						chunk = chunk.subarray(quote); // the closing quote stays JSON text
					}
				}
			}
		}
		if (current) {
			throw new TruncatedResponseError(
				`the API response ended inside its image data after ${received} bytes`,
			);
		}
		complete = true;
	} finally {
		if (!complete) current?.sink.abort(new Error('the answer could not be read to its end'));
	}
	keepText(pending);
	return { text: Buffer.concat(text).toString('utf8'), images };
}

/**
 * Reads a whole body (an image download) into a sink, up to a cap. A Content-Length past the cap
 * fails before anything is read; otherwise it is only a preallocation hint.
 */
export async function readInto(
	chunks: AsyncIterable<Uint8Array>,
	limits: ReadLimits,
	sinks: SinkFactory,
): Promise<KeptImage> {
	if (limits.sizeHint !== undefined && limits.sizeHint > limits.maxBytes) {
		throw ResponseTooLargeError.announced(limits.sizeHint, limits.maxBytes);
	}
	const sink = sinks(0, limits.sizeHint ?? 0);
	let size = 0;
	let complete = false;
	try {
		for await (const raw of chunks) {
			const chunk = asBuffer(raw);
			size += chunk.length;
			if (size > limits.maxBytes) throw ResponseTooLargeError.body(limits.maxBytes);
			await sink.write(chunk);
		}
		const kept = await sink.end();
		complete = true;
		return kept;
	} finally {
		if (!complete) sink.abort(new Error('the download could not be read to its end'));
	}
}

/** Reads at most `limit` bytes of a (small) error body as text; the rest is not read. */
export async function readText(chunks: AsyncIterable<Uint8Array>, limit: number): Promise<string> {
	const parts: Buffer[] = [];
	let size = 0;
	for await (const raw of chunks) {
		const chunk = asBuffer(raw);
		parts.push(chunk.subarray(0, limit - size));
		size += Math.min(chunk.length, limit - size);
		if (size >= limit) break;
	}
	return Buffer.concat(parts).toString('utf8');
}
