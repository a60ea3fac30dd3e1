// Pure mapping from API failures to what a user should read and do. No n8n context here:
// the transport turns the result into a NodeApiError.

export interface ApiFailure {
	status?: number;
	/** StepFun's error.type / error.message, when the body had them. */
	errorType?: string;
	errorMessage?: string;
	traceId?: string;
	/** Network-level failure code (ETIMEDOUT, ECONNRESET...), when there was no HTTP status. */
	networkCode?: string;
	/** Where a 3xx answer pointed (already made safe to show). */
	redirectTo?: string;
	model?: string;
	baseUrl?: string;
	attempts?: number;
}

export interface DescribedFailure {
	message: string;
	description: string;
	retryable: boolean;
}

// Plain words, not codes: NodeApiError replaces any message containing e.g. "ECONNREFUSED" with its own.
const NETWORK_WORDS: Record<string, string> = {
	ECONNREFUSED: 'connection refused',
	ECONNRESET: 'connection reset',
	EPIPE: 'connection reset',
	ENOTFOUND: 'host not found',
	EAI_AGAIN: 'DNS lookup failed',
	EHOSTUNREACH: 'host unreachable',
	ENETUNREACH: 'network unreachable',
	ERR_BAD_RESPONSE: 'broken response',
	EPROTO: 'TLS handshake failed',
	CERT_HAS_EXPIRED: 'TLS certificate expired',
	DEPTH_ZERO_SELF_SIGNED_CERT: 'untrusted TLS certificate',
	SELF_SIGNED_CERT_IN_CHAIN: 'untrusted TLS certificate',
	UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'untrusted TLS certificate',
	ERR_TLS_CERT_ALTNAME_INVALID: 'TLS certificate for another host',
};

/** A network failure code in plain words, e.g. "connection refused". */
export function networkWords(code: string): string {
	if (/TIMEDOUT|ECONNABORTED|TIMEOUT/i.test(code)) return 'no complete answer within the Timeout';
	return NETWORK_WORDS[code] ?? 'network error';
}

export const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);

export function extractApiError(body: unknown): { type?: string; message?: string } {
	let value = body;
	if (typeof value === 'string') {
		try {
			value = JSON.parse(value);
		} catch {
			return { message: (body as string).trim().slice(0, 200) || undefined };
		}
	}
	if (!value || typeof value !== 'object') return {};
	const record = value as Record<string, unknown>;
	const err = record.error;
	if (err && typeof err === 'object') {
		const e = err as Record<string, unknown>;
		return {
			type: typeof e.type === 'string' ? e.type : typeof e.code === 'string' ? e.code : undefined,
			message: typeof e.message === 'string' ? e.message : undefined,
		};
	}
	if (typeof err === 'string') return { message: err };
	if (typeof record.message === 'string') return { message: record.message };
	return {};
}

