// @ts-check
'use strict';
/**
 * Queue-mode workers sharing one StepFun account (../../n8n/queue.js: Redis, Postgres, a main and two
 * workers, binary data in the database), each at the node's default Concurrency (5) with its own
 * governor: examples/webhook-edit.json, 30 uploads at once, the API at 1 s per edit and limited.
 *
 * - queue-lim-c5: the account takes 5 requests in flight (429 beyond), ten bursts in a row on the same
 *   workers (floor 30 / 5 × 1 s = 6 s each). Targets: 0 lost in every burst; every burst ≤ 12 s,
 *   median ≤ 9.6 s; ≤ 10 × 429 in every burst, median ≤ 6.
 * - queue-lim-rpm: 5 in flight and 10 accepted per minute, one burst. Targets: 0 lost, ≥ 90 % of the
 *   allowed rate, ≤ 30 × 429.
 *
 * Each row brings up a stack of its own (~1 min) and warms it with 4 uploads (no limit), not timed; a
 * burst is timed at the caller: first call sent → last answer received.
 */

const demo = require('../../demo');
const n8n = require('../../n8n');
const { startQueueStack } = require('../../n8n/queue');
const { createCredential, createWorkflow } = require('../../n8n/rest-data');
const { makePng } = require('../../simulator/png');
const { API_KEY } = require('../constants');
const { idealMs } = require('../ideal');
const { rowResult, sampleCallError, score } = require('../row-result');
const { fmt } = require('../table');

/** @typedef {import('./index').Scenario} Scenario */
/** @typedef {import('./index').TargetContext} TargetContext */
/** @typedef {import('../execute').RunContext} RunContext */
/** @typedef {import('../execute').RowResult} RowResult */
/** @typedef {import('../targets').Target} Target */

const kind = 'queue-shared';
const CALLS = 30;
const WORKERS = 2;
const LATENCY_MS = 1000;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/**
 * Row name → the account's limits and the bursts in a row.
 * @type {Record<string, { faults: { maxConcurrent: number; rpm?: number }; bursts: number; what: string }>}
 */
const ROWS = {
	'queue-lim-c5': { faults: { maxConcurrent: 5 }, bursts: 10, what: '5 in flight, 10 bursts' },
	'queue-lim-rpm': {
		faults: { maxConcurrent: 5, rpm: 10 },
		bursts: 1,
		what: '5 in flight + 10 RPM',
	},
};

let simBaseUrl = '';

/** @returns {Scenario[]} */
function rows() {
	return Object.entries(ROWS).map(([name, row]) => ({
		name,
		group: 'queue-shared',
		label: `Queue, 2 workers at c=5, ${CALLS} uploads at once, account ${row.what}`,
		kind,
		op: 'edit',
		n: CALLS * row.bursts,
		conc: 5,
		limited: Boolean(row.faults.rpm),
	}));
}

/**
 * No node in the shared instance: the row runs in a queue-mode stack of its own.
 * @param {Scenario} _sc
 * @param {TargetContext} ctx
 * @returns {null}
 */
function target(_sc, ctx) {
	simBaseUrl = ctx.simBaseUrl;
	return null;
}

/**
 * @param {RunContext} ctx
 * @param {Scenario} sc
 * @returns {Promise<RowResult>}
 */
async function run({ inst, sim, opts }, sc) {
	const row = ROWS[sc.name];
	const log = (/** @type {string} */ m) => process.stderr.write(`[bench] ${sc.name}: ${m}\n`);
	const q = await startQueueStack({
		version: inst.version,
		workers: WORKERS,
		customExtensions: inst.customExtensions,
		log,
	});
	try {
		const credential = await createCredential(q.server, {
			name: 'StepFun simulator',
			type: 'stepPlanApi',
			data: { apiKey: API_KEY, endpoint: 'custom', baseUrl: simBaseUrl },
		});
		const wf = demo.loadExample('webhook-edit', { nodeType: demo.CUSTOM_NODE_TYPE, credential });
		await q.server.activateWorkflow(await createWorkflow(q.server, wf));
		const url = q.server.webhookUrl('stepfun-edit');
		const png = makePng(256, 256, 'bench-input');
		/** @type {Array<{ wallMs: number; rejected429: number; lost: number; requests: number }>} */
		const bursts = [];
		let wallMs = 0;
		let delivered = 0;
		const total = { received: 0, accepted: 0, rejected429: 0, byStatus: {}, maxInFlight: 0 };
		/** @type {string | undefined} */
		let sampleError;
		// n8n's first executions on a worker load the node and warm caches: not what is measured here.
		await sim.call('setFaults', { latencyMs: LATENCY_MS });
		await uploads(url, png, -1, 4);
		for (let b = 0; b < row.bursts; b++) {
			await sim.call('reset');
			await sim.call('setFaults', { latencyMs: LATENCY_MS, ...row.faults });
			const burst = await uploads(url, png, b);
			const stats = await sim.call('stats');
			const ok = burst.answers.filter(isPng).length;
			bursts.push({
				wallMs: burst.wallMs,
				rejected429: stats.rejected429,
				lost: CALLS - ok,
				requests: stats.received,
			});
			log(
				`burst ${b + 1}/${row.bursts}: ${fmt(burst.wallMs / 1000, 1)} s, ${stats.rejected429} × 429, ${CALLS - ok} lost`,
			);
			wallMs += burst.wallMs;
			delivered += ok;
			total.received += stats.received;
			total.accepted += stats.accepted;
			total.rejected429 += stats.rejected429;
			total.maxInFlight = Math.max(total.maxInFlight, stats.maxInFlight);
			sampleError ??= sampleCallError(burst.answers.find((a) => !isPng(a)));
			// Two seconds between bursts, as separate waves of traffic.
			if (b + 1 < row.bursts) await new Promise((resolve) => setTimeout(resolve, 2000));
		}
		const r = rowResult(sc, { ...opts, latencyMs: LATENCY_MS }, total, {
			processMs: wallMs,
			peakMemMb: null,
		});
		const floor = idealMs({ n: CALLS, latencyMs: LATENCY_MS, conc: 5, rpm: row.faults.rpm });
		score(r, { wallMs, delivered, wanted: sc.n, idealMs: floor * row.bursts });
		r.sampleError = sampleError;
		r.bursts = bursts;
		return r;
	} finally {
		await q.stop();
	}
}

