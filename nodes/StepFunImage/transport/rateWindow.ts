// A requests-per-window limit (a new StepFun account: 10 per minute), never assumed from refusals a
// concurrency limit explains: other n8n instances on the same account (queue-mode workers) can fill
// every slot and make any lone request look refused by a rate.

/** How soon a suspected window is first probed, how the wait grows after each refused probe, and its most. */
const FIRST_PROBE_MS = 1000;
const PROBE_GROWTH = 3;
const MAX_PROBE_DELAY_MS = 18000;

/**
 * Counts the requests the API accepted in the last window; a confirmed limit paces them: the next
 * goes when the oldest accepted one leaves the window, as a sliding-window limiter frees its slots.
 *
 * A refused hand-over (a request sent on the slot one of this instance's own requests had just left,
 * which a concurrency limit does not refuse, but for a race with another instance or a server that
 * counts a finished request a moment too long) only makes a window suspected: the limit would be what
 * the window holds. Nothing but a lone probe goes out then, after 1 s, 3 s, 9 s, then every 18 s, and when
 * the window would free; a probe that is served forgets it, and so does a request accepted beyond it.
 * Two refused probes and the window freeing just when it predicted confirm it.
 *
 * The limit learned is this instance's share of the account's, so a confirmed window is probed too,
 * once each time it is full: 1 s after it fills, then 3 s, 9 s, ... up to a whole window while probes
 * are refused (alone on the account, the window is all there is). A probe that is served (another
 * instance left its share unused) raises it, and the next probe follows at once.
 */
export class RateWindow {
	private readonly accepted: number[] = [];
	private cap = 0;
	private confirmed_ = false;
	private probeAt = 0;
	private probeDelay = FIRST_PROBE_MS;
	/** How long a confirmed window stays full before it is probed (it grows while probes are refused). */
	private fullProbeDelay = FIRST_PROBE_MS;
	/** Probes refused since the window was suspected. */
	private refusedProbes = 0;
	/** Since when the window has been full (undefined: it has room). */
	private fullSince: number | undefined;

	constructor(private readonly windowMs: number) {}

	/** The limit suspected or confirmed, else 0. */
	get limit(): number {
		return this.cap;
	}

	get confirmed(): boolean {
		return this.cap > 0 && this.confirmed_;
	}

	/** The API took a request sent at `sentAt` (answered, not with 429). */
	accept(sentAt: number, now: number): void {
		let i = this.accepted.length;
		while (i > 0 && this.accepted[i - 1] > sentAt) i--;
		this.accepted.splice(i, 0, sentAt);
		// Accepted past the limit suspected: the refusal that suggested it was no rate limit.
		if (this.cap > 0 && !this.confirmed_ && this.count(now) > this.cap) this.cap = 0;
	}

	/**
	 * A hand-over was refused: the limit would be what the window holds now, with the `accepted`
	 * requests still in flight (nothing when it is empty; a later one may lower it).
	 */
	handoverRefused(now: number, accepted: number): void {
		const count = this.count(now) + accepted;
		if (count === 0) return;
		if (this.cap > 0) {
			this.cap = Math.min(this.cap, count);
			return;
		}
		this.cap = count;
		this.confirmed_ = false;
		this.refusedProbes = 0;
		this.probeDelay = FIRST_PROBE_MS;
		this.probeAt = now + FIRST_PROBE_MS;
	}

	/** How long until a request may go: the window has room, or a probe is due (0: now, or none is known). */
	wait(now: number): number {
		if (!this.cap) return 0;
		if (this.count(now) < this.cap) {
			this.fullSince = undefined;
			return 0;
		}
		if (this.fullSince === undefined) {
			this.fullSince = now;
			// A share another instance leaves unused this window is found within seconds.
			if (this.confirmed_) this.probeAt = now + this.fullProbeDelay;
		}
		return Math.min(this.slotWait(now), Math.max(0, this.probeAt - now));
	}

	/** Whether `inFlight` more requests would fill the window (a suspected one lets only probes go). */
	fullWith(inFlight: number, now: number): boolean {
		if (!this.cap) return false;
		return !this.confirmed_ || this.count(now) + inFlight >= this.cap;
	}

	/**
	 * Whether the next (lone) request is a probe. A suspected window is probed when a probe is due or
	 * when it would free; freeing just when predicted after two refused probes confirms it at once.
	 */
	mayProbe(now: number): boolean {
		if (!this.cap) return false;
		if (this.confirmed_) return now >= this.probeAt && this.count(now) >= this.cap;
		if (this.slotWait(now) > 0) return now >= this.probeAt;
		if (this.refusedProbes < 2) return true;
		this.confirmed_ = true;
		this.fullSince = undefined;
		return false;
	}

	/** A probe is out: nobody else probes until it is answered. */
	probing(): void {
		this.probeAt = Infinity;
	}

	/**
	 * What a probe came to. Refused: probe again, later each time (a confirmed window: when it is full
	 * again). Served: forget a suspected window, raise a confirmed one and probe again.
	 */
	probeSettled(result: 'refused' | 'served' | 'unsent', now: number): void {
		if (result === 'unsent') {
			this.probeAt = now;
		} else if (result === 'refused') {
			this.refusedProbes++;
			if (this.confirmed_) {
				// Alone on the account, the window is all there is: probe it less and less.
				this.fullProbeDelay = Math.min(this.fullProbeDelay * PROBE_GROWTH, this.windowMs);
				this.probeAt = Infinity;
			} else {
				this.probeDelay = Math.min(this.probeDelay * PROBE_GROWTH, MAX_PROBE_DELAY_MS);
				this.probeAt = now + this.probeDelay;
			}
		} else if (!this.confirmed_) {
			// Served where a limit was suspected: that was not the account's per-window limit.
			this.cap = 0;
		} else {
			// Served past this instance's share: another instance left room, maybe more.
			this.cap = this.count(now) + 1;
			this.probeAt = now;
			this.fullProbeDelay = FIRST_PROBE_MS;
		}
	}

	/** How long until the window frees a slot, a little after its oldest request leaves it. */
	private slotWait(now: number): number {
		const count = this.count(now);
		if (count < this.cap) return 0;
		return this.accepted[count - this.cap] + this.windowMs + 200 - now;
	}

	private count(now: number): number {
		while (this.accepted.length && this.accepted[0] <= now - this.windowMs) this.accepted.shift();
		return this.accepted.length;
	}
}
