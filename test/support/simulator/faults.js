// @ts-check
'use strict';
// The fault knobs: their defaults and validation, the seeded PRNG, and the per-request fault draw
// (the deterministic script first, then the random faults in a fixed order).

const { errorBody } = require('./errors');

/**
 * One scripted answer. `null` = behave normally.
 * - `{status, body?, headers?, truncate?}`: answer `status` (200 without `body` = behave normally); `body` is
 *   JSON-serialised if an object, sent raw if a string, default an error body for the status; `truncate`
 *   also truncates the answer.
 * - `{reset: true}`, `{truncate: true}`, `{hangMs}`.
 * @typedef {null
 *   | { status: number; body?: unknown; headers?: Record<string, string>; truncate?: boolean }
 *   | { reset: true }
 *   | { truncate: true }
 *   | { hangMs: number }} ScriptEntry
 */

/**
 * @typedef {object} SimulatorFaults
 * @property {number} [latencyMs] Delay before answering each API request (not /files).
 * @property {number} [latencyJitterMs] Extra random delay 0..latencyJitterMs.
 * @property {number} [maxConcurrent] API requests in flight beyond this → immediate 429 "Too many
 *   concurrent requests". 0 = off.
 * @property {number} [rpm] Accepted requests per sliding window (rpmWindowMs) beyond this → 429. 0 = off.
 * @property {number} [rpmWindowMs] Sliding window for rpm, default 60000.
 * @property {boolean} [retryAfter] 429 answers carry Retry-After (integer seconds ≥ 1). Default false
 *   (never seen from the real API).
 * @property {number} [errorRate] Probability 0..1 of a random server error.
 * @property {number[]} [errorStatuses] Statuses drawn for errorRate, default [500, 502, 503, 504].
 * @property {number} [resetRate] Probability of destroying the socket without an answer.
 * @property {number} [truncateRate] Probability of sending headers + half the body, then destroying the
 *   socket.
 * @property {number} [hangRate] Probability of answering only after hangMs.
 * @property {number} [hangMs] Default 30000.
 * @property {ScriptEntry[]} [script] Consumed in order, one entry per API request that passes auth and
 *   rate limits.
 * @property {string[]} [blockedPrompts] Prompt containing one of these → 451 censorship_blocked.
 * @property {string[]} [filteredPrompts] Prompt containing one of these → 200 with finish_reason
 *   "content_filtered" and no image.
 * @property {string[]} [retiredModels] These model ids → 400 "model <id> not supported" (and hidden from
 *   /models).
 * @property {0 | 404 | 503} [retiredEndpoint] Every /images/* request answers 404 or persistent 503.
 *   0 = off.
 * @property {boolean} [insufficientBalance] Images requests (valid ones) → 402 insufficient_balance.
 * @property {null | 'no-data' | 'empty-b64' | 'not-json' | 'bad-b64'} [malformed] 200 image responses
 *   with a defect.
 * @property {boolean} [urlExpired] /files/* answers 404.
 * @property {number} [fileTtlMs] /files/* answers 404 once the file is older than this. 0 = never.
 * @property {string[]} [extraModels] Additional model ids accepted with step-image-edit-2's capabilities
 *   (e.g. a "renamed" model).
 */

/** @type {Required<SimulatorFaults>} */
const DEFAULTS = {
	latencyMs: 0,
	latencyJitterMs: 0,
	maxConcurrent: 0,
	rpm: 0,
	rpmWindowMs: 60000,
	retryAfter: false,
	errorRate: 0,
	errorStatuses: [500, 502, 503, 504],
	resetRate: 0,
	truncateRate: 0,
	hangRate: 0,
	hangMs: 30000,
	script: [],
	blockedPrompts: [],
	filteredPrompts: [],
	retiredModels: [],
	retiredEndpoint: 0,
	insufficientBalance: false,
	malformed: null,
	urlExpired: false,
	fileTtlMs: 0,
	extraModels: [],
};
const DEFAULT_FAULTS = Object.freeze(DEFAULTS);
const FAULT_KEYS = new Set(Object.keys(DEFAULT_FAULTS));

