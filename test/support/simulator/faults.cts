// The fault knobs (defaults, checks), the seeded PRNG, the rate-limit gates decided when a request
// arrives, and the fault each accepted request draws: the script first, then the random faults.
import { ApiError, errorBody } from './contract.cjs';

/**
 * One scripted answer; null behaves normally. `{status, body?, headers?, truncate?}` answers `status`
 * (a 200 without a body behaves normally; an object body is sent as JSON, a string as is, none as the
 * status's error body); `{reset}`, `{truncate}` and `{hangMs}` drop the line, cut the answer, hold it.
 */
export type ScriptEntry =
	| null
	| { status: number; body?: unknown; headers?: Record<string, string>; truncate?: boolean }
	| { reset: true }
	| { truncate: true }
	| { hangMs: number };

/**
 * - latencyMs (+ 0..latencyJitterMs): before each API answer (not /files).
 * - maxConcurrent: API requests in flight beyond it get a 429 at once; rpm: accepted requests per
 *   sliding rpmWindowMs beyond it get a 429; retryAfter: 429s carry Retry-After (never seen from the
 *   real API). 0 = off.
 * - errorRate (a status from errorStatuses), resetRate, truncateRate, hangRate (hangMs): probabilities.
 * - script: consumed in order, one entry per API request past auth and the rate limits.
 * - blockedPrompts → 451 censorship_blocked; filteredPrompts → 200 "content_filtered" without an image;
 *   retiredModels → 400 "not supported" (and gone from /models); extraModels: more ids, with
 *   step-image-edit-2's capabilities; retiredEndpoint: every /images/* answers 404, or 503 for good;
 *   insufficientBalance → 402; malformed: 200 image answers with a defect.
 * - urlExpired: /files/* answers 404, as does a file older than fileTtlMs (0 = never).
 */
const DEFAULTS = {
	latencyMs: 0,
	latencyJitterMs: 0,
	maxConcurrent: 0,
	rpm: 0,
	rpmWindowMs: 60000,
	retryAfter: false,
	errorRate: 0,
	errorStatuses: [500, 502, 503, 504] as number[],
	resetRate: 0,
	truncateRate: 0,
	hangRate: 0,
	hangMs: 30000,
	script: [] as ScriptEntry[],
	blockedPrompts: [] as string[],
	filteredPrompts: [] as string[],
	retiredModels: [] as string[],
	retiredEndpoint: 0 as 0 | 404 | 503,
	insufficientBalance: false,
	malformed: null as null | 'no-data' | 'empty-b64' | 'not-json' | 'bad-b64',
	urlExpired: false,
	fileTtlMs: 0,
	extraModels: [] as string[],
};
export type Faults = typeof DEFAULTS;
export type SimulatorFaults = Partial<Faults>;
export const DEFAULT_FAULTS: Readonly<Faults> = Object.freeze(DEFAULTS);
export const FAULT_KEYS = new Set(Object.keys(DEFAULT_FAULTS));

/** A copy of `f` (arrays copied too); a TypeError on an unknown knob. */
export function normaliseFaults(f: SimulatorFaults): SimulatorFaults {
	for (const k of Object.keys(f)) {
		if (!FAULT_KEYS.has(k)) throw new TypeError(`simulator: unknown fault knob "${k}"`);
	}
	return Object.fromEntries(
		Object.entries(f).map(([k, v]) => [k, Array.isArray(v) ? v.slice() : v]),
	);
}

/** A seeded PRNG (mulberry32): floats in [0, 1). */
export function mulberry32(seed: number): () => number {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = Math.imul(a ^ (a >>> 15), a | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/** The 429 for a request beyond a limit, or undefined (then it counts for rpm); `inFlight` counts it. */
export function rateLimit(faults: Faults, inFlight: number, rpmLog: number[], now: number) {
	const retryAfter = (s: number) => (faults.retryAfter ? { 'retry-after': String(s) } : undefined);
	const refuse = (message: string, wait: number) =>
		new ApiError(429, message, 'rate_limit_exceeded', retryAfter(wait));
	if (faults.maxConcurrent > 0 && inFlight > faults.maxConcurrent) {
		return refuse('Too many concurrent requests', 1);
	}
	if (faults.rpm <= 0) return undefined;
	const windowMs = faults.rpmWindowMs || 60000;
	while (rpmLog.length && rpmLog[0] <= now - windowMs) rpmLog.shift();
	if (rpmLog.length >= faults.rpm) {
		const wait = Math.max(1, Math.ceil((rpmLog[0] + windowMs - now) / 1000));
		return refuse(`Rate limit reached: ${faults.rpm} requests per minute`, wait);
	}
	rpmLog.push(now);
	return undefined;
}

export type FaultAction = Exclude<ScriptEntry, null> & {
	status?: number;
	body?: unknown;
	headers?: Record<string, string>;
	truncate?: boolean;
	reset?: boolean;
	hangMs?: number;
};

/** The fault of the next accepted request; sets `record.fault`. */
export function drawFault(
	state: { faults: Faults; scriptQueue: ScriptEntry[]; faultRand: () => number },
	record: { fault: string | null },
): FaultAction | null {
	const entry = state.scriptQueue.shift();
	if (entry) return ((record.fault = 'script'), entry);
	// No script (or a null entry): the random faults, drawn in a fixed order.
	const { faults, faultRand: r } = state;
	const draw = (rate: number) => rate > 0 && r() < rate;
	let action: FaultAction | null = null;
	if (draw(faults.resetRate)) [action, record.fault] = [{ reset: true }, 'reset'];
	else if (draw(faults.truncateRate)) [action, record.fault] = [{ truncate: true }, 'truncate'];
	else if (draw(faults.hangRate)) [action, record.fault] = [{ hangMs: faults.hangMs }, 'hang'];
	else if (draw(faults.errorRate)) {
		const list = faults.errorStatuses.length ? faults.errorStatuses : [500];
		[action, record.fault] = [{ status: list[Math.floor(r() * list.length)] }, 'error'];
	}
	return action;
}

/** This request's latency: latencyMs plus a seeded jitter. */
export const latencyOf = ({ faults, faultRand }: { faults: Faults; faultRand: () => number }) =>
	(faults.latencyMs || 0) + (faults.latencyJitterMs > 0 ? faultRand() * faults.latencyJitterMs : 0);

/** The answer of a fault with a status (not a 200 without a body: that behaves normally). */
export function cannedAnswer(action: FaultAction, faults: Faults) {
	const { status, body } = action;
	if (status === undefined || (status === 200 && body === undefined)) return undefined;
	let headers = action.headers ?? {};
	const hasRetryAfter = Object.keys(headers).some((k) => k.toLowerCase() === 'retry-after');
	if (status === 429 && faults.retryAfter && !hasRetryAfter)
		headers = { ...headers, 'retry-after': '1' };
	return { status, body: body !== undefined ? body : errorBody(status), headers };
}
