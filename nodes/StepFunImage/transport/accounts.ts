// One governor per StepFun account per n8n instance: every execution that uses the same credential
// (same Base URL and key) shares what 429s taught and the account's requests in flight. Queue-mode
// workers are separate processes: each has its own, and the 429 handling covers the rest.
import { createHash } from 'crypto';

import { RequestGovernor } from './governor';
import type { GovernorLease } from './lease';

/** A governor nobody used for this long is dropped (checked whenever an account is looked up). */
const IDLE_MS = 10 * 60 * 1000;

const governors = new Map<string, RequestGovernor>();

/**
 * Opens an execution's lease on its account's governor. The account is identified by a hash of the
 * Base URL and the key, so the key itself is never kept.
 */
export function openAccount(
	baseUrl: string,
	apiKey: unknown,
	concurrency: number,
	signal?: AbortSignal,
): GovernorLease {
	dropIdle(Date.now());
	const id = createHash('sha256')
		.update(`${baseUrl}\n${String(apiKey ?? '')}`)
		.digest('hex');
	let governor = governors.get(id);
	if (!governor) {
		governor = new RequestGovernor();
		governors.set(id, governor);
	}
	return governor.open(concurrency, signal);
}

function dropIdle(now: number): void {
	for (const [id, governor] of governors) {
		if (governor.openLeases === 0 && now - governor.lastUsed > IDLE_MS) governors.delete(id);
	}
}

/** How many accounts this instance keeps state for (tests and the benchmark). */
export function knownAccounts(now = Date.now()): number {
	dropIdle(now);
	return governors.size;
}

/** Forgets every account (tests start from a clean state). */
export function forgetAccounts(): void {
	governors.clear();
}
