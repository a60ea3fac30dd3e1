// Reading what comes back: an API answer or a download, within its byte bounds, each image decoded
// and checked while it arrives (imageJson.ts for the JSON with base64 in it), so an image is held at
// most once. What was read becomes an Outcome, or a download's Problem, for the client to decide on.
import { networkAdvice, networkWords } from '../domain/failures';
import { bufferSinks, type ImageFile, type SinkFactory } from '../image/sinks';
import { ImageFormatError, TruncatedImageError } from '../image/walker';
import { contentLength, headerValue, NetworkFailure, type RawResponse } from './http';
import { asBuffer, readImageJson, type ImageAnswer, type ReadLimits } from './imageJson';
import {
	MalformedResponseError,
	MAX_ANSWER_BYTES,
	MAX_ERROR_BODY_BYTES,
	MAX_JSON_TEXT_BYTES,
	ResponseTooLargeError,
	TruncatedResponseError,
} from './limits';
import { retryOf, type Retry } from './retry';

export type Outcome =
	| { kind: 'ok'; traceId?: string; answer: ImageAnswer }
	| { kind: 'unusable'; traceId?: string; reason: string }
	| { kind: 'cut'; reason: string }
	| { kind: 'redirect'; traceId?: string; status: number; location: string }
	| { kind: 'status'; traceId?: string; status: number; retryAfter?: string; text: string };

/** Reads an API answer of any status, images into `sinks`; network failures are thrown on. */
export async function readAnswer(response: RawResponse, sinks: SinkFactory): Promise<Outcome> {
	const { statusCode: status, headers, body } = response;
	const traceId = headerValue(headers, 'x-trace-id');
	if (status >= 200 && status < 300) {
		const limits = {
			maxBytes: MAX_ANSWER_BYTES,
			maxTextBytes: MAX_JSON_TEXT_BYTES,
			sizeHint: contentLength(headers),
		};
		return await readImageJson(body, limits, sinks).then(
			(answer): Outcome => ({ kind: 'ok', traceId, answer }),
			(error: unknown): Outcome => {
				if (error instanceof TruncatedResponseError) return { kind: 'cut', reason: error.message };
				if (error instanceof MalformedResponseError) {
					return { kind: 'unusable', traceId, reason: error.message };
				}
				if (error instanceof ImageFormatError) {
					const reason = `the returned image is unusable: ${error.message}`;
					return { kind: 'unusable', traceId, reason };
				}
				// A network failure or a cancel: the exchange tells them apart.
				throw error;
			},
		);
	}
	const location = headerValue(headers, 'location');
	if (status >= 300 && status < 400 && location !== undefined) {
		return { kind: 'redirect', traceId, status, location };
	}
	const text = await readText(body, MAX_ERROR_BODY_BYTES);
	return { kind: 'status', traceId, status, retryAfter: headerValue(headers, 'retry-after'), text };
}

/**
 * Reads a whole body (an image download) into a sink, up to a cap. A Content-Length past the cap
 * fails before anything is read; otherwise it is only a preallocation hint.
 */
export async function readInto(
	chunks: AsyncIterable<Uint8Array>,
	limits: ReadLimits,
	sinks: SinkFactory = bufferSinks,
): Promise<ImageFile> {
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
		const file = await sink.end();
		complete = true;
		return file;
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

/** Why a download gave no image, and whether another try could help. */
export interface Problem {
	words: string;
	advice?: string;
	status?: number;
	retry: Retry;
}

/** Reads a download: the checked image into `sinks`, or the Problem its status makes. */
export async function readDownload(
	response: RawResponse,
	sinks: SinkFactory,
): Promise<ImageFile | Problem> {
	const status = response.statusCode;
	if (status < 200 || status >= 300)
		return { status, words: `HTTP ${status}`, retry: retryOf(status) };
	const limits = { maxBytes: MAX_ANSWER_BYTES, sizeHint: contentLength(response.headers) };
	return await readInto(response.body, limits, sinks);
}

/** The Problem a failed download makes; anything else (a cancel) is thrown on. */
export function downloadProblem(error: unknown): Problem {
	if (error instanceof NetworkFailure) {
		const advice = networkAdvice(error.code);
		return { words: networkWords(error.code, error.detail), advice, retry: 'transient' };
	}
	if (error instanceof TruncatedImageError) {
		return { words: `the download ended early (${error.message})`, retry: 'transient' };
	}
	if (error instanceof ImageFormatError) {
		return { words: `the file is not a usable image: ${error.message}`, retry: 'no' };
	}
	if (error instanceof ResponseTooLargeError) return { words: error.message, retry: 'no' };
	throw error;
}
