// One StepFun account's capacity, shared by every execution that uses it in this n8n instance.
import { RateWindow } from './rateWindow';
import { backoffDelay, RETRY_FLOOR_MS } from './retry';
import { CancelledError, sleepAbortable } from './wait';

export interface GovernorOptions {
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
	/** No other request of the account was in flight when this one was sent. */
	alone: boolean;
	/** Sent to test a learned per-minute window before waiting all of it out. */
	probe?: boolean;
}

export type Outcome = 'success' | 'rateLimited' | 'failed' | 'unsent';

/**
 * What one account has learned and has in flight, for all executions together.
 *
 * - Concurrency: a limit that halves on a rate limit (429), once per congestion step; until the next
 *   success only one request is out, then the limit comes back to the halved value and grows one step
 *   per `limit` successes (AIMD),
 *   never above the largest Concurrency among the executions using the account right now.
 * - A shared pause: after a 429 nobody sends until the backoff (or Retry-After) has passed.
 * - Requests per minute: when even a lone request is refused again and again, the limit is a rate,
 *   not a concurrency. The governor then counts the requests the API accepted in the last window
 *   and sends the next one exactly when the oldest leaves the window, as a sliding-window limiter
 *   frees its slots, instead of guessing with backoffs.
 *
 * Each execution holds a lease (open()): its own Concurrency caps its own requests.
 */
export class RequestGovernor {
	private limit = 1;
	private recoverTo = 0;
	private inFlight = 0;
	private pauseUntil = 0;
	private consecutiveRateLimits = 0;
	private successesAtLimit = 0;
	private epoch = 0;
	private readonly window: RateWindow;
	private readonly waiters: Array<() => void> = [];
	private readonly leases = new Set<GovernorLease>();
	private ceiling = 1;
	private readonly now: () => number;
	private readonly random: () => number;
	private readonly baseBackoffMs: number;
	private readonly maxBackoffMs: number;
	/** When a lease last opened, sent or closed (for dropping idle governors). */
	lastUsed: number;
	/** For the benchmark and tests. */
	readonly stats = { started: 0, rateLimited: 0, lowestLimit: Infinity, learnedRateLimit: 0 };

	constructor(private readonly options: GovernorOptions = {}) {
		this.now = options.now ?? Date.now;
		this.random = options.random ?? Math.random;
		this.baseBackoffMs = options.baseBackoffMs ?? 1000;
		this.maxBackoffMs = options.maxBackoffMs ?? 8000;
		this.window = new RateWindow(options.rateWindowMs ?? 60000, this.maxBackoffMs);
		this.lastUsed = this.now();
	}

	/** The requests the account may have in flight now, all executions together. */
	get currentLimit(): number {
		return Math.min(this.limit, this.ceiling);
	}

	get openLeases(): number {
		return this.leases.size;
	}

	/** An execution starts using the account, with its own Concurrency. */
	open(maxConcurrency: number, signal?: AbortSignal): GovernorLease {
		const lease = new GovernorLease(this, Math.max(1, Math.floor(maxConcurrency)), signal);
		this.leases.add(lease);
		this.ceiling = Math.max(...[...this.leases].map((l) => l.maxConcurrency));
		// Until the API has refused anything, the account may run at the largest Concurrency asked.
		if (this.stats.rateLimited === 0) this.limit = this.ceiling;
		this.stats.lowestLimit = Math.min(this.stats.lowestLimit, this.currentLimit);
		this.lastUsed = this.now();
		return lease;
	}

	/** @internal for GovernorLease */
	close(lease: GovernorLease): void {
		if (!this.leases.delete(lease)) return;
		if (this.leases.size > 0)
			this.ceiling = Math.max(...[...this.leases].map((l) => l.maxConcurrency));
		this.lastUsed = this.now();
		this.wakeAll();
	}

	/** @internal for GovernorLease: waits for a slot, for any shared pause and for room in a rate window. */
	async acquire(lease: GovernorLease): Promise<Ticket> {
		for (;;) {
			if (lease.signal?.aborted || lease.closed) throw new CancelledError();
			const now = this.now();
			const wait = Math.max(this.pauseUntil - now, this.window.wait(now));
			if (wait > 0) {
				await sleepAbortable(wait, lease.signal);
				continue;
			}
			// After a 429, one request tests the API before the others follow: a second wave sent at the
			// halved limit would be refused just the same if the limit is a per-minute one.
			const limit = this.consecutiveRateLimits > 0 && !this.window.learned ? 1 : this.currentLimit;
			const free = this.inFlight < limit && lease.inFlight < lease.maxConcurrency;
			const probe = this.inFlight === 0 && this.window.mayProbe(now);
			if (free && (probe || !this.window.fullWith(this.inFlight, now))) {
				const ticket = { epoch: this.epoch, sentAt: now, alone: this.inFlight === 0, probe };
				if (probe) this.window.probing();
				this.inFlight++;
				lease.inFlight++;
				this.stats.started++;
				this.lastUsed = now;
				return ticket;
			}
			await new Promise<void>((resolve) => this.waiters.push(resolve));
		}
	}

