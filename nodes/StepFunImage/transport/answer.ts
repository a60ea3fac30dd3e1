// Reading one API answer: the body bounded and parsed, or what went wrong, as an Outcome the
// client decides on (retry, wait, follow, or fail).
import type { ApiFailure } from '../helpers/errors';
import { extractApiError } from '../helpers/errors';
import { MalformedResponseError, TruncatedResponseError } from '../helpers/failures';
import { ImageFormatError } from '../helpers/image';
import type { SinkFactory } from '../helpers/imageSink';
import {
	parseImageResponse,
	readImageResponse,
	readText,
	type ImageResponse,
} from '../helpers/response';
import { clampDelay } from '../helpers/scheduler';
import { contentLength, headerValue, type RawResponse } from './http';
import { MAX_ANSWER_BYTES, MAX_ERROR_BODY_BYTES, MAX_JSON_TEXT_BYTES } from './limits';

export type Outcome =
	| { kind: 'ok'; traceId?: string; parsed: ImageResponse }
	| { kind: 'unusable'; traceId?: string; reason: string }
	| { kind: 'redirect'; traceId?: string; status: number; location: string }
	| { kind: 'status'; traceId?: string; status: number; retryAfter?: string; text: string }
	| { kind: 'network'; code: string };

/**
 * Reads an answer of any status, images into `sinks`; a truncated body or a network error is thrown
 * (worth a retry).
 */
export async function readAnswer(response: RawResponse, sinks: SinkFactory): Promise<Outcome> {
	const { statusCode: status, headers, body } = response;
	const traceId = headerValue(headers, 'x-trace-id');
	if (status >= 200 && status < 300) {
		const limits = {
			maxBytes: MAX_ANSWER_BYTES,
			maxTextBytes: MAX_JSON_TEXT_BYTES,
			sizeHint: contentLength(headers),
		};
		const streamed = await readImageResponse(body, limits, sinks).catch((error: unknown) =>
			unusable(error),
		);
		if ('reason' in streamed) return { kind: 'unusable', traceId, reason: streamed.reason };
		const parsed = (() => {
			try {
				return parseImageResponse(streamed.text, streamed.images);
			} catch (error) {
				return unusable(error);
			}
		})();
		if ('reason' in parsed) return { kind: 'unusable', traceId, reason: parsed.reason };
		return { kind: 'ok', traceId, parsed };
	}
	if (status >= 300 && status < 400 && headerValue(headers, 'location') !== undefined) {
		return { kind: 'redirect', traceId, status, location: headerValue(headers, 'location')! };
	}
	const text = await readText(body, MAX_ERROR_BODY_BYTES);
	return {
		kind: 'status',
		traceId,
		status,
		retryAfter: headerValue(headers, 'retry-after'),
		text,
	};
}

export function failureOf(outcome: Outcome, failure: ApiFailure): ApiFailure {
	if (outcome.kind === 'network') return { ...failure, networkCode: outcome.code };
	if (outcome.kind === 'redirect') {
		const target = resolveUrl(outcome.location, failure.baseUrl ?? '') ?? outcome.location;
		return { ...failure, status: outcome.status, traceId: outcome.traceId, redirectTo: target };
	}
	if (outcome.kind !== 'status') return failure;
	const api = outcome.text ? extractApiError(outcome.text) : {};
	return {
		...failure,
		status: outcome.status,
		traceId: outcome.traceId,
		errorType: api.type,
		errorMessage: api.message,
	};
}

/**
 * A body the API sent that cannot be used (malformed, too large) becomes a reason to report; a
 * truncated one (a transport failure, worth a retry) and anything unexpected are thrown on.
 */
function unusable(error: unknown): { reason: string } {
	if (error instanceof MalformedResponseError && !(error instanceof TruncatedResponseError)) {
		return { reason: error.message };
	}
	if (error instanceof ImageFormatError) {
		return { reason: `the returned image is unusable: ${error.message}` };
	}
	throw error;
}

/** Retry-After in seconds or as an HTTP date, in ms; undefined when absent or unusable. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
	const text = value?.trim();
	if (!text) return undefined;
	if (/^[+-]?\d+(\.\d+)?$/.test(text)) {
		const seconds = Number(text);
		return seconds < 0 ? undefined : clampDelay(seconds * 1000);
	}
	const date = /[a-z]/i.test(text) ? Date.parse(text) : NaN;
	return Number.isNaN(date) ? undefined : clampDelay(date - now);
}

export function resolveUrl(location: string, base: string): string | undefined {
	try {
		return new URL(location, base).href;
	} catch {
		return undefined;
	}
}
