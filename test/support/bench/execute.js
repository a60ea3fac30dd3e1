// @ts-check
'use strict';
/**
 * Measures one row in n8n: sets the simulator's conditions, runs the row's workflow with `n8n execute`,
 * and reads the measured node's executionTime (wall), its delivered items, the simulator's request
 * counts, and the peak resident memory (VmHWM) of the `n8n execute` process: polled from /proc, and
 * written at exit by hwm-preload.js.
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const n8n = require('../n8n');
const { LIMIT, TARGET } = require('./constants');
const { idealMs } = require('./ideal');
const { rowResult, score } = require('./row-result');
const { kindOf } = require('./scenarios');

/** @typedef {import('./scenarios').Scenario} Scenario */
/** @typedef {import('./args').BenchOptions} BenchOptions */
/** @typedef {import('./sim-client').SimClient} SimClient */
/** @typedef {import('../n8n').N8nInstance} N8nInstance */
/** @typedef {import('../n8n').N8nRun} N8nRun */
/** @typedef {{ inst: N8nInstance, sim: SimClient, opts: BenchOptions }} RunContext */

/**
 * A measured row, as printed and written to --json.
 * @typedef {object} RowResult
 * @property {string} name
 * @property {string} group
 * @property {string} label
 * @property {string} kind
 * @property {number} items
 * @property {number | null} concurrency
 * @property {number} [wallMs] the measured node's executionTime
 * @property {number} [idealMs]
 * @property {number} [ratio] wall ÷ ideal
 * @property {number} [itemsPerSec]
 * @property {number} [overheadMsPerItem] (wall − ideal) / N, when nothing was lost
 * @property {number} [pctOfAllowedRate] under the limit: ideal ÷ wall, in %
 * @property {number} [delivered]
 * @property {number} [lost]
 * @property {number} requests
 * @property {number} rejected429
 * @property {number | null} peakMemMb
 * @property {string} [error]
 * @property {string} [sampleError] the first failed item's error
 * @property {string} op
 * @property {boolean} limited
 * @property {boolean} retryAfter
 * @property {number} latencyMs
 * @property {number} processMs the whole `n8n execute` process
 * @property {number} loadAvg1AtEnd
 * @property {number} accepted
 * @property {Record<string, number>} byStatus
 * @property {number} maxInFlight
 * @property {import('./variants-check').VariantsCheck} [variants] a Number of Images row, image by image
 * @property {number[]} [executionsPerWorker] a queue-mode row: the burst's executions each worker ran
 * @property {Array<{ wallMs: number; rejected429: number; lost: number; requests: number }>} [bursts] a row
 *   of several bursts in a row: each one's figures
 */

const PRELOAD = path.join(__dirname, 'hwm-preload.js');

/**
 * @param {number} pid
 * @param {string} key
 */
function readStatusKb(pid, key) {
	try {
		const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
		const m = new RegExp(`${key}:\\s+(\\d+)\\s+kB`).exec(s);
		return m ? Number(m[1]) : null;
	} catch {
		return null;
	}
}

/**
 * The API requests a row makes when nothing fails: one per image of every item.
 * @param {Scenario} sc
 */
const requestsOf = (sc) => sc.n * (sc.images || 1);

/**
 * The row's floor: its concurrency (capped by the limit's), and the limit's rate when limited.
 * @param {Scenario} sc
 * @param {number} latencyMs
 */
function idealFor(sc, latencyMs) {
	const conc = sc.limited ? Math.min(sc.conc || 1, LIMIT.maxConcurrent) : sc.conc || 1;
	const rpm = sc.limited ? LIMIT.rpm : 0;
	return idealMs({ n: requestsOf(sc), latencyMs, conc, rpm, windowMs: LIMIT.rpmWindowMs });
}

/**
 * Runs the workflow under `n8n execute`, tracking the process' peak memory.
 * @param {N8nInstance} inst
 * @param {string} workflowId
 */
async function executeMeasured(inst, workflowId) {
	const hwmDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepfun-bench-hwm-'));
	const env = {
		N8N_RUNNERS_BROKER_PORT: String(await n8n.freePort()),
		NODE_OPTIONS: `--require ${PRELOAD}`,
		BENCH_HWM_DIR: hwmDir,
	};
	const before = new Set(inst.children);
	const t0 = Date.now();
	const pending = inst.execute(workflowId, { timeoutMs: 15 * 60 * 1000, env });
	/** @type {import('node:child_process').ChildProcess | undefined} */
	let child;
	let polledKb = 0;
	const poll = setInterval(() => {
		if (!child) child = [...inst.children].find((c) => !before.has(c));
		if (child && child.pid) polledKb = Math.max(polledKb, readStatusKb(child.pid, 'VmHWM') || 0);
	}, 100);
	/** @type {N8nRun | undefined} */
	let run;
	/** @type {unknown} */
	let failure;
	try {
		run = await pending;
	} catch (e) {
		failure = e;
		run = /** @type {{ run?: N8nRun }} */ (e).run;
	} finally {
		clearInterval(poll);
	}
	const processMs = Date.now() - t0;
	let hwmKb = polledKb;
	try {
		const f = child && path.join(hwmDir, `${child.pid}.json`);
		if (f && fs.existsSync(f))
			hwmKb = Math.max(hwmKb, JSON.parse(fs.readFileSync(f, 'utf8')).hwmKb || 0);
	} catch {
		/* keep the polled value */
	}
	fs.rmSync(hwmDir, { recursive: true, force: true });
	return { run, failure, processMs, hwmKb };
}

/**
 * Measures one row (its workflow already imported as `workflowId`).
 * @param {RunContext} ctx
 * @param {Scenario} sc
 * @param {string} workflowId
 * @returns {Promise<RowResult>}
 */
async function runScenario({ inst, sim, opts }, sc, workflowId) {
	const kind = kindOf(sc);
	await sim.call('reset');
	const faults = { latencyMs: opts.latencyMs };
	if (sc.limited) Object.assign(faults, LIMIT, { retryAfter: Boolean(sc.retryAfter) });
	await sim.call('setFaults', faults);

	const { run, failure, processMs, hwmKb } = await executeMeasured(inst, workflowId);
	const stats = await sim.call('stats');

	const res = rowResult(sc, opts, stats, { processMs, peakMemMb: hwmKb ? hwmKb / 1024 : null });
	const runData = run && run.data && run.data.resultData && run.data.resultData.runData;
	const measured = runData && runData[kind.measuredNode || TARGET];
	if (!measured || !measured[0]) {
		res.error = failure instanceof Error ? failure.message.split('\n')[0] : 'node did not run';
		return res;
	}
	const r0 = measured[0];
	if (r0.error) res.error = r0.error.message;
	res.wallMs = r0.executionTime;
	if (!kind.delivered || res.wallMs === undefined) return res;
	const out = (r0.data && r0.data.main && r0.data.main[0]) || [];
	if (kind.check) await kind.check(sim, sc, out, res);
	const firstErr = out.find((it) => it.json && it.json.error);
	if (firstErr)
		res.sampleError = String(firstErr.json.error.message || firstErr.json.error).slice(0, 160);
	score(res, {
		wallMs: res.wallMs,
		delivered: kind.delivered(out),
		wanted: requestsOf(sc),
		idealMs: idealFor(sc, opts.latencyMs),
	});
	return res;
}

module.exports = { runScenario, idealFor };
