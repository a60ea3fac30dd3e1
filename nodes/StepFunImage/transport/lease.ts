// An execution's lease on its account's governor (governor.ts): its own Concurrency and cancel
// signal, and the tickets its requests hold while they are out.

/** Handed out by acquire() and given back to release(). */
export interface Ticket {
	epoch: number;
	sentAt: number;
	/** Sent on the slot one of this account's own requests had just left (see HANDOVER_MS in governor.ts). */
	handover: boolean;
	/** Sent to probe a per-minute window that is full. */
	probe: boolean;
}

export type Outcome = 'success' | 'rateLimited' | 'failed' | 'unsent';

/** The governor, as a lease uses it. */
export interface AccountHost {
	acquire(lease: GovernorLease): Promise<Ticket>;
	release(lease: GovernorLease, ticket: Ticket, outcome: Outcome, retryAfterMs?: number): number;
	close(lease: GovernorLease): void;
	wakeAll(): void;
}

/** One execution's use of an account: its own Concurrency, its own cancel signal. */
export class GovernorLease {
	inFlight = 0;
	closed = false;
	private readonly onAbort = () => this.account.wakeAll();

	constructor(
		readonly account: AccountHost,
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

	/** The execution is done with the account; its waiters (if any) stop. */
	close(): void {
		if (this.closed) return;
		this.closed = true;
		this.signal?.removeEventListener('abort', this.onAbort);
		this.account.close(this);
	}
}