export function describeFailure(f: ApiFailure): DescribedFailure {
	const api = f.errorMessage
		? `StepFun said: "${f.errorMessage}"${f.errorType ? ` (${f.errorType})` : ''}.`
		: '';
	const trace = f.traceId ? ` Trace ID: ${f.traceId} (quote it to StepFun support).` : '';
	const tries = f.attempts && f.attempts > 1 ? ` Gave up after ${f.attempts} attempts.` : '';
	const tail = `${api ? ` ${api}` : ''}${tries}${trace}`;
	const model = f.model ?? 'the model';

	if (f.networkCode) {
		const timeout = /TIMEDOUT|ECONNABORTED|TIMEOUT/i.test(f.networkCode);
		return {
			message: timeout
				? 'The StepFun API did not answer in time'
				: `Could not reach the StepFun API (${networkWords(f.networkCode)})`,
			description: timeout
				? `No answer within the node's Timeout. Image calls can take tens of seconds: raise Options → Timeout, or lower Concurrency.${tail}`
				: `The connection to ${f.baseUrl ?? 'the API'} failed (${f.networkCode}). Check the credential's Endpoint / Base URL and your network, then retry.${tail}`,
			retryable: true,
		};
	}

	const status = f.status ?? 0;
	if (f.redirectTo !== undefined) {
		return {
			message: `The StepFun API answered with a redirect (HTTP ${status}) to ${f.redirectTo}`,
			description: `The node does not follow API redirects to another address, so your API key only goes to the credential's Base URL${f.baseUrl ? ` (${f.baseUrl})` : ''}. If the new address is right, put it in the credential's Base URL (Endpoint: Custom).${tail}`,
			retryable: false,
		};
	}
	const notSupported =
		/^model\s+\S+\s+(is\s+)?not supported|unknown model|model\b.*\b(does not exist|not found)/i.test(
			f.errorMessage ?? '',
		);
	switch (true) {
		case status === 400 && notSupported:
			return {
				message: `Model "${model}" is not available (HTTP 400)`,
				description: `StepFun rejected the model ID: it may be misspelled, retired or not yet enabled for your account. Pick another model or type a current model ID (StepFun announced a pause of its image endpoints from 2026-10-10).${tail}`,
				retryable: false,
			};
		case status === 400:
			return {
				message: `StepFun rejected the request as invalid (HTTP 400)`,
				description: `Check the node's parameters against the message.${tail}`,
				retryable: false,
			};
		case status === 401:
			return {
				message: 'The API key was rejected (HTTP 401)',
				description: `Check the API key in the Step Plan API credential. Keys are region-bound: a China key only works with the China endpoints (api.stepfun.com) and a global key only with the global ones (api.stepfun.ai) — check the credential's Endpoint.${tail}`,
				retryable: false,
			};
		case status === 402:
			return {
				message: 'Insufficient balance (HTTP 402)',
				description: `Your StepFun account has no credit left for this endpoint. Top up, or switch the credential's Endpoint (Step Plan endpoints bill plan credits; Open Platform endpoints bill cash).${tail}`,
				retryable: false,
			};
		case status === 403:
			return {
				message: 'Access denied (HTTP 403)',
				description: `The key is not allowed to use this model or endpoint. Check your plan and the credential's Endpoint.${tail}`,
				retryable: false,
			};
		case status === 404:
			return {
				message: 'The image endpoint was not found (HTTP 404)',
				description: `${f.baseUrl ?? 'The Base URL'} has no such image endpoint: the endpoint may be retired or unavailable, or the Base URL is wrong. Check the credential's Endpoint / Base URL, or try another model ID.${tail}`,
				retryable: false,
			};
		case status === 413:
			return {
				message: 'The image is too large for the API (HTTP 413)',
				description: `Send a smaller file (fewer bytes or fewer pixels).${tail}`,
				retryable: false,
			};
		case status === 429:
			return {
				message: 'StepFun rate limit reached (HTTP 429)',
				description: `Your account's concurrency or requests-per-minute limit was hit and retries did not get through. Lower Options → Concurrency, raise Options → Max Retries, or upgrade your StepFun account tier.${tail}`,
				retryable: true,
			};
		case status === 451:
			return {
				message: 'Blocked by StepFun content moderation (HTTP 451)',
				description: `The prompt or the input image was rejected by the safety review. Rephrase the prompt or use another image.${tail}`,
				retryable: false,
			};
		case status === 503:
			return {
				message: 'The StepFun image service is unavailable (HTTP 503)',
				description: `The model or endpoint may be retired or temporarily unavailable (StepFun paused its image endpoints from 2026-10-10). Try again later, another model ID, or another Base URL.${tail}`,
				retryable: true,
			};
		case status >= 500:
			return {
				message: `StepFun server error (HTTP ${status})`,
				description: `The API failed on its side. Retry later; if it persists, contact StepFun support.${tail}`,
				retryable: true,
			};
		default:
			return {
				message: `Unexpected answer from the StepFun API (HTTP ${status})`,
				description: `Check the credential's Endpoint / Base URL.${tail}`,
				retryable: false,
			};
	}
}
