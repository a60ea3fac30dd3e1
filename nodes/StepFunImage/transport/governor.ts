// One StepFun account's capacity, shared by every execution that uses it in this n8n instance. Other
// instances on the same account (queue-mode workers) are invisible here: the governor judges the
// account only from what its own requests meet, and never pauses on a guess.
import { MAX_SPREAD_MS, RefusalBackoff } from './backoff';
import { GovernorLease, type AccountHost, type Outcome, type Ticket } from './lease';
import { RateWindow } from './rateWindow';
import { RETRY_FLOOR_MS } from './retry';
import { CancelledError, sleepAbortable } from './wait';

export interface GovernorOptions {
	/** The least a refused request waits before it is tried again, whatever Retry-After says. */
	retryFloorMs?: number;
	/** The most the jitter after refusals spreads a retry over (MAX_SPREAD_MS). */
	maxBackoffMs?: number;
	/** The window a requests-per-minute limit counts in. */
	rateWindowMs?: number;
	now?: () => number;
	random?: () => number;
}

/**
 * A slot one of this account's requests left is handed over to the next request sent within this
 * time. A concurrency limit does not refuse a hand-over (the slot was this instance's), but for
 * another instance's request taking it in between or a server still counting the request that left:
 * a refused one makes a per-minute window suspected (see RateWindow), not more.
 */
const HANDOVER_MS = 100;

/**
 * What one account has learned and has in flight, for all executions of this n8n instance together.
 *
 * - Concurrency: the account's share for this instance. A 429 sets it to what the account holds of
 *   this instance's requests right then (its share, when other instances hold the rest); it grows back
 *   one step per round of successes (faster while far below the largest Concurrency asked, slower
 *   after steps that were refused), a new slot opening only after the slots just left were handed
 *   over.
 * - A refused request waits at least the retry floor, plus jitter that spreads with the refusals seen
 *   in a row, so instances that met in a burst do not meet again in lockstep. Only when the account
 *   holds none of this instance's requests does everyone wait (one request then tests it alone).
 * - Requests per minute: see RateWindow. A window, once confirmed, paces the requests (the next goes
 *   when the oldest accepted one leaves it) at the whole Concurrency.
 *
 * Each execution holds a lease (open()): its own Concurrency caps its own requests.
 */
export class RequestGovernor implements AccountHost {
	private limit = 1;
	private inFlight = 0;
	/** When each request in flight was sent. */
	private readonly outstanding: number[] = [];
	private pauseUntil = 0;
	private readonly backoff: RefusalBackoff;
	private successesAtLimit = 0;
	private epoch = 0;
	/** The limit grew since the last congestion step. */
	private grown = false;
	/** Growth steps refused in a row. */
	private refusedSteps = 0;
	/** Slots left by served requests, not yet handed over. */
	private freed = 0;
	private freedAt = 0;
	/** A raised limit takes effect only after hand-overs have gone (see raise()). */
	private raisedAt = -Infinity;
	private raisedFrom = 1;
	private readonly window: RateWindow;
	private readonly waiters: Array<() => void> = [];
	private readonly leases = new Set<GovernorLease>();
	private ceiling = 1;
	private readonly now: () => number;
	private readonly retryFloorMs: number;
	/** When a lease last opened, sent or closed (for dropping idle governors). */
	lastUsed: number;
	/** For the benchmark and tests. */
	readonly stats = { started: 0, rateLimited: 0, lowestLimit: Infinity, learnedRateLimit: 0 };

	constructor(options: GovernorOptions = {}) {
		this.now = options.now ?? Date.now;
		this.retryFloorMs = options.retryFloorMs ?? RETRY_FLOOR_MS;
		const windowMs = options.rateWindowMs ?? 60000;
		this.window = new RateWindow(windowMs);
		const spread = options.maxBackoffMs ?? MAX_SPREAD_MS;
		this.backoff = new RefusalBackoff(
			this.retryFloorMs,
			spread,
			windowMs,
			options.random ?? Math.random,
		);
		this.lastUsed = this.now();
	}

	/** The requests the account may have in flight now, all executions together. */
	get currentLimit(): number {
		return Math.min(this.limit, this.ceiling);
	}

	get openLeases(): number {
		return this.leases.size;
	}

	/** The account's requests in flight now, all executions together. */
	get requestsInFlight(): number {
		return this.inFlight;
	}

	/** An execution starts using the account, with its own Concurrency. */
	open(maxConcurrency: number, signal?: AbortSignal): GovernorLease {
		const lease = new GovernorLease(this, Math.max(1, Math.floor(maxConcurrency)), signal);
		this.leases.add(lease);
		this.ceiling = this.largestConcurrency();
		// Until the API has refused anything, the account may run at the largest Concurrency asked.
		if (this.stats.rateLimited === 0) this.limit = this.ceiling;
		this.stats.lowestLimit = Math.min(this.stats.lowestLimit, this.currentLimit);
		this.lastUsed = this.now();
		return lease;
	}

