// One HTTP exchange, bounded in time from the request's start to the last body byte. The client
// (client.ts) is the only caller; this file is the only place that touches n8n's HTTP helpers.
import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { MalformedResponseError } from '../helpers/failures';
import { ImageFormatError } from '../helpers/image';
import { CancelledError, sleepAbortable } from '../helpers/scheduler';

export const CREDENTIAL_TYPE = 'stepPlanApi';

type Headers = Record<string, string | string[] | undefined>;

export interface RawResponse {
	statusCode: number;
	headers: Headers;
	body: AsyncIterable<Uint8Array>;
}

interface Body extends AsyncIterable<Uint8Array> {
	destroy?: (error?: Error) => void;
	readableEnded?: boolean;
}

/** The exchange failed below HTTP: no answer, a dropped connection, or our own deadline. */
export class NetworkFailure extends Error {
	constructor(readonly code: string) {
		super(code);
	}
}

export interface ExchangeOptions {
	/** Sent with the credential (API calls) or without it (file downloads). */
	authenticated: boolean;
	timeoutMs: number;
	/** The execution's cancel signal. */
	signal?: AbortSignal;
}

/**
 * Sends one request and hands the response to `read`, all within `timeoutMs`. On the deadline or
 * a cancel the request is aborted and its body destroyed, so a server that trickles bytes or goes
 * silent after the headers cannot hold the item (or a socket) past the Timeout.
 */
export async function exchange<T>(
	ctx: IExecuteFunctions,
	request: IHttpRequestOptions,
	options: ExchangeOptions,
	read: (response: RawResponse) => Promise<T>,
): Promise<T> {
	const attempt = new AbortController();
	const deadline = new AbortController();
	let timedOut = false;
	let body: Body | undefined;
	const stop = (reason: Error) => {
		if (!attempt.signal.aborted) attempt.abort(reason);
		body?.destroy?.(reason);
	};
	const onCancel = () => stop(new CancelledError());
	options.signal?.addEventListener('abort', onCancel, { once: true });
	sleepAbortable(options.timeoutMs, deadline.signal).then(
		() => {
			timedOut = true;
			stop(new NetworkFailure('ETIMEDOUT'));
		},
		() => {}, // the exchange ended first and cleared the timer
	);

	let failure: unknown;
	try {
		if (options.signal?.aborted) throw new CancelledError();
		const full: IHttpRequestOptions = {
			...request,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			encoding: 'stream',
			timeout: options.timeoutMs,
			abortSignal: attempt.signal,
		};
		const sending = options.authenticated
			? // n8n puts the context's cancel signal on authenticated requests: give it the attempt's.
				ctx.helpers.httpRequestWithAuthentication.call(
					attemptView(ctx, attempt.signal),
					CREDENTIAL_TYPE,
					full,
				)
			: ctx.helpers.httpRequest(full);
		const response = (await untilAborted(sending, attempt.signal)) as RawResponse;
		body = response.body as Body;
		if (attempt.signal.aborted) throw attempt.signal.reason;
		return await read(response);
	} catch (error) {
		failure = error;
	} finally {
		deadline.abort();
		options.signal?.removeEventListener('abort', onCancel);
		if (body && !body.readableEnded) body.destroy?.();
	}
	throw classify(failure, options.signal?.aborted === true, timedOut);
}

/**
 * What stopped an exchange: a cancel, our deadline, one of our own typed failures (bad body, too
 * large), or else the network, named by its code.
 */
function classify(error: unknown, cancelled: boolean, timedOut: boolean): Error {
	if (cancelled) return new CancelledError();
	if (timedOut) return new NetworkFailure('ETIMEDOUT');
	if (
		error instanceof NetworkFailure ||
		error instanceof CancelledError ||
		error instanceof MalformedResponseError ||
		error instanceof ImageFormatError
	)
		return error;
	return new NetworkFailure(networkCodeOf(error));
}

/** The execution context as n8n's helpers see it, with the attempt's signal as its cancel signal. */
function attemptView(ctx: IExecuteFunctions, signal: AbortSignal): IExecuteFunctions {
	return Object.create(ctx, { getExecutionCancelSignal: { value: () => signal } });
}

/** Resolves with the response, or rejects as soon as the attempt is aborted (destroying a late body). */
async function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
	return await new Promise<T>((resolve, reject) => {
		const onAbort = () => reject(signal.reason);
		if (signal.aborted) onAbort();
		else signal.addEventListener('abort', onAbort, { once: true });
		promise.then(
			(value) => {
				signal.removeEventListener('abort', onAbort);
				if (signal.aborted) (value as { body?: Body } | undefined)?.body?.destroy?.();
				resolve(value);
			},
			(error) => {
				signal.removeEventListener('abort', onAbort);
				reject(error);
			},
		);
	});
}

export function headerValue(headers: Headers | undefined, name: string): string | undefined {
	for (const [key, value] of Object.entries(headers ?? {})) {
		if (key.toLowerCase() === name) return Array.isArray(value) ? value[0] : value;
	}
	return undefined;
}

/** Content-Length as a number, when it is a plain non-negative integer. */
export function contentLength(headers: Headers): number | undefined {
	const value = headerValue(headers, 'content-length')?.trim();
	return value && /^\d{1,16}$/.test(value) ? Number(value) : undefined;
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
	'EPROTO',
	'CERT_HAS_EXPIRED',
	'DEPTH_ZERO_SELF_SIGNED_CERT',
	'SELF_SIGNED_CERT_IN_CHAIN',
	'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
	'ERR_TLS_CERT_ALTNAME_INVALID',
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
	if (/socket hang up|aborted|closed|unexpected end/i.test(text)) return 'ECONNRESET';
	return 'ENETWORK';
}
