// How long a refused (429) request waits before its retry, when the API does not say: long enough
// that instances which met in a burst do not meet again in lockstep, never so long that a freed
// account sits idle.

/**
 * The most the jitter spreads a retry over (it doubles with each congestion step in a row): short
 * while another instance may only be finishing a burst, wider once the 429s have lasted LONG_REFUSAL_MS
 * (other instances use the whole account for a while, or a per-minute limit it holds none of ours of).
 */
const SHORT_SPREAD_MS = 8000;
export const MAX_SPREAD_MS = 16000;
const LONG_REFUSAL_MS = 15000;

/** The 429s since the last success, and the retry wait they call for. */
export class RefusalBackoff {
	/** Congestion steps (429s, those of one moment counted once) since the last success. */
	private inRow = 0;
	/** When the current run of 429s began. */
	private since = 0;

	constructor(
		private readonly floorMs: number,
		private readonly maxSpreadMs: number,
		private readonly windowMs: number,
		private readonly random: () => number,
	) {}

	/** A new congestion step. */
	step(now: number): void {
		if (this.inRow++ === 0) this.since = now;
	}

	/** A request was served: the run of 429s is over. */
	reset(): void {
		this.inRow = 0;
	}

	/**
	 * The floor plus jitter that spreads with the steps in a row. 429s that outlast any burst of other
	 * instances' requests spread wider, but a retry never waits past the next minute since they began:
	 * a per-minute limit that others use up frees then, and this instance, holding none of it, could
	 * not know when else.
	 */
	delay(now: number): number {
		const long = now - this.since >= LONG_REFUSAL_MS;
		const cap = long ? this.maxSpreadMs : SHORT_SPREAD_MS;
		const spread = Math.min(cap, this.floorMs * 2 ** (this.inRow - 1));
		const delay = this.floorMs + Math.round(this.random() * spread);
		if (!long) return delay;
		const windows = Math.ceil((now - this.since) / this.windowMs);
		const nextMinute = this.since + windows * this.windowMs + 300 - now;
		return nextMinute >= this.floorMs ? Math.min(delay, nextMinute) : delay;
	}
}
