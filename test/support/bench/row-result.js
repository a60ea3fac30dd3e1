// @ts-check
'use strict';
/**
 * A measured row's result, built the same way by every kind of run (n8n execute, webhook burst, queue mode):
 * the row's conditions and the simulator's counts, then the scores from wall time and delivered results.
 */
const os = require('node:os');

/** @typedef {import('./scenarios').Scenario} Scenario */
/** @typedef {import('./args').BenchOptions} BenchOptions */
/** @typedef {import('./execute').RowResult} RowResult */

/**
 * The row's conditions and what the simulator counted.
 * @param {Scenario} sc
 * @param {BenchOptions} opts
 * @param {{ received: number; accepted: number; rejected429: number; byStatus: Record<string, number>;
 *   maxInFlight: number }} stats the simulator's `stats`
 * @param {{ processMs: number; peakMemMb: number | null }} measured
 * @returns {RowResult}
 */
function rowResult(sc, opts, stats, { processMs, peakMemMb }) {
	return {
		name: sc.name,
		group: sc.group,
		label: sc.label,
		kind: sc.kind,
		op: sc.op,
		items: sc.n,
		concurrency: sc.conc ?? null,
		limited: Boolean(sc.limited),
		retryAfter: Boolean(sc.retryAfter),
		latencyMs: opts.latencyMs,
		processMs,
		peakMemMb,
		loadAvg1AtEnd: os.loadavg()[0],
		requests: stats.received,
		accepted: stats.accepted,
		rejected429: stats.rejected429,
		byStatus: stats.byStatus,
		maxInFlight: stats.maxInFlight,
	};
}

/**
 * Scores a row against its floor: lost, ratio, throughput and, when nothing was lost (lost items did
 * not wait, so the time is not comparable), the overhead per result and the share of the allowed rate.
 * @param {RowResult} r
 * @param {{ wallMs: number; delivered: number; wanted: number; idealMs: number }} run wanted: the
 *   results a run without failures delivers
 */
function score(r, { wallMs, delivered, wanted, idealMs }) {
	Object.assign(r, {
		wallMs,
		delivered,
		lost: wanted - delivered,
		idealMs,
		ratio: wallMs / idealMs,
		itemsPerSec: delivered / (wallMs / 1000),
	});
	if (r.lost !== 0) return;
	r.overheadMsPerItem = (wallMs - idealMs) / wanted;
	if (r.limited) r.pctOfAllowedRate = (100 * idealMs) / wallMs;
}

/**
 * The first failed HTTP call of a burst, one line.
 * @param {{ res?: { status: number; text: string }; error?: string } | undefined} failed
 */
function sampleCallError(failed) {
	if (!failed) return undefined;
	const what = failed.res ? `HTTP ${failed.res.status}: ${failed.res.text}` : failed.error;
	return String(what).replace(/\s+/g, ' ').slice(0, 160);
}

module.exports = { rowResult, score, sampleCallError };