	/** @internal for GovernorLease */
	close(lease: GovernorLease): void {
		if (!this.leases.delete(lease)) return;
		if (this.leases.size > 0) this.ceiling = this.largestConcurrency();
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
				await this.doze(wait, lease.signal);
				continue;
			}
			// A raised limit's new slots wait until the slots just left have been handed over, so a
			// hand-over never races a request of this instance's own for its slot.
			const raising = now - this.raisedAt < HANDOVER_MS;
			const limit = raising ? Math.min(this.raisedFrom, this.currentLimit) : this.currentLimit;
			if (raising && this.inFlight >= limit && this.inFlight < this.currentLimit) {
				await this.doze(this.raisedAt + HANDOVER_MS - now, lease.signal);
				continue;
			}
			const free = this.inFlight < limit && lease.inFlight < lease.maxConcurrency;
			const confirmed = this.window.confirmed;
			const probe = this.inFlight === 0 && this.window.mayProbe(now);
			// Confirmed just now: the window paces the requests itself, at the whole Concurrency.
			if (!confirmed && this.window.confirmed) this.raise(this.ceiling, now);
			if (free && (probe || !this.window.fullWith(this.inFlight, now))) {
				if (now - this.freedAt > HANDOVER_MS) this.freed = 0;
				const handover = this.freed > 0;
				if (handover) this.freed--;
				const ticket = {
					epoch: this.epoch,
					sentAt: now,
					handover,
					probe,
				};
				if (probe) this.window.probing();
				this.outstanding.push(now);
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
	 * @internal for GovernorLease: frees the slot and learns from the outcome. Returns how long a
	 * refused request waits before it is tried again (ms). 'failed' is any other answer (or none); an
	 * answered request still counts against a rate window. 'unsent' gives back a slot that was not used.
	 */
	release(lease: GovernorLease, ticket: Ticket, outcome: Outcome, retryAfterMs?: number): number {
		this.inFlight--;
		lease.inFlight--;
		this.outstanding.splice(this.outstanding.indexOf(ticket.sentAt), 1);
		const now = this.now();
		this.lastUsed = now;
		if (ticket.probe) {
			const result =
				outcome === 'rateLimited' ? 'refused' : outcome === 'unsent' ? 'unsent' : 'served';
			this.window.probeSettled(result, now);
		}
		let delay = 0;
		if (outcome === 'rateLimited') delay = this.refused(ticket, now, retryAfterMs);
		else if (outcome !== 'unsent') {
			// The API took this request (answered, not with 429): it counts in a per-minute window.
			this.window.accept(ticket.sentAt, now);
			if (outcome === 'success') this.served(ticket, now);
		}
		this.stats.learnedRateLimit = this.window.limit;
		this.wakeAll();
		return delay;
	}

	/** Sleeps `ms`, or less when something changes (a release, a cancel): the caller checks again. */
	private async doze(ms: number, signal?: AbortSignal): Promise<void> {
		const woken = new AbortController();
		const wake = () => woken.abort();
		this.waiters.push(wake);
		const either = signal ? AbortSignal.any([signal, woken.signal]) : woken.signal;
		await sleepAbortable(ms, either)
			.catch((error: unknown) => {
				if (!(error instanceof CancelledError) || signal?.aborted) throw error;
			})
			.finally(() => {
				const index = this.waiters.indexOf(wake);
				if (index !== -1) this.waiters.splice(index, 1);
			});
	}

	/** The largest Concurrency the open leases ask for: what the account may run at, unrefused. */
	private largestConcurrency(): number {
		return Math.max(...[...this.leases].map((l) => l.maxConcurrency));
	}

	private raise(limit: number, now: number): void {
		if (limit <= this.limit) return;
		if (now - this.raisedAt >= HANDOVER_MS) this.raisedFrom = this.limit;
		this.raisedAt = now;
		this.limit = limit;
	}

	/** @internal wakes every waiter so each re-checks (a slot freed, a cancel, a lease closed). */
	wakeAll(): void {
		for (const wake of this.waiters.splice(0)) wake();
	}

	private refused(ticket: Ticket, now: number, retryAfterMs?: number): number {
		this.stats.rateLimited++;
		if (ticket.handover) {
			// Requests sent before this one and still out were accepted (a refusal comes back at once).
			const accepted = this.outstanding.filter((sentAt) => sentAt < ticket.sentAt).length;
			this.window.handoverRefused(now, accepted);
		}
		// A refused hand-over or probe of a full window says nothing of the concurrency: the window
		// schedules what comes next.
		if (ticket.probe || ticket.handover) return Math.max(this.retryFloorMs, retryAfterMs ?? 0);
		// The account holds what it holds of ours now: that is this instance's share.
		this.limit = Math.min(this.limit, Math.max(1, this.inFlight));
		this.stats.lowestLimit = Math.min(this.stats.lowestLimit, this.limit);
		if (ticket.epoch === this.epoch) {
			// A new congestion step (the 429s of requests sent before it are the same step): growth
			// starts over, and only requests sent from now prove it.
			this.backoff.step(now);
			if (this.grown) this.refusedSteps = Math.min(this.refusedSteps + 1, 4);
			this.grown = false;
			this.epoch++;
			this.successesAtLimit = 0;
		}
		const delay = Math.max(this.retryFloorMs, retryAfterMs ?? this.backoff.delay(now));
		// With none of ours in flight (or told when to come back), everyone waits: one request then
		// tests the account alone.
		if (this.inFlight === 0 || retryAfterMs !== undefined) {
			this.pauseUntil = Math.max(this.pauseUntil, now + delay);
		}
		return delay;
	}

	private served(ticket: Ticket, now: number): void {
		this.freed = now - this.freedAt > HANDOVER_MS ? 1 : this.freed + 1;
		this.freedAt = now;
		this.backoff.reset();
		// Only requests sent at the current limit prove it is safe to grow: one step per success while
		// far below the largest Concurrency asked, else one per round of them, each round twice as long
		// for every step that was refused in a row (other instances hold the rest: no use pressing).
		if (ticket.epoch !== this.epoch || this.limit >= this.ceiling) return;
		const round = this.limit * 2 <= this.ceiling ? 1 : this.limit * 2 ** this.refusedSteps;
		if (++this.successesAtLimit < round) return;
		if (this.grown) this.refusedSteps = 0;
		this.raise(this.limit + 1, now);
		this.grown = true;
		this.successesAtLimit = 0;
	}
}
