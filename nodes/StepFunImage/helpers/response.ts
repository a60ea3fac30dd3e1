// Pure parsing of StepFun image responses.

export interface ReturnedImage {
	/** The image's bytes: decoded while streaming (readImageResponse) or from an inline base64 value. */
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

/** The response is unusable; the message says what was wrong with it. */
export class MalformedResponseError extends Error {}

/** The body ended before it was complete: a transport failure, worth a retry. */
export class TruncatedResponseError extends MalformedResponseError {}

export function parseImageResponse(body: unknown, decoded: Buffer[] = []): ImageResponse {
	if (typeof body === 'string') {
		const text = body.trim();
		if (!text.startsWith('{')) {
			throw new MalformedResponseError(
				`the API answered with non-JSON content (${describeText(text)}) instead of an image result`,
			);
		}
		body = parseJson(text);
		if (body === undefined) {
			throw new MalformedResponseError(
				`the API answered with invalid or truncated JSON (${describeText(text)})`,
			);
		}
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
		const b64 =
			typeof e.b64_json === 'string'
				? e.b64_json
				: typeof e.image === 'string'
					? e.image
					: undefined;
		const placeholder = b64 === undefined ? null : PLACEHOLDER.exec(b64);
		const bytes = placeholder
			? decoded[Number(placeholder[1])]
			: b64 !== undefined
				? decodeBase64Image(b64, index)
				: undefined;
		const url = typeof e.url === 'string' && e.url !== '' ? e.url : undefined;
		const finishReason = typeof e.finish_reason === 'string' ? e.finish_reason : 'success';
		const seed = typeof e.seed === 'number' ? e.seed : undefined;
		return { bytes, url, finishReason, seed };
	});
	return {
		id: typeof record.id === 'string' ? record.id : undefined,
		created: typeof record.created === 'number' ? record.created : undefined,
		images,
	};
}

/** Decodes a base64 image strictly: empty or non-base64 content is an error, not an empty file. */
export function decodeBase64Image(b64: string | undefined, index: number): Buffer {
	const clean = (b64 ?? '').replace(/^data:[^;]+;base64,/, '').replace(/\s+/g, '');
	if (clean === '')
		throw new MalformedResponseError(
			`image ${index + 1} in the API response has empty base64 data`,
		);
	if (!/^[A-Za-z0-9+/_-]+={0,2}$/.test(clean)) {
		throw new MalformedResponseError(`image ${index + 1} in the API response is not valid base64`);
	}
	return Buffer.from(clean, 'base64');
}

function describeText(text: string): string {
	const preview = text.slice(0, 80).replace(/\s+/g, ' ');
	return text.length === 0 ? 'an empty body' : `"${preview}${text.length > 80 ? '…' : ''}"`;
}

function parseJson(text: string): unknown {
	try {
		return JSON.parse(text);
	} catch {
		return undefined;
	}
}

export interface StreamedImageResponse {
	/** The JSON text with every base64 image value replaced by a placeholder (see parseImageResponse). */
	text: string;
	/** The decoded images, in the order their values appeared. */
	images: Buffer[];
}

const IMAGE_VALUE_START = /"(?:b64_json|image)"\s*:\s*"/;
const PLACEHOLDER = /^__stepfun_image_(\d+)__$/;
const EMPTY = Buffer.alloc(0);

/**
 * Reads a JSON image response chunk by chunk and decodes each base64 image value straight into a
 * Buffer, so a large image is held once (as bytes) instead of as response text, a JSON string and a
 * decoded copy. `contentLength`, when known, lets the decoder write into one preallocated Buffer.
 */
