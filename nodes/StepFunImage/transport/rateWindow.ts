// A requests-per-window limit learned from the API's 429s (a new StepFun account: 10 per minute).
/**
 * Counts the requests the API accepted in the last window. Once a limit is learned, the next
 * request goes exactly when the oldest leaves the window, as a sliding-window limiter frees its
 * slots. Other processes on the same account (queue-mode workers) can fake such a limit by holding
 * every slot, so a learned window is first tested with one probe after `probeAfterMs`: only a
 * refused probe confirms it, a served one forgets it.
 */
export class RateWindow {
	private readonly accepted: number[] = [];
	private cap = 0;
	private confirmed = false;
	private probeAt = 0;

	constructor(
		private readonly windowMs: number,
		private readonly probeAfterMs: number,
	) {}

	/** A per-minute limit has been learned (confirmed or not). */
	get learned(): boolean {
		return this.cap > 0;
	}

	/** The API took a request sent at `sentAt` (answered, not with 429). */
	accept(sentAt: number): void {
		let i = this.accepted.length;
		while (i > 0 && this.accepted[i - 1] > sentAt) i--;
		this.accepted.splice(i, 0, sentAt);
	}

	/** A lone request was refused again: the limit is what the window holds now. Returns it. */
	learn(now: number): number {
		const count = this.count(now);
		if (count > 0) {
			this.cap = count;
			this.confirmed = false;
			this.probeAt = now + this.probeAfterMs;
		}
		return count;
	}

	/** How long until the window has room (0 when it has, or when no limit was learned). */
	wait(now: number): number {
		if (!this.cap || this.count(now) < this.cap) return 0;
		// A little after the oldest accepted request leaves the window, as the server sees it.
		const wait = this.accepted[this.accepted.length - this.cap] + this.windowMs + 200 - now;
		return this.confirmed ? wait : Math.min(wait, Math.max(0, this.probeAt - now));
	}

	/** Whether `inFlight` more requests would fill the learned window. */
	fullWith(inFlight: number, now: number): boolean {
		return this.cap > 0 && this.count(now) + inFlight >= this.cap;
	}

	/** Whether the next (lone) request may test an unconfirmed window. */
	mayProbe(now: number): boolean {
		return this.cap > 0 && !this.confirmed && now >= this.probeAt && this.count(now) >= this.cap;
	}

	/** A probe is out: nobody else probes, and the rest wait the whole window. */
	probing(): void {
		this.probeAt = Infinity;
	}

	settleProbe(
		result: 'refused' | 'served' | 'unsent',
		now: number,
	): 'confirmed' | 'forgotten' | 'retry' {
		if (result === 'refused') {
			this.confirmed = true;
			return 'confirmed';
		}
		if (result === 'unsent') {
			this.probeAt = now;
			return 'retry';
		}
		// Served past the learned cap: that was not the account's per-minute limit.
		this.cap = 0;
		return 'forgotten';
	}

	private count(now: number): number {
		while (this.accepted.length && this.accepted[0] <= now - this.windowMs) this.accepted.shift();
		return this.accepted.length;
	}
}