/**
 * CALLS uploads at once to the webhook; the answers and the time from the first call to the last answer.
 * @param {string} url
 * @param {Buffer} png
 * @param {number} burst
 * @param {number} [calls]
 */
async function uploads(url, png, burst, calls = CALLS) {
	const forms = Array.from({ length: calls }, (_, i) =>
		demo.multipart([
			{ name: 'prompt', value: `Make the sky purple, burst ${burst + 1}, variation ${i + 1}` },
			{ name: 'data', filename: 'input.png', contentType: 'image/png', data: png },
		]),
	);
	const t0 = Date.now();
	const answers = await Promise.all(
		forms.map(({ body, contentType }) =>
			demo
				.postWebhook(n8n.httpRequest, url, {
					body,
					headers: { 'content-type': contentType },
					timeoutMs: 600000,
				})
				.then(
					(res) => ({ res, error: '' }),
					(e) => ({ res: undefined, error: String((e && e.message) || e) }),
				),
		),
	);
	return { answers, wallMs: Date.now() - t0 };
}

/** @param {{ res?: n8n.HttpResponse }} answer */
function isPng(answer) {
	const { res } = answer;
	return Boolean(res && res.status === 200 && res.buffer.subarray(0, 8).equals(PNG_SIGNATURE));
}

/** @param {number[]} values */
function median(values) {
	return [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
}

/**
 * @param {Record<string, RowResult>} by
 * @returns {Target[]}
 */
function targets(by) {
	/** @type {Target[]} */
	const out = [];
	const c5 = by['queue-lim-c5'];
	const c5want = 'every burst 0 lost, ≤ 12 s, ≤ 10 × 429; median ≤ 9.6 s and ≤ 6 × 429 (floor 6 s)';
	if (!c5 || !c5.bursts || c5.error)
		out.push({ status: 'NOT RUN', text: `queue-lim-c5: ${c5want}` });
	else {
		const walls = c5.bursts.map((b) => b.wallMs / 1000);
		const refused = c5.bursts.map((b) => b.rejected429);
		const lost = c5.bursts.map((b) => b.lost);
		const pass =
			lost.every((n) => n === 0) &&
			walls.every((w) => w <= 12) &&
			refused.every((n) => n <= 10) &&
			median(walls) <= 9.6 &&
			median(refused) <= 6;
		out.push({
			status: pass ? 'PASS' : 'MISS',
			text:
				`queue-lim-c5: ${c5.bursts.length} bursts of ${CALLS}: wall ${walls.map((w) => fmt(w, 1)).join(', ')} s ` +
				`(median ${fmt(median(walls), 1)}), 429s ${refused.join(', ')} (median ${median(refused)}), ` +
				`lost ${lost.reduce((a, b) => a + b, 0)} (target ${c5want})`,
		});
	}
	const rpm = by['queue-lim-rpm'];
	const rpmWant = '0 lost, ≥ 90% of the allowed rate, ≤ 30 × 429';
	if (!rpm || rpm.wallMs === undefined || rpm.error) {
		out.push({ status: 'NOT RUN', text: `queue-lim-rpm: ${rpmWant}` });
	} else {
		const pct = rpm.pctOfAllowedRate ?? 0;
		const pass = rpm.lost === 0 && pct >= 90 && rpm.rejected429 <= 30;
		out.push({
			status: pass ? 'PASS' : 'MISS',
			text:
				`queue-lim-rpm: ${CALLS} uploads in ${fmt(rpm.wallMs / 1000, 1)} s vs a ${fmt((rpm.idealMs ?? 0) / 1000, 1)} s floor ` +
				`(${fmt(pct, 0)}%), ${rpm.rejected429} × 429, ${rpm.lost} lost (target ${rpmWant})`,
		});
	}
	return out;
}

module.exports = { kind, rows, target, run, targets };
