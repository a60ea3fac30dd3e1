// The only door to HTTP. Everything the node sends or downloads goes through here.
import type { IDataObject, IExecuteFunctions, IHttpRequestOptions, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import {
	describeFailure,
	extractApiError,
	redact,
	RETRYABLE_STATUSES,
	type ApiFailure,
} from '../helpers/errors';
import {
	MalformedResponseError,
	readImageResponse,
	TruncatedResponseError,
	type StreamedImageResponse,
} from '../helpers/response';
import { CancelledError, RequestGovernor, sleepAbortable } from '../helpers/scheduler';

export const CREDENTIAL_TYPE = 'stepPlanApi';

export interface TransportSettings {
	baseUrl: string;
	timeoutMs: number;
	/** Retries for 5xx, timeouts and connection failures. */
	maxRetries: number;
	/** How long one item may keep waiting out 429s before giving up. */
	rateLimitWaitMs: number;
	/** Only used to scrub the key from any text that might echo it. */
	apiKey?: string;
}

export interface ApiResult {
	/** The JSON text with base64 images replaced by placeholders; `images` holds their bytes. */
	body: string;
	images: Buffer[];
	traceId?: string;
	attempts: number;
	durationMs: number;
}

export interface CallContext {
	itemIndex: number;
	model: string;
	/** True once another item failed for good and the run is stopping: no new attempts. */
	isStopping?: () => boolean;
}

interface FullResponse {
	body: unknown;
	headers: Record<string, string | string[] | undefined>;
	statusCode: number;
}

/** POSTs to an image endpoint with retries, shared rate limiting and clear errors. */
export async function postImageRequest(
	this: IExecuteFunctions,
	governor: RequestGovernor,
	settings: TransportSettings,
	path: '/images/generations' | '/images/edits',
	body: IDataObject | FormData,
	call: CallContext,
): Promise<ApiResult> {
	const started = Date.now();
	const signal = this.getExecutionCancelSignal?.();
	let attempts = 0;
	let serverRetries = 0;
	let rateLimitWaited = 0;
	for (;;) {
		if (call.isStopping?.()) throw new CancelledError();
		const ticket = await governor.acquire();
		// Another item may have failed for good while this one waited for its slot.
		if (call.isStopping?.()) {
			governor.release(ticket, 'unsent');
			throw new CancelledError();
		}
		attempts++;
		const options: IHttpRequestOptions = {
			method: 'POST',
			url: `${settings.baseUrl}${path}`,
			body,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			timeout: settings.timeoutMs,
			// Streamed, so a large base64 image is decoded as it arrives (see readImageResponse).
			encoding: 'stream',
		};
		// FormData carries its own multipart Content-Type; a JSON one would turn the form into JSON.
		if (!(body instanceof FormData)) options.json = true;

		let response: FullResponse | undefined;
		let networkCode: string | undefined;
		let success: StreamedImageResponse | undefined;
		let errorText = '';
		let malformed: string | undefined;
		try {
			response = (await this.helpers.httpRequestWithAuthentication.call(
				this,
				CREDENTIAL_TYPE,
				options,
			)) as FullResponse;
			const stream = response.body as AsyncIterable<Uint8Array>;
			if (response.statusCode >= 200 && response.statusCode < 300) {
				const length = Number(headerValue(response.headers, 'content-length'));
				success = await readImageResponse(stream, Number.isFinite(length) ? length : undefined);
			} else {
				errorText = await readText(stream, 64 * 1024);
			}
		} catch (error) {
			// A body that arrived but is unusable is the API's answer: retrying would not help.
			if (error instanceof TruncatedResponseError) networkCode = 'ECONNRESET';
			else if (error instanceof MalformedResponseError) malformed = error.message;
			else networkCode = networkCodeOf(error);
		}
		if (signal?.aborted || malformed !== undefined) {
			governor.release(ticket, 'failed');
			if (malformed === undefined) throw new CancelledError();
			const traceId = response ? headerValue(response.headers, 'x-trace-id') : undefined;
			throw unusableResponseError(this, malformed, call.itemIndex, traceId);
		}

		const status = networkCode === undefined ? response?.statusCode : undefined;
		const traceId = response ? headerValue(response.headers, 'x-trace-id') : undefined;
		if (success) {
			governor.release(ticket, 'success');
			return {
				body: success.text,
				images: success.images,
				traceId,
				attempts,
				durationMs: Date.now() - started,
			};
		}

		const failure: ApiFailure = {
			status,
			traceId,
			networkCode,
			model: call.model,
			baseUrl: settings.baseUrl,
			attempts,
			...(() => {
				const e = errorText ? extractApiError(errorText) : {};
				return { errorType: e.type, errorMessage: e.message };
			})(),
		};

		if (status === 429) {
			const retryAfterMs = parseRetryAfter(headerValue(response?.headers ?? {}, 'retry-after'));
			const delay = governor.release(ticket, 'rateLimited', retryAfterMs);
			if (rateLimitWaited + delay <= settings.rateLimitWaitMs) {
				rateLimitWaited += delay;
				await sleepAbortable(delay, signal);
				continue;
			}
		} else {
			governor.release(ticket, 'failed');
			const retryable =
				networkCode !== undefined || (status !== undefined && RETRYABLE_STATUSES.has(status));
			if (retryable && serverRetries < settings.maxRetries) {
				serverRetries++;
				await sleepAbortable(governor.backoff(serverRetries), signal);
				continue;
			}
		}
		throw apiError(this, failure, call.itemIndex, settings.apiKey);
	}
}

/**
 * Downloads an image from a result URL. Plain request without credentials: the URL is a
 * temporary file link on another host, which must never receive the API key.
 */
export async function downloadImage(
	this: IExecuteFunctions,
	governor: RequestGovernor,
	settings: TransportSettings,
	url: string,
	call: CallContext,
): Promise<Buffer> {
	const signal = this.getExecutionCancelSignal?.();
	for (let attempt = 1; ; attempt++) {
		let failure: ApiFailure;
		try {
			const response = (await this.helpers.httpRequest({
				method: 'GET',
				url,
				encoding: 'stream',
				returnFullResponse: true,
				ignoreHttpStatusErrors: true,
				timeout: settings.timeoutMs,
				abortSignal: signal,
			})) as FullResponse;
			const stream = response.body as AsyncIterable<Uint8Array>;
			if (response.statusCode >= 200 && response.statusCode < 300) {
				const length = Number(headerValue(response.headers, 'content-length'));
				return await readAll(stream, Number.isFinite(length) ? length : undefined);
			}
			await readText(stream, 0);
			failure = { status: response.statusCode, attempts: attempt };
		} catch (error) {
			failure = { networkCode: networkCodeOf(error), attempts: attempt };
		}
		if (signal?.aborted) throw new CancelledError();
		const retryable =
			failure.networkCode !== undefined || RETRYABLE_STATUSES.has(failure.status ?? 0);
		if (retryable && attempt <= settings.maxRetries && !call.isStopping?.()) {
			await sleepAbortable(governor.backoff(attempt), signal);
			continue;
		}
		const host = safeHost(url);
		throw new NodeApiError(
			this.getNode(),
			{ status: failure.status ?? null, networkError: failure.networkCode ?? null } as JsonObject,
			{
				message: `Could not download the generated image from ${host} (${failure.status ? `HTTP ${failure.status}` : failure.networkCode})`,
				description:
					'Result URLs are temporary. Run the item again, or set Options → Result Format to "Binary" so the image comes inside the API response.',
				httpCode: failure.status ? String(failure.status) : undefined,
				itemIndex: call.itemIndex,
			},
		);
	}
}

/** The API answered, but without a usable image: not retried, the answer would be the same. */
export function unusableResponseError(
	ctx: IExecuteFunctions,
	reason: string,
	itemIndex: number,
	traceId: string | undefined,
): NodeApiError {
	return new NodeApiError(
		ctx.getNode(),
		{ traceId: traceId ?? null },
		{
			message: `Unusable response from the StepFun API: ${reason} [item ${itemIndex}]`,
			description: `The endpoint answered without a usable image. Check that the credential's Base URL points at a StepFun-compatible API.${traceId ? ` Trace ID: ${traceId}.` : ''}`,
			itemIndex,
		},
	);
}

/** Reads a whole body into one Buffer, preallocated when the length is known (no chunk-list copy). */
async function readAll(stream: AsyncIterable<Uint8Array>, length?: number): Promise<Buffer> {
	const parts: Uint8Array[] = [];
	const out = length !== undefined && length > 0 ? Buffer.allocUnsafe(length) : undefined;
	let filled = 0;
	let size = 0;
	for await (const chunk of stream) {
		// Once a chunk does not fit (a wrong Content-Length), everything after goes to the list.
		if (out && parts.length === 0 && size + chunk.length <= out.length) {
			out.set(chunk, size);
			filled += chunk.length;
		} else parts.push(chunk);
		size += chunk.length;
	}
	if (out && parts.length === 0) {
		if (size < out.length) {
			throw new TruncatedResponseError(
				`the download was cut off after ${size} of ${out.length} bytes`,
			);
		}
		return out;
	}
	return Buffer.concat(out ? [out.subarray(0, filled), ...parts] : parts);
}

/** Reads a (small) error body as text, stopping after `limit` bytes. */
async function readText(stream: AsyncIterable<Uint8Array>, limit: number): Promise<string> {
	const parts: Buffer[] = [];
	let size = 0;
	for await (const chunk of stream) {
		if (size < limit) parts.push(Buffer.from(chunk));
		size += chunk.length;
	}
	return Buffer.concat(parts).toString('utf8').slice(0, limit);
}

function apiError(
	ctx: IExecuteFunctions,
	failure: ApiFailure,
	itemIndex: number,
	apiKey?: string,
): NodeApiError {
	const described = describeFailure(failure);
	// Only safe fields go into the error: never the request options (they hold the Authorization header).
	const safe: JsonObject = {
		status: failure.status ?? null,
		type: failure.errorType ?? null,
		message: failure.errorMessage ? redact(failure.errorMessage, apiKey) : null,
		traceId: failure.traceId ?? null,
		// Not named `code`: NodeApiError would swap our message for its generic one.
		networkError: failure.networkCode ?? null,
	};
	return new NodeApiError(ctx.getNode(), safe, {
		message: `${redact(described.message, apiKey)} [item ${itemIndex}]`,
		description: redact(described.description, apiKey),
		httpCode: failure.status ? String(failure.status) : undefined,
		itemIndex,
	});
}

function headerValue(
	headers: Record<string, string | string[] | undefined>,
	name: string,
): string | undefined {
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
	}
	return undefined;
}

