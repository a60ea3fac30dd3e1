// What can go wrong, in words a user can act on: pure, no n8n context. The transport fills these
// with texts it has redacted; actions/errors.ts alone turns them into n8n errors naming their item.

/**
 * A failure in words safe to show: what happened (message) and what to do (description). `api`
 * marks one of the API or a file host, with the safe facts n8n keeps beside it (a NodeApiError);
 * without it, the node refused something itself (a NodeOperationError).
 */
export class Failure extends Error {
	constructor(
		message: string,
		readonly description: string,
		readonly api?: { response: Record<string, string | number | null>; httpCode?: number },
	) {
		super(message);
	}
}

/** A parameter the user set is unusable; `field` is the display name shown in the node panel. */
export class ParameterError extends Failure {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message, `Fix the "${field}" parameter. No request was sent for this item.`);
	}
}

/** What an API call came to after the retries it was allowed (texts already made safe to show). */
export interface ApiFailure {
	status?: number;
	/** StepFun's error.type / error.message, when the body had them. */
	errorType?: string;
	errorMessage?: string;
	traceId?: string;
	/** Network-level failure code (ETIMEDOUT, ECONNRESET, SSRF_BLOCKED…), when there was no answer. */
	networkCode?: string;
	/** The answer ended before it was complete: how (it is retried like a dropped connection). */
	cutOff?: string;
	/** Where a 3xx answer pointed. */
	redirectTo?: string;
	model?: string;
	baseUrl?: string;
	attempts?: number;
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
	ERR_FR_TOO_MANY_REDIRECTS: 'too many redirects',
	SSRF_BLOCKED: "blocked by n8n's SSRF protection",
};

const SSRF_ADVICE =
	"n8n's SSRF protection (N8N_SSRF_PROTECTION_ENABLED) refuses addresses in its blocked ranges (private networks, loopback). If this address is safe, ask your n8n administrator to allow it with N8N_SSRF_ALLOWED_HOSTNAMES or N8N_SSRF_ALLOWED_IP_RANGES.";

/** A network failure code in plain words, e.g. "connection refused"; `detail` adds what the code leaves out. */
export function networkWords(code: string, detail?: string): string {
	if (isTimeout(code)) return 'no complete answer within the Timeout';
	if (code === 'ERR_FR_REDIRECTION_FAILURE') {
		const target = detail ? `a "${detail}" URL` : 'a URL that is not http(s)';
		return `it redirected to ${target}, which is refused: only http:// and https:// are followed`;
	}
	const words = NETWORK_WORDS[code] ?? 'network error';
	return detail ? `${words} (${detail})` : words;
}

/** What to do about a network failure beyond checking the address, when there is something. */
export function networkAdvice(code: string): string | undefined {
	return code === 'SSRF_BLOCKED' ? SSRF_ADVICE : undefined;
}

function isTimeout(code: string): boolean {
	return /TIMEDOUT|ECONNABORTED|TIMEOUT/i.test(code);
}

