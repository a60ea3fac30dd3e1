// The one retry policy, for API calls and file downloads alike: which answers are worth another
// try, how long to wait before it, and the loop that makes the tries.
import { CancelledError, clampDelay, sleepAbortable } from './wait';

/** HTTP statuses worth another try: a timeout, a rate limit, or a server that failed or is overloaded. */
export const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([408, 425, 429, 500, 502, 503, 504]);

/** HTTP statuses that refuse the whole account (key rejected, no balance): nothing more is asked. */
export const ACCOUNT_REFUSALS: ReadonlySet<number> = new Set([401, 402]);

/** Every retry waits at least this long, whatever Retry-After says (0, negative or past). */
export const RETRY_FLOOR_MS = 1000;

export type Retry = 'no' | 'transient' | 'rateLimited';

/** How an HTTP status is retried: a 429 waits on the account's rate limit, the others back off. */
export function retryOf(status: number): Retry {
	if (status === 429) return 'rateLimited';
	return RETRYABLE_STATUSES.has(status) ? 'transient' : 'no';
}

/** What one try came to: its value, or the error to raise if it is not tried again. */
export type Tried<T> =
	| { ok: T }
	| { failed: (attempts: number) => Error; retry: Retry; retryAfterMs?: number };

/** The account's rate limit, as the loop uses it (a GovernorLease). */
export interface Gate {
	acquire(): Promise<object>;
	release(
		ticket: object,
		outcome: 'success' | 'rateLimited' | 'failed' | 'unsent',
		retryAfterMs?: number,
	): number;
}

export interface RetryPolicy {
	/** Retries after transient failures (5xx, timeouts, dropped connections). */
	maxRetries: number;
	/** How long 429s may be waited out, in all (with a governor). */
	rateLimitWaitMs: number;
	signal?: AbortSignal;
	/** True once no new try may start (the execution stops). */
	stopping: () => boolean;
	/** The error to fail with, without asking, once the account refused this execution. */
	refused?: () => Error | undefined;
	/** The account's governor: each try holds one of its slots, and a 429 pauses everyone. */
	governor?: Gate;
}

/**
 * Tries until a try succeeds, fails for good, or the retries and the rate-limit wait are used up.
 * Without a governor a 429 is retried like a transient failure.
 */
export async function retrying<T>(
	policy: RetryPolicy,
	tryOnce: () => Promise<Tried<T>>,
): Promise<{ value: T; attempts: number }> {
	const { governor, signal } = policy;
	let attempts = 0;
	let retries = 0;
	let waited = 0;
	const halt = () => (policy.stopping() ? new CancelledError() : policy.refused?.());
	for (;;) {
		const before = halt();
		if (before) throw before;
		const ticket = await governor?.acquire();
		const after = halt();
		if (after) {
			if (ticket) governor!.release(ticket, 'unsent');
			throw after;
		}
		attempts++;
		const tried = await tryOnce().catch((error: unknown) => {
			if (ticket) governor!.release(ticket, 'failed');
			throw error;
		});
		if ('ok' in tried) {
			if (ticket) governor!.release(ticket, 'success');
			return { value: tried.ok, attempts };
		}
		if (tried.retry === 'rateLimited' && ticket) {
			const delay = governor!.release(ticket, 'rateLimited', tried.retryAfterMs);
			if (waited + delay <= policy.rateLimitWaitMs) {
				waited += delay;
				await sleepAbortable(delay, signal);
				continue;
			}
		} else {
			if (ticket) governor!.release(ticket, 'failed');
			if (tried.retry !== 'no' && retries < policy.maxRetries && !policy.stopping()) {
				retries++;
				await sleepAbortable(retryDelay(retries), signal);
				continue;
			}
		}
		throw tried.failed(attempts);
	}
}

/** Exponential backoff with jitter for retry `attempt` (from 1), never below the retry floor. */
export function retryDelay(attempt: number, random = Math.random): number {
	return Math.max(RETRY_FLOOR_MS, backoffDelay(attempt, random, 2 * RETRY_FLOOR_MS, 8000));
}

/** Exponential backoff with jitter: half to all of baseMs·2^(attempt-1), capped at maxMs. */
export function backoffDelay(attempt: number, random: () => number, baseMs: number, maxMs: number) {
	const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
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
