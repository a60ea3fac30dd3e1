import { sleep } from 'n8n-workflow';

/** Thrown when the execution was cancelled while waiting; nothing else is sent after it. */
export class CancelledError extends Error {
	constructor() {
		super('The execution was cancelled');
	}
}

/** Waits `ms`, or rejects with CancelledError as soon as `signal` aborts. */
export async function sleepAbortable(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal?.aborted) throw new CancelledError();
	if (!signal) return await sleep(ms);
	await new Promise<void>((resolve, reject) => {
		const onAbort = () => reject(new CancelledError());
		signal.addEventListener('abort', onAbort, { once: true });
		void sleep(ms).then(() => {
			signal.removeEventListener('abort', onAbort);
			resolve();
		});
	});
}

export interface GovernorOptions {
	/** The most requests in flight at once (the user's Concurrency option). */
	maxConcurrency: number;
	signal?: AbortSignal;
	/** First backoff after a 429 without Retry-After; doubles per consecutive 429, with jitter. */
	baseBackoffMs?: number;
	maxBackoffMs?: number;
	now?: () => number;
	random?: () => number;
}

/**
 * Shares one account's capacity among all items of an execution: a concurrency limit that halves
 * on a rate limit (429) and grows back one step per `limit` successes (AIMD), and a shared pause so
 * that after a 429 nobody hammers the API until the backoff (or Retry-After) has passed.
 */
export class RequestGovernor {
	private limit: number;
	private inFlight = 0;
	private pauseUntil = 0;
	private consecutiveRateLimits = 0;
	private successesAtLimit = 0;
	private epoch = 0;
	private readonly waiters: Array<() => void> = [];
	private readonly now: () => number;
	private readonly random: () => number;
	private readonly baseBackoffMs: number;
	private readonly maxBackoffMs: number;
	/** For the benchmark and tests: the lowest limit reached and requests started. */
	readonly stats = { started: 0, rateLimited: 0, lowestLimit: 0 };

	constructor(private readonly options: GovernorOptions) {
		this.limit = Math.max(1, Math.floor(options.maxConcurrency));
		this.stats.lowestLimit = this.limit;
		this.now = options.now ?? Date.now;
		this.random = options.random ?? Math.random;
		this.baseBackoffMs = options.baseBackoffMs ?? 1000;
		this.maxBackoffMs = options.maxBackoffMs ?? 8000;
		options.signal?.addEventListener('abort', () => this.wakeAll(), { once: true });
	}

	get currentLimit(): number {
		return this.limit;
	}

	/** Waits for a free slot and for any shared pause to end. Returns a ticket to pass to release(). */
	async acquire(): Promise<number> {
		for (;;) {
			if (this.options.signal?.aborted) throw new CancelledError();
			const wait = this.pauseUntil - this.now();
			if (wait > 0) {
				await sleepAbortable(wait, this.options.signal);
				continue;
			}
			if (this.inFlight < this.limit) {
				this.inFlight++;
				this.stats.started++;
				return this.epoch;
			}
			await new Promise<void>((resolve) => this.waiters.push(resolve));
		}
	}

	/**
	 * Frees the slot. `outcome` says how the request went: a 429 shrinks the limit (once per
	 * congestion episode: requests sent before the last shrink do not shrink it again) and sets
	 * the shared pause; a success lets the limit grow back.
	 */
	release(
		ticket: number,
		outcome: 'success' | 'rateLimited' | 'failed',
		retryAfterMs?: number,
	): number {
		this.inFlight--;
		let delay = 0;
		if (outcome === 'rateLimited') {
			this.stats.rateLimited++;
			this.consecutiveRateLimits++;
			if (ticket === this.epoch) {
				this.epoch++;
				this.limit = Math.max(1, Math.floor(this.limit / 2));
				this.stats.lowestLimit = Math.min(this.stats.lowestLimit, this.limit);
				this.successesAtLimit = 0;
			}
			delay = retryAfterMs !== undefined ? retryAfterMs : this.backoff(this.consecutiveRateLimits);
			this.pauseUntil = Math.max(this.pauseUntil, this.now() + delay);
		} else if (outcome === 'success') {
			this.consecutiveRateLimits = 0;
			// Only requests sent at the current limit prove it is safe to grow.
			if (
				ticket === this.epoch &&
				this.limit < this.options.maxConcurrency &&
				++this.successesAtLimit >= this.limit
			) {
				this.limit++;
				this.successesAtLimit = 0;
			}
		}
		this.wakeAll();
		return delay;
	}

	/** Exponential backoff with jitter for retries of one item (attempt starts at 1). */
	backoff(attempt: number): number {
		const ceiling = Math.min(this.maxBackoffMs, this.baseBackoffMs * 2 ** Math.max(0, attempt - 1));
		return Math.round(ceiling / 2 + (this.random() * ceiling) / 2);
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