/** An API call that failed for good: message and description from its status, network code or cut-off answer. */
export function describeFailure(f: ApiFailure): { message: string; description: string } {
	const api = f.errorMessage
		? `StepFun said: "${f.errorMessage}"${f.errorType ? ` (${f.errorType})` : ''}.`
		: '';
	const trace = f.traceId ? ` Trace ID: ${f.traceId} (quote it to StepFun support).` : '';
	const tries = f.attempts && f.attempts > 1 ? ` Gave up after ${f.attempts} attempts.` : '';
	const tail = `${api ? ` ${api}` : ''}${tries}${trace}`;
	const model = f.model ?? 'the model';

	if (f.cutOff) {
		return {
			message: `The answer from the StepFun API was cut off: ${f.cutOff}`,
			description: `The API began to answer, but the answer ended before it was complete, so there is no image. A proxy or an unstable connection can cut long answers: retry later, or check what stands between n8n and ${f.baseUrl ?? 'the API'}.${tail}`,
		};
	}
	if (f.networkCode) {
		const words = networkWords(f.networkCode);
		const advice = networkAdvice(f.networkCode);
		if (isTimeout(f.networkCode)) {
			return {
				message: 'The StepFun API did not answer in time',
				description: `No answer within the node's Timeout. Image calls can take tens of seconds: raise Options → Timeout, or lower Concurrency.${tail}`,
			};
		}
		return {
			message: `Could not reach the StepFun API (${words})`,
			description: advice
				? `${advice} Address: ${f.baseUrl ?? 'the Base URL'}.${tail}`
				: `The connection to ${f.baseUrl ?? 'the API'} failed (${f.networkCode}). Check the credential's Endpoint / Base URL and your network, then retry.${tail}`,
		};
	}

	const status = f.status ?? 0;
	if (f.redirectTo !== undefined) {
		return {
			message: `The StepFun API answered with a redirect (HTTP ${status}) to ${f.redirectTo}`,
			description: `The node does not follow API redirects to another address, so your API key only goes to the credential's Base URL${f.baseUrl ? ` (${f.baseUrl})` : ''}. If the new address is right, put it in the credential's Base URL (Endpoint: Custom).${tail}`,
		};
	}
	const notSupported =
		/^model\s+\S+\s+(is\s+)?not supported|unknown model|model\b.*\b(does not exist|not found)/i.test(
			f.errorMessage ?? '',
		);
	const said = (message: string, description: string) => ({
		message,
		description: `${description}${tail}`,
	});
	switch (true) {
		case status === 400 && notSupported:
			return said(
				`Model "${model}" is not available (HTTP 400)`,
				'StepFun rejected the model ID: it may be misspelled, retired or not yet enabled for your account. Pick another model or type a current model ID (StepFun announced a pause of its image endpoints from 2026-10-10).',
			);
		case status === 400:
			return said(
				'StepFun rejected the request as invalid (HTTP 400)',
				"Check the node's parameters against the message.",
			);
		case status === 401:
			return said(
				'The API key was rejected (HTTP 401)',
				"Check the API key in the Step Plan API credential. Keys are region-bound: a China key only works with the China endpoints (api.stepfun.com) and a global key only with the global ones (api.stepfun.ai) — check the credential's Endpoint.",
			);
		case status === 402:
			return said(
				'Insufficient balance (HTTP 402)',
				"Your StepFun account has no credit left for this endpoint. Top up, or switch the credential's Endpoint (Step Plan endpoints bill plan credits; Open Platform endpoints bill cash).",
			);
		case status === 403:
			return said(
				'Access denied (HTTP 403)',
				"The key is not allowed to use this model or endpoint. Check your plan and the credential's Endpoint.",
			);
		case status === 404:
			return said(
				'The image endpoint was not found (HTTP 404)',
				`${f.baseUrl ?? 'The Base URL'} has no such image endpoint: the endpoint may be retired or unavailable, or the Base URL is wrong. Check the credential's Endpoint / Base URL, or try another model ID.`,
			);
		case status === 413:
			return said(
				'The image is too large for the API (HTTP 413)',
				'Send a smaller file (fewer bytes or fewer pixels).',
			);
		case status === 429:
			return said(
				'StepFun rate limit reached (HTTP 429)',
				"Your account's concurrency or requests-per-minute limit was hit and retries did not get through. Lower Options → Concurrency, raise Options → Max Retries, or upgrade your StepFun account tier.",
			);
		case status === 451:
			return said(
				'Blocked by StepFun content moderation (HTTP 451)',
				'The prompt or the input image was rejected by the safety review. Rephrase the prompt or use another image.',
			);
		case status === 503:
			return said(
				'The StepFun image service is unavailable (HTTP 503)',
				'The model or endpoint may be retired or temporarily unavailable (StepFun paused its image endpoints from 2026-10-10). Try again later, another model ID, or another Base URL.',
			);
		case status >= 500:
			return said(
				`StepFun server error (HTTP ${status})`,
				'The API failed on its side. Retry later; if it persists, contact StepFun support.',
			);
		default:
			return said(
				`Unexpected answer from the StepFun API (HTTP ${status})`,
				"Check the credential's Endpoint / Base URL.",
			);
	}
}

/** StepFun's error.type and error.message from an error body (JSON text or parsed, or plain text). */
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

/** An API call that failed for good, with the safe facts n8n keeps beside the error. */
export function apiFailed(f: ApiFailure): Failure {
	const { message, description } = describeFailure(f);
	return new Failure(message, description, {
		response: {
			status: f.status ?? null,
			type: f.errorType ?? null,
			message: f.errorMessage ?? null,
			traceId: f.traceId ?? null,
			// Not named `code`: NodeApiError would swap our message for its generic one.
			networkError: f.networkCode ?? null,
		},
		httpCode: f.status,
	});
}

/** The API answered, but without a usable image: not retried, the answer would be the same. */
export function unusableAnswer(reason: string, traceId?: string): Failure {
	return new Failure(
		`Unusable response from the StepFun API: ${reason}`,
		`The endpoint answered without a usable image. Check that the credential's Base URL points at a StepFun-compatible API.${traceId ? ` Trace ID: ${traceId}.` : ''}`,
		{ response: { traceId: traceId ?? null } },
	);
}

/** finish_reason content_filtered: the safety review removed the image. */
export function moderated(finishReason: string, traceId?: string): Failure {
	return new Failure(
		`Blocked by StepFun content moderation (finish_reason: ${finishReason})`,
		`The result was filtered by the safety review, so there is no image. Rephrase the prompt or use another image.${traceId ? ` Trace ID: ${traceId}.` : ''}`,
		{ response: { finish_reason: finishReason, traceId: traceId ?? null } },
	);
}

/** A download (a result URL, or an input image URL) that failed for good. */
export function downloadFailed(
	download: { what: string; host: string; url: string; hint: string },
	problem: { words: string; advice?: string; status?: number; attempts: number },
): Failure {
	const tries = problem.attempts > 1 ? ` Gave up after ${problem.attempts} attempts.` : '';
	return new Failure(
		`Could not download ${download.what} from ${download.host}: ${problem.words}`,
		`${problem.advice ? `${problem.advice} ` : ''}${download.hint}${tries}`,
		{ response: { status: problem.status ?? null, url: download.url }, httpCode: problem.status },
	);
}
