import * as workflow from 'n8n-workflow';

/** Thrown when the execution was cancelled while waiting; nothing else is sent after it. */
export class CancelledError extends Error {
	constructor() {
		super('The execution was cancelled');
	}
}

/** The longest delay a timer holds (2^31 - 1 ms); a longer one would fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/** Every retry waits at least this long, whatever Retry-After says (0, negative or past). */
export const RETRY_FLOOR_MS = 1000;

export function clampDelay(ms: number): number {
	if (Number.isNaN(ms)) return 0;
	return Math.min(Math.max(0, ms), MAX_TIMER_MS);
}

// n8n-workflow 2.x: sleep(ms, signal) clears its timer on abort; 1.x has sleepWithAbort for that.
const timerSleep: (ms: number, signal: AbortSignal) => Promise<void> =
	(workflow as { sleepWithAbort?: (ms: number, signal: AbortSignal) => Promise<void> })
		.sleepWithAbort ?? workflow.sleep;

/**
 * Waits `ms` (clamped to what a timer holds), or rejects with CancelledError as soon as `signal`
 * aborts. Either way no timer is left behind.
 */
export async function sleepAbortable(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal?.aborted) throw new CancelledError();
	const timer = new AbortController();
	await new Promise<void>((resolve, reject) => {
		const onAbort = () => {
			timer.abort();
			reject(new CancelledError());
		};
		signal?.addEventListener('abort', onAbort, { once: true });
		timerSleep(clampDelay(ms), timer.signal).then(
			() => {
				signal?.removeEventListener('abort', onAbort);
				resolve();
			},
			() => {}, // aborted: already rejected above
		);
	});
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

export interface GovernorOptions {
	/** The most requests in flight at once (the user's Concurrency option). */
	maxConcurrency: number;
	signal?: AbortSignal;
	/** First backoff after a 429 without Retry-After; doubles per consecutive 429, with jitter. */
	baseBackoffMs?: number;
	maxBackoffMs?: number;
	/** The shortest pause after a 429, whatever Retry-After says. */
	retryFloorMs?: number;
	/** The window a requests-per-minute limit counts in. */
	rateWindowMs?: number;
	now?: () => number;
	random?: () => number;
}

/** Handed out by acquire() and given back to release(). */
export interface Ticket {
	epoch: number;
	sentAt: number;
	/** No other request was in flight when this one was sent. */
	alone: boolean;
}

/**
 * Shares one account's capacity among all items of an execution.
 *
 * - Concurrency: a limit that halves on a rate limit (429), once per congestion episode, comes back
 *   to the halved value on the first success and then grows one step per `limit` successes (AIMD).
 * - A shared pause: after a 429 nobody sends until the backoff (or Retry-After) has passed.
 * - Requests per minute: when even a lone request is refused again and again, the limit is a rate,
 *   not a concurrency. The governor then counts the requests the API accepted in the last window
 *   and sends the next one exactly when the oldest leaves the window, as a sliding-window limiter
 *   frees its slots, instead of guessing with backoffs.
 */
export class RequestGovernor {
	private limit: number;
	private recoverTo = 0;
	private inFlight = 0;
	private pauseUntil = 0;
	private consecutiveRateLimits = 0;
	private successesAtLimit = 0;
	private epoch = 0;
	private windowCap = 0;
	private readonly accepted: number[] = [];
	private readonly waiters: Array<() => void> = [];
	private readonly now: () => number;
	private readonly random: () => number;
	private readonly baseBackoffMs: number;
	private readonly maxBackoffMs: number;
	private readonly windowMs: number;
	/** For the benchmark and tests. */
	readonly stats = { started: 0, rateLimited: 0, lowestLimit: 0, learnedRateLimit: 0 };

	constructor(private readonly options: GovernorOptions) {
		this.limit = Math.max(1, Math.floor(options.maxConcurrency));
		this.stats.lowestLimit = this.limit;
		this.now = options.now ?? Date.now;
		this.random = options.random ?? Math.random;
		this.baseBackoffMs = options.baseBackoffMs ?? 1000;
		this.maxBackoffMs = options.maxBackoffMs ?? 8000;
		this.windowMs = options.rateWindowMs ?? 60000;
		options.signal?.addEventListener('abort', () => this.wakeAll(), { once: true });
	}

	get currentLimit(): number {
		return this.limit;
	}

	/** Waits for a free slot, for any shared pause and for room in a learned rate window. */
	async acquire(): Promise<Ticket> {
		for (;;) {
			if (this.options.signal?.aborted) throw new CancelledError();
			const now = this.now();
			const wait = Math.max(this.pauseUntil - now, this.windowWait(now));
			if (wait > 0) {
				await sleepAbortable(wait, this.options.signal);
				continue;
			}
			if (this.inFlight < this.limit && !this.windowFullWithInFlight(now)) {
				const ticket = { epoch: this.epoch, sentAt: now, alone: this.inFlight === 0 };
				this.inFlight++;
				this.stats.started++;
				return ticket;
			}
			await new Promise<void>((resolve) => this.waiters.push(resolve));
		}
	}