export async function readImageResponse(
	chunks: AsyncIterable<Uint8Array>,
	contentLength?: number,
): Promise<StreamedImageResponse> {
	const text: Buffer[] = [];
	const images: Buffer[] = [];
	let pending: Buffer = EMPTY; // undecided bytes while looking for an image value
	let received = 0;
	let decoder: Base64Decoder | undefined;

	for await (const raw of chunks) {
		let chunk: Buffer = Buffer.isBuffer(raw)
			? raw
			: Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
		received += chunk.length;
		while (chunk.length > 0) {
			if (!decoder) {
				pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
				chunk = EMPTY;
				const match = IMAGE_VALUE_START.exec(pending.toString('latin1'));
				if (!match) {
					// Keep a tail long enough to hold a key split across chunks.
					const keep = Math.min(pending.length, 32);
					text.push(pending.subarray(0, pending.length - keep));
					pending = Buffer.from(pending.subarray(pending.length - keep));
					break;
				}
				const end = match.index + match[0].length;
				text.push(pending.subarray(0, end), Buffer.from(`__stepfun_image_${images.length}__`));
				chunk = pending.subarray(end);
				pending = EMPTY;
				const remaining = contentLength ? contentLength - (received - chunk.length) : undefined;
				decoder = new Base64Decoder(images.length, remaining);
			} else {
				const quote = chunk.indexOf(0x22);
				decoder.push(quote === -1 ? chunk : chunk.subarray(0, quote));
				if (quote === -1) {
					chunk = EMPTY;
				} else {
					images.push(decoder.finish());
					decoder = undefined;
					chunk = chunk.subarray(quote); // the closing quote stays JSON text
				}
			}
		}
	}
	if (decoder || (contentLength !== undefined && received < contentLength)) {
		throw new TruncatedResponseError(
			`the API response was cut off after ${received} bytes${contentLength ? ` of ${contentLength}` : ''}`,
		);
	}
	text.push(pending);
	return { text: Buffer.concat(text).toString('utf8'), images };
}

class Base64Decoder {
	private carry = '';
	private out: Buffer | undefined;
	private written = 0;
	private readonly pieces: Buffer[] = [];

	constructor(
		private readonly index: number,
		remainingBytes?: number,
	) {
		// Base64 text of n bytes decodes to at most ceil(n * 3 / 4) bytes.
		if (remainingBytes && remainingBytes > 0)
			this.out = Buffer.allocUnsafe(Math.ceil((remainingBytes * 3) / 4));
	}

	push(bytes: Buffer): void {
		let text = bytes.toString('latin1');
		// JSON may escape "/" as "\/" and carry line breaks as "\n".
		if (text.includes('\\')) text = text.replace(/\\[nrt]/g, '').replace(/\\/g, '');
		if (!/^[A-Za-z0-9+/=_\-\s]*$/.test(text)) {
			throw new MalformedResponseError(
				`image ${this.index + 1} in the API response is not valid base64`,
			);
		}
		text = this.carry + text.replace(/\s+/g, '');
		const usable = text.length - (text.length % 4);
		this.carry = text.slice(usable);
		if (usable > 0) this.write(text.slice(0, usable));
	}

	finish(): Buffer {
		if (this.carry.length === 1) {
			throw new MalformedResponseError(
				`image ${this.index + 1} in the API response is not valid base64`,
			);
		}
		if (this.carry) this.write(this.carry);
		const bytes =
			this.pieces.length === 0
				? (this.out?.subarray(0, this.written) ?? EMPTY)
				: Buffer.concat([
						...this.pieces,
						...(this.out ? [this.out.subarray(0, this.written)] : []),
					]);
		if (bytes.length === 0) {
			throw new MalformedResponseError(
				`image ${this.index + 1} in the API response has empty base64 data`,
			);
		}
		return bytes;
	}

	private write(text: string): void {
		const needed = Math.ceil((text.length * 3) / 4);
		if (this.out && this.written + needed <= this.out.length) {
			this.written += this.out.write(text, this.written, 'base64');
			return;
		}
		// No or too small a preallocation (unknown or compressed length): collect pieces instead.
		if (this.out) {
			this.pieces.push(this.out.subarray(0, this.written));
			this.out = undefined;
			this.written = 0;
		}
		this.pieces.push(Buffer.from(text, 'base64'));
	}
}