	/**
	 * @internal for GovernorLease: frees the slot and learns from the outcome. Returns the shared
	 * pause a 429 caused (ms). 'failed' is any other answer (or none); an answered request still counts
	 * against a rate window. 'unsent' gives back a slot that was not used.
	 */
	release(lease: GovernorLease, ticket: Ticket, outcome: Outcome, retryAfterMs?: number): number {
		this.inFlight--;
		lease.inFlight--;
		const now = this.now();
		this.lastUsed = now;
		let delay = 0;
		const result =
			outcome === 'rateLimited' ? 'refused' : outcome === 'unsent' ? 'unsent' : 'served';
		const probed = ticket.probe ? this.window.settleProbe(result, now) : undefined;
		if (probed === 'forgotten') this.stats.learnedRateLimit = 0;
		let windowFound = probed === 'confirmed';
		if (outcome === 'rateLimited') {
			this.stats.rateLimited++;
			if (ticket.epoch === this.epoch) {
				// A new congestion step: requests sent before it do not count again.
				if (this.consecutiveRateLimits === 0)
					this.recoverTo = Math.max(1, Math.floor(this.currentLimit / 2));
				this.consecutiveRateLimits++;
				this.epoch++;
				this.limit = Math.max(1, Math.floor(this.currentLimit / 2));
				this.stats.lowestLimit = Math.min(this.stats.lowestLimit, this.limit);
				this.successesAtLimit = 0;
				// (A refused probe confirmed the window above: nothing new to learn from it.)
				if (ticket.alone && !ticket.probe && this.consecutiveRateLimits >= 2) {
					const cap = this.window.learn(now);
					if (cap) this.stats.learnedRateLimit = cap;
					windowFound = cap > 0;
				}
			}
			// The 429s came from a per-minute window, which paces the requests from now on: once it has
			// room, the account may use its whole Concurrency again.
			if (windowFound) this.limit = this.ceiling;
			delay = Math.max(
				this.options.retryFloorMs ?? RETRY_FLOOR_MS,
				retryAfterMs ?? Math.max(this.backoff(this.consecutiveRateLimits), this.window.wait(now)),
			);
			this.pauseUntil = Math.max(this.pauseUntil, now + delay);
		} else if (outcome !== 'unsent') {
			// The API took this request (answered, not with 429): it counts in a per-minute window.
			this.window.accept(ticket.sentAt);
			if (outcome === 'success') this.onSuccess(ticket);
		}
		this.wakeAll();
		return delay;
	}

	/** Exponential backoff with jitter for retries of one item (attempt starts at 1). */
	backoff(attempt: number): number {
		return backoffDelay(attempt, this.random, this.baseBackoffMs, this.maxBackoffMs);
	}

	/** @internal wakes every waiter so each re-checks (a slot freed, a cancel, a lease closed). */
	wakeAll(): void {
		for (const wake of this.waiters.splice(0)) wake();
	}

	private onSuccess(ticket: Ticket): void {
		if (this.consecutiveRateLimits > 0) {
			// The episode is over: return to where the first 429 put the limit, or, when the 429s
			// came from a per-minute window (which now paces the requests), to the full Concurrency.
			this.consecutiveRateLimits = 0;
			this.limit = Math.max(this.limit, this.window.learned ? this.ceiling : this.recoverTo);
			this.successesAtLimit = 0;
			this.epoch++;
			return;
		}
		// Only requests sent at the current limit prove it is safe to grow.
		if (
			ticket.epoch === this.epoch &&
			this.limit < this.ceiling &&
			++this.successesAtLimit >= this.limit
		) {
			this.limit++;
			this.successesAtLimit = 0;
		}
	}
}

/** One execution's use of an account: its own Concurrency, its own cancel signal. */
export class GovernorLease {
	inFlight = 0;
	closed = false;
	private readonly onAbort = () => this.account.wakeAll();

	constructor(
		readonly account: RequestGovernor,
		readonly maxConcurrency: number,
		readonly signal?: AbortSignal,
	) {
		signal?.addEventListener('abort', this.onAbort, { once: true });
	}

	async acquire(): Promise<Ticket> {
		return await this.account.acquire(this);
	}

	release(ticket: Ticket, outcome: Outcome, retryAfterMs?: number): number {
		return this.account.release(this, ticket, outcome, retryAfterMs);
	}

	backoff(attempt: number): number {
		return this.account.backoff(attempt);
	}

	/** The execution is done with the account; its waiters (if any) stop. */
	close(): void {
		if (this.closed) return;
		this.closed = true;
		this.signal?.removeEventListener('abort', this.onAbort);
		this.account.close(this);
	}
}