/** Retry-After in seconds or as an HTTP date; undefined when absent or unusable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
	if (!value) return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds) && seconds >= 0) return Math.min(seconds * 1000, 300000);
	const date = Date.parse(value);
	return Number.isNaN(date) ? undefined : Math.max(0, Math.min(date - now, 300000));
}

const NETWORK_CODES = [
	'ECONNRESET',
	'ECONNREFUSED',
	'ECONNABORTED',
	'ETIMEDOUT',
	'ESOCKETTIMEDOUT',
	'EPIPE',
	'ENOTFOUND',
	'EAI_AGAIN',
	'EHOSTUNREACH',
	'ENETUNREACH',
	'ERR_BAD_RESPONSE',
];

/** Finds the network failure code in an error thrown by n8n's HTTP helpers (they wrap axios errors). */
export function networkCodeOf(error: unknown): string {
	const seen = new Set<unknown>();
	let current: unknown = error;
	const texts: string[] = [];
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		const e = current as Record<string, unknown>;
		if (typeof e.code === 'string' && NETWORK_CODES.includes(e.code)) return e.code;
		for (const key of ['message', 'description'])
			if (typeof e[key] === 'string') texts.push(e[key] as string);
		current = e.cause ?? (e.context as Record<string, unknown> | undefined)?.cause;
	}
	const text = texts.join(' ');
	const code = NETWORK_CODES.find((c) => text.includes(c));
	if (code) return code;
	if (/timeout|timed out/i.test(text)) return 'ETIMEDOUT';
	if (/socket hang up|aborted|closed/i.test(text)) return 'ECONNRESET';
	return 'ENETWORK';
}

function safeHost(url: string): string {
	try {
		return new URL(url).host;
	} catch {
		return 'the result URL';
	}
}
