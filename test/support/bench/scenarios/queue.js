// @ts-check
'use strict';
/**
 * n8n in queue mode (../../n8n/queue.js: Redis, Postgres, a main, workers; binary data in the database):
 * examples/webhook-edit.json, CALLS uploads at once, each an execution of its own run by a worker, with
 * one worker and with two, the simulator at a fixed latency and no limit, so the workers are what counts.
 * Each worker keeps the account's requests in flight at the node's Concurrency (5, the default); two
 * workers may have twice as many. Every row brings up a stack of its own (~1 min, not timed) and times the
 * burst at the caller: first call sent → last answer received. Target: two workers ≥ 1.5× the throughput
 * of one.
 */

const demo = require('../../demo');
const n8n = require('../../n8n');
const { startQueueStack } = require('../../n8n/queue');
const { createCredential, createWorkflow } = require('../../n8n/rest-data');
const { API_KEY } = require('../constants');
const { idealMs } = require('../ideal');
const { rowResult, sampleCallError, score } = require('../row-result');
const { fmt } = require('../table');

/** @typedef {import('./index').Scenario} Scenario */
/** @typedef {import('./index').TargetContext} TargetContext */
/** @typedef {import('../execute').RunContext} RunContext */
/** @typedef {import('../execute').RowResult} RowResult */
/** @typedef {import('../targets').Target} Target */

const kind = 'queue';
const CALLS = 50;
/** The node's default Concurrency: what one worker keeps in flight for the account. */
const NODE_CONCURRENCY = 5;
/** Row name → workers. */
const WORKERS = { 'queue-1w': 1, 'queue-2w': 2 };
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The simulator's Base URL, as the shared instance's rows were given it (target() runs before run()). */
let simBaseUrl = '';

/** @returns {Scenario[]} */
function rows() {
	return Object.entries(WORKERS).map(([name, workers]) => ({
		name,
		group: 'queue',
		label: `Queue mode, ${CALLS} webhook-edit calls at once, ${workers} worker${workers > 1 ? 's' : ''}`,
		kind,
		op: 'edit',
		n: CALLS,
		conc: NODE_CONCURRENCY * workers,
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
 * VmHWM of a process in MB, or null.
 * @param {number | undefined} pid
 */
function peakMb(pid) {
	try {
		const status = require('node:fs').readFileSync(`/proc/${pid}/status`, 'utf8');
		const m = /VmHWM:\s+(\d+)\s+kB/.exec(status);
		return m ? Number(m[1]) / 1024 : null;
	} catch {
		return null;
	}
}

/**
 * @param {RunContext} ctx
 * @param {Scenario} sc
 * @returns {Promise<RowResult>}
 */
async function run({ inst, sim, opts }, sc) {
	const workers = WORKERS[/** @type {keyof typeof WORKERS} */ (sc.name)];
	const log = (/** @type {string} */ m) => process.stderr.write(`[bench] ${sc.name}: ${m}\n`);
	await sim.call('reset');
	await sim.call('setFaults', { latencyMs: opts.latencyMs });
	const q = await startQueueStack({
		version: inst.version,
		workers,
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
		const { makePng } = require('../../simulator/png');
		const png = makePng(256, 256, 'bench-input');
		const forms = Array.from({ length: sc.n }, (_, i) =>
			demo.multipart([
				{ name: 'prompt', value: `Make the sky purple, variation ${i + 1}` },
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
		const wallMs = Date.now() - t0;
		const stats = await sim.call('stats');
		const ok = (/** @type {n8n.HttpResponse | undefined} */ res) =>
			Boolean(res && res.status === 200 && res.buffer.subarray(0, 8).equals(PNG_SIGNATURE));
		const delivered = answers.filter((a) => ok(a.res)).length;
		const workerOf = q.executionWorkers();
		const peakMemMb = Math.max(0, ...q.workers.map((w) => peakMb(w.proc.child.pid) || 0)) || null;
		const r = rowResult(sc, opts, stats, { processMs: wallMs, peakMemMb });
		const ideal = idealMs({ n: sc.n, latencyMs: opts.latencyMs, conc: sc.conc || 1 });
		score(r, { wallMs, delivered, wanted: sc.n, idealMs: ideal });
		r.sampleError = sampleCallError(answers.find((a) => !ok(a.res)));
		r.executionsPerWorker = q.workers.map(
			(w) => [...workerOf.values()].filter((n) => n === w.number).length,
		);
		return r;
	} finally {
		await q.stop();
	}
}

/**
 * @param {Record<string, RowResult>} by
 * @returns {Target[]}
 */
function targets(by) {
	const [one, two] = [by['queue-1w'], by['queue-2w']];
	const want = '2 workers ≥ 1.5× the throughput of 1, 0 lost';
	/** @param {RowResult | undefined} r @returns {r is RowResult & { wallMs: number; itemsPerSec: number }} */
	const ran = (r) => Boolean(r && r.wallMs !== undefined && r.itemsPerSec && !r.error);
	if (!ran(one) || !ran(two)) return [{ status: 'NOT RUN', text: `queue mode: ${want}` }];
	const gain = two.itemsPerSec / one.itemsPerSec;
	const split = (two.executionsPerWorker || []).join(' + ');
	const lost = (one.lost ?? one.items) + (two.lost ?? two.items);
	const text =
		`queue mode, ${CALLS} webhook calls: 1 worker ${fmt(one.wallMs / 1000, 1)} s, ` +
		`2 workers ${fmt(two.wallMs / 1000, 1)} s (executions ${split}): ${fmt(gain, 2)}× the ` +
		`throughput, ${lost} lost (target ${want})`;
	return [{ status: gain >= 1.5 && lost === 0 ? 'PASS' : 'MISS', text }];
}

module.exports = { kind, rows, target, run, targets };
