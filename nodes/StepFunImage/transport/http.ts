// One HTTP exchange, bounded in time from the request's start to the last body byte. The client
// (client.ts) is the only caller; this file is the only place that touches n8n's HTTP helpers.
import type { IExecuteFunctions, IHttpRequestOptions } from 'n8n-workflow';

import { ImageFormatError } from '../image/walker';
import { MalformedResponseError } from './limits';
import { CancelledError, sleepAbortable } from './wait';

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

/**
 * The exchange failed below HTTP: no answer, a dropped connection, a refused redirect, or our own
 * deadline. `answered` is the status when the failure came while the answer's body arrived.
 */
export class NetworkFailure extends Error {
	constructor(
		readonly code: string,
		readonly detail?: string,
		readonly answered?: number,
	) {
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
	let answered: number | undefined;
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
		answered = response.statusCode;
		if (attempt.signal.aborted) throw attempt.signal.reason;
		return await read(response);
	} catch (error) {
		failure = error;
	} finally {
		deadline.abort();
		options.signal?.removeEventListener('abort', onCancel);
		if (body && !body.readableEnded) body.destroy?.();
	}
	const classified = classify(failure, options.signal?.aborted === true, timedOut, answered);
	if (classified instanceof NetworkFailure && classified.code === 'ERR_FR_TOO_MANY_REDIRECTS') {
		throw new NetworkFailure(classified.code, `more than ${request.maxRedirects ?? 21}`);
	}
	throw classified;
}

/**
 * What stopped an exchange: a cancel, our deadline, one of our own typed failures (bad body, too
 * large), or else the network, named by its code.
 */
function classify(
	error: unknown,
	cancelled: boolean,
	timedOut: boolean,
	answered: number | undefined,
): Error {
	if (cancelled) return new CancelledError();
	if (timedOut) return new NetworkFailure('ETIMEDOUT');
	if (
		error instanceof NetworkFailure ||
		error instanceof CancelledError ||
		error instanceof MalformedResponseError ||
		error instanceof ImageFormatError
	)
		return error;
	const { code, detail } = networkFailureOf(error);
	return new NetworkFailure(code, detail, answered);
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
	'ERR_FR_TOO_MANY_REDIRECTS',
	'ERR_FR_REDIRECTION_FAILURE',
];

/** n8n's SSRF protection (N8N_SSRF_PROTECTION_ENABLED) names its refusals by these error names. */
const SSRF_ERRORS = ['SsrfBlockedIpError', 'SsrfBlockedHostnameError'];

/**
 * The network failure in an error thrown by n8n's HTTP helpers (they wrap axios errors): its code,
 * and for a refused redirect the scheme it pointed to (only that: the rest is the network's text).
 */
export function networkFailureOf(error: unknown): { code: string; detail?: string } {
	const seen = new Set<unknown>();
	let current: unknown = error;
	const texts: string[] = [];
	let code: string | undefined;
	while (current && typeof current === 'object' && !seen.has(current)) {
		seen.add(current);
		const e = current as Record<string, unknown>;
		if (typeof e.name === 'string' && SSRF_ERRORS.includes(e.name)) return { code: 'SSRF_BLOCKED' };
		if (!code && typeof e.code === 'string' && NETWORK_CODES.includes(e.code)) code = e.code;
		for (const key of ['message', 'description'])
			if (typeof e[key] === 'string') texts.push(e[key] as string);
		current = e.cause ?? (e.context as Record<string, unknown> | undefined)?.cause;
	}
	const text = texts.join(' ');
	code ??= NETWORK_CODES.find((c) => text.includes(c));
	if (code === 'ERR_FR_REDIRECTION_FAILURE') {
		const scheme = /Unsupported protocol ([a-z][a-z0-9+.-]{0,20}:)/i.exec(text)?.[1];
		return { code, detail: scheme?.toLowerCase() };
	}
	if (code) return { code };
	if (/timeout|timed out/i.test(text)) return { code: 'ETIMEDOUT' };
	if (/socket hang up|aborted|closed|unexpected end/i.test(text)) return { code: 'ECONNRESET' };
	return { code: 'ENETWORK' };
}