	/**
	 * Frees the slot and learns from the outcome. Returns the shared pause a 429 caused (ms).
	 * 'failed' is any other answer (or none); an answered request still counts against a rate window.
	 * 'unsent' gives back a slot that was not used.
	 */
	release(
		ticket: Ticket,
		outcome: 'success' | 'rateLimited' | 'failed' | 'unsent',
		retryAfterMs?: number,
	): number {
		this.inFlight--;
		const now = this.now();
		let delay = 0;
		if (outcome === 'unsent') {
			// The slot was given back without a request: nothing to learn.
		} else if (outcome === 'rateLimited') {
			this.stats.rateLimited++;
			if (ticket.epoch === this.epoch) {
				// A new congestion step: requests sent before it do not count again.
				if (this.consecutiveRateLimits === 0)
					this.recoverTo = Math.max(1, Math.floor(this.limit / 2));
				this.consecutiveRateLimits++;
				this.epoch++;
				this.limit = Math.max(1, Math.floor(this.limit / 2));
				this.stats.lowestLimit = Math.min(this.stats.lowestLimit, this.limit);
				this.successesAtLimit = 0;
				if (ticket.alone && this.consecutiveRateLimits >= 2) this.learnWindow(now);
			}
			delay = Math.max(
				this.options.retryFloorMs ?? RETRY_FLOOR_MS,
				retryAfterMs ?? Math.max(this.backoff(this.consecutiveRateLimits), this.windowWait(now)),
			);
			this.pauseUntil = Math.max(this.pauseUntil, now + delay);
		} else {
			// The API took this request (answered, not with 429): it counts in a per-minute window.
			let i = this.accepted.length;
			while (i > 0 && this.accepted[i - 1] > ticket.sentAt) i--;
			this.accepted.splice(i, 0, ticket.sentAt);
			if (outcome === 'success') this.onSuccess(ticket);
		}
		this.wakeAll();
		return delay;
	}

	/** Exponential backoff with jitter for retries of one item (attempt starts at 1). */
	backoff(attempt: number): number {
		return backoffDelay(attempt, this.random, this.baseBackoffMs, this.maxBackoffMs);
	}

	private onSuccess(ticket: Ticket): void {
		if (this.consecutiveRateLimits > 0) {
			// The episode is over: return to where the first 429 put the limit.
			this.consecutiveRateLimits = 0;
			this.limit = Math.max(this.limit, this.recoverTo);
			this.successesAtLimit = 0;
			this.epoch++;
			return;
		}
		// Only requests sent at the current limit prove it is safe to grow.
		if (
			ticket.epoch === this.epoch &&
			this.limit < this.options.maxConcurrency &&
			++this.successesAtLimit >= this.limit
		) {
			this.limit++;
			this.successesAtLimit = 0;
		}
	}

	/** A lone request was refused twice in a row: the limit counts requests per window. */
	private learnWindow(now: number): void {
		const count = this.acceptedInWindow(now);
		if (count > 0) {
			this.windowCap = count;
			this.stats.learnedRateLimit = count;
		}
	}

	private acceptedInWindow(now: number): number {
		while (this.accepted.length && this.accepted[0] <= now - this.windowMs) this.accepted.shift();
		return this.accepted.length;
	}

	/** How long until the learned window has room (0 when it has, or when no window was learned). */
	private windowWait(now: number): number {
		if (!this.windowCap || this.acceptedInWindow(now) < this.windowCap) return 0;
		// A little after the oldest accepted request leaves the window, as the server sees it.
		return this.accepted[this.accepted.length - this.windowCap] + this.windowMs + 200 - now;
	}

	private windowFullWithInFlight(now: number): boolean {
		return this.windowCap > 0 && this.acceptedInWindow(now) + this.inFlight >= this.windowCap;
	}

	private wakeAll(): void {
		for (const wake of this.waiters.splice(0)) wake();
	}
}

/**
 * Runs `task(i)` for i in 0..count-1 with at most `concurrency` tasks started but unfinished.
 * Stops starting new tasks once `shouldStop()` is true; always waits for started tasks to settle.
 */
export async function runPool(
	count: number,
	concurrency: number,
	task: (index: number) => Promise<void>,
	shouldStop: () => boolean,
): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < count && !shouldStop()) {
			const index = next++;
			await task(index);
		}
	};
	const workers = Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker);
	await Promise.all(workers);
}
