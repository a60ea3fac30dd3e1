// The JSON image answer, read as it arrives: each base64 image value is decoded into a sink while
// it streams, and a placeholder keeps its place in the JSON text, so an image is held once (never as
// text) and every other field is parsed as usual. The one place base64 is handled.
import type { ImageFile, ImageSink, SinkFactory } from '../image/sinks';
import { Base64Decoder } from './base64';
import {
	MalformedResponseError,
	MAX_JSON_TEXT_BYTES,
	ResponseTooLargeError,
	TruncatedResponseError,
} from './limits';

/** One image of an answer, in the one shape it keeps until it becomes an output item. */
export interface ResultImage {
	/** The checked image (decoded from the answer, or downloaded); absent when only a URL was wanted. */
	file?: ImageFile;
	url?: string;
	finishReason: string;
	seed?: number;
}

export interface ImageAnswer {
	id?: string;
	created?: number;
	images: ResultImage[];
}

export interface ReadLimits {
	/** The most bytes a body may have, counted after decompression. */
	maxBytes: number;
	/** The most bytes of JSON text around the images (ids, URLs, metadata). */
	maxTextBytes?: number;
	/** Content-Length, when sent: only ever a preallocation hint, never above maxBytes. */
	sizeHint?: number;
}

const IMAGE_VALUE_START = /"(?:b64_json|image)"\s*:\s*"/;
const PLACEHOLDER = /^__stepfun_image_(\d+)__$/;
const EMPTY = Buffer.alloc(0);
const KEY_TAIL = 32;

/**
 * Reads a JSON image answer chunk by chunk. Each base64 image value is decoded into a sink as it
 * arrives and a placeholder keeps its place in the JSON text, so a large image is held once instead
 * of as response text, a JSON string and a decoded copy. Stops past `maxBytes` (decompressed) or
 * when the text around the images passes `maxTextBytes`; a body that ends early is truncated.
 */
export async function readImageJson(
	chunks: AsyncIterable<Uint8Array>,
	limits: ReadLimits,
	sinks: SinkFactory,
): Promise<ImageAnswer> {
	const maxText = limits.maxTextBytes ?? MAX_JSON_TEXT_BYTES;
	const text: Buffer[] = [];
	let textBytes = 0;
	const files: ImageFile[] = [];
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
					keepText(Buffer.from(`__stepfun_image_${files.length}__`));
					chunk = pending.subarray(end);
					pending = EMPTY;
					// Base64 text of n bytes decodes to at most ceil(n * 3 / 4) bytes.
					const rest = limits.sizeHint ? limits.sizeHint - (received - chunk.length) : 0;
					const hint = Math.ceil((Math.min(Math.max(0, rest), limits.maxBytes) * 3) / 4);
					current = decodeInto(sinks(files.length, hint), files.length);
				} else {
					const quote = chunk.indexOf(0x22);
					await current.decoder.push(quote === -1 ? chunk : chunk.subarray(0, quote));
					if (quote === -1) {
						chunk = EMPTY;
					} else {
						await current.decoder.finish();
						files.push(await current.sink.end());
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
	return await parseAnswer(Buffer.concat(text).toString('utf8'), files, sinks);
}

function decodeInto(sink: ImageSink, index: number) {
	return { sink, decoder: new Base64Decoder(index, (bytes) => sink.write(bytes)) };
}

/** The JSON around the images: id, created, and per image its file (by placeholder), URL, finish reason, seed. */
async function parseAnswer(
	text: string,
	files: ImageFile[],
	sinks: SinkFactory,
): Promise<ImageAnswer> {
	const trimmed = text.trim();
	if (!trimmed.startsWith('{')) {
		throw new MalformedResponseError(
			`the API answered with non-JSON content (${describeText(trimmed)}) instead of an image result`,
		);
	}
	const parsed = parseJson(trimmed);
	if (!parsed) {
		if (isIncompleteJson(trimmed)) {
			throw new TruncatedResponseError('the API response ended in the middle of its JSON');
		}
		throw new MalformedResponseError(
			`the API answered with invalid JSON (${describeText(trimmed)})`,
		);
	}
	const body = parsed.value;
	if (!body || typeof body !== 'object' || Array.isArray(body)) {
		throw new MalformedResponseError('the API answered without a JSON object');
	}
	const record = body as Record<string, unknown>;
	if (!Array.isArray(record.data)) {
		throw new MalformedResponseError('the API response has no "data" list of images');
	}
	if (record.data.length === 0)
		throw new MalformedResponseError('the API response contains no image');
	const images: ResultImage[] = [];
	for (const [index, entry] of record.data.entries()) {
		if (!entry || typeof entry !== 'object') {
			throw new MalformedResponseError(`image ${index + 1} in the API response is not an object`);
		}
		const e = entry as Record<string, unknown>;
		// Older docs named the base64 field "image".
		const b64 = typeof e.b64_json === 'string' ? e.b64_json : e.image;
		const placeholder = typeof b64 === 'string' ? PLACEHOLDER.exec(b64) : null;
		images.push({
			file: placeholder
				? files[Number(placeholder[1])]
				: typeof b64 === 'string'
					? await decodeWhole(b64, files.length + index, sinks)
					: undefined,
			url: typeof e.url === 'string' && e.url !== '' ? e.url : undefined,
			finishReason: typeof e.finish_reason === 'string' ? e.finish_reason : 'success',
			seed: Number.isSafeInteger(e.seed) ? (e.seed as number) : undefined,
		});
	}
	return {
		id: typeof record.id === 'string' ? record.id : undefined,
		created: Number.isFinite(record.created) ? (record.created as number) : undefined,
		images,
	};
}

/** A base64 value the stream did not see as one (its key written with escapes): decoded the same way. */
async function decodeWhole(b64: string, index: number, sinks: SinkFactory): Promise<ImageFile> {
	const { decoder, sink } = decodeInto(sinks(index, Math.ceil((b64.length * 3) / 4)), index);
	let complete = false;
	try {
		await decoder.push(Buffer.from(b64, 'latin1'));
		await decoder.finish();
		const file = await sink.end();
		complete = true;
		return file;
	} finally {
		if (!complete) sink.abort(new Error('the image value could not be decoded'));
	}
}

function parseJson(text: string): { value: unknown } | undefined {
	try {
		return { value: JSON.parse(text) };
	} catch {
		return undefined;
	}
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

function describeText(text: string): string {
	const preview = text.slice(0, 80).replace(/\s+/g, ' ');
	return text.length === 0 ? 'an empty body' : `"${preview}${text.length > 80 ? '…' : ''}"`;
}

export function asBuffer(raw: Uint8Array): Buffer {
	return Buffer.isBuffer(raw) ? raw : Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
}