/**
 * Copy of `f` (arrays copied too); throws a TypeError on an unknown knob name.
 * @param {SimulatorFaults} f
 * @returns {SimulatorFaults}
 */
function normaliseFaults(f) {
	/** @type {Record<string, unknown>} */
	const out = {};
	for (const [k, v] of Object.entries(f)) {
		if (!FAULT_KEYS.has(k)) throw new TypeError(`simulator: unknown fault knob "${k}"`);
		out[k] = Array.isArray(v) ? v.slice() : v;
	}
	return out;
}

/**
 * Seeded PRNG: a function returning floats in [0, 1).
 * @param {number} seed
 * @returns {() => number}
 */
function mulberry32(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

/**
 * A fault to apply to one request: a script entry or a random draw (`random: true`).
 * @typedef {object} FaultAction
 * @property {number} [status]
 * @property {unknown} [body]
 * @property {Record<string, string>} [headers]
 * @property {boolean} [truncate]
 * @property {boolean} [reset]
 * @property {number} [hangMs]
 * @property {boolean} [random]
 */

/**
 * The fault for the next accepted API request: the next script entry if any is left, otherwise the random
 * faults drawn in a fixed order (reset, truncate, hang, error). Sets `record.fault`.
 * @param {{ faults: Required<SimulatorFaults>; scriptQueue: ScriptEntry[]; faultRand: () => number }} state
 * @param {{ fault: string | null }} record
 * @returns {FaultAction | null}
 */
function drawFault(state, record) {
	const { faults } = state;
	/** @type {FaultAction | null | undefined} */
	let action = null;
	if (state.scriptQueue.length) {
		action = state.scriptQueue.shift();
		if (action) record.fault = 'script';
	}
	if (!action) {
		const r = () => state.faultRand();
		if (faults.resetRate > 0 && r() < faults.resetRate) action = { reset: true, random: true };
		else if (faults.truncateRate > 0 && r() < faults.truncateRate) {
			action = { truncate: true, random: true };
		} else if (faults.hangRate > 0 && r() < faults.hangRate) {
			action = { hangMs: faults.hangMs, random: true };
		} else if (faults.errorRate > 0 && r() < faults.errorRate) {
			const list =
				faults.errorStatuses && faults.errorStatuses.length ? faults.errorStatuses : [500];
			action = { status: list[Math.floor(r() * list.length)], random: true };
		}
		if (action) {
			record.fault = action.reset
				? 'reset'
				: action.truncate
					? 'truncate'
					: action.hangMs
						? 'hang'
						: 'error';
		}
	}
	return action ?? null;
}

/**
 * This request's latency: latencyMs plus a seeded jitter.
 * @param {{ faults: Required<SimulatorFaults>; faultRand: () => number }} state
 */
function latencyOf(state) {
	const { faults } = state;
	return (
		(faults.latencyMs || 0) +
		(faults.latencyJitterMs > 0 ? state.faultRand() * faults.latencyJitterMs : 0)
	);
}

/**
 * The canned answer of a fault with a status (a 200 without body is not one: it behaves normally).
 * @param {FaultAction} action
 * @param {Required<SimulatorFaults>} faults
 * @returns {{ status: number; body: unknown; headers: Record<string, string> } | undefined}
 */
function cannedAnswer(action, faults) {
	if (action.status === undefined || (action.status === 200 && action.body === undefined)) {
		return undefined;
	}
	const st = action.status;
	let headers = action.headers || {};
	const hasRetryAfter = Object.keys(headers).some((k) => k.toLowerCase() === 'retry-after');
	if (st === 429 && faults.retryAfter && !hasRetryAfter) {
		headers = { ...headers, 'retry-after': '1' };
	}
	return { status: st, body: action.body !== undefined ? action.body : errorBody(st), headers };
}

module.exports = {
	DEFAULT_FAULTS,
	FAULT_KEYS,
	normaliseFaults,
	mulberry32,
	drawFault,
	latencyOf,
	cannedAnswer,
};
