// Pure parsing of StepFun image responses.

export interface ReturnedImage {
	b64?: string;
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

export function parseImageResponse(body: unknown): ImageResponse {
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
		const url = typeof e.url === 'string' && e.url !== '' ? e.url : undefined;
		const finishReason = typeof e.finish_reason === 'string' ? e.finish_reason : 'success';
		const seed = typeof e.seed === 'number' ? e.seed : undefined;
		return { b64, url, finishReason, seed };
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
