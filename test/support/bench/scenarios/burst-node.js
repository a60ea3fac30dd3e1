// @ts-check
'use strict';
/**
 * A burst of webhook calls, each an execution of its own with one item (examples/webhook-edit.json's
 * shape: Webhook → StepFun Image, Edit → Respond with the image), all sent at once under the
 * new-account limit. The node's executions in one n8n process share the account's governor, so the
 * burst runs at the account's rate instead of failing. Targets: nothing lost, ≥ 90% of the allowed
 * rate, fewer 429 answers than one per ten calls.
 */
const { runBurst } = require('../burst-run');
const { fmt } = require('../table');
const { webhookWorkflow } = require('../webhook-workflow');
const stepfunNode = require('./stepfun-node');

/** @typedef {import('./index').Scenario} Scenario */
/** @typedef {import('./index').TargetContext} TargetContext */
/** @typedef {import('../args').BenchOptions} BenchOptions */
/** @typedef {import('../execute').RowResult} RowResult */
/** @typedef {import('../targets').Target} Target */

const kind = 'burst-node';
const NAME = 'burst-node';
/** Webhook calls in the burst. */
const CALLS = 50;
const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** @returns {Scenario[]} */
function rows() {
	const label = `StepFun node, Edit, ${CALLS} webhook calls of 1 item (defaults)`;
	return [
		{ name: NAME, group: 'burst', label, kind, op: 'edit', n: CALLS, conc: 5, limited: true },
	];
}

/**
 * The node as the other rows set it up (Edit, prompt from the item, On Error: Continue), at its
 * default Concurrency (one item per execution).
 * @param {Scenario} sc
 * @param {TargetContext} ctx
 */
function target(sc, ctx) {
	const node = stepfunNode.target(sc, ctx);
	delete node.parameters.options.concurrency;
	return node;
}

/**
 * @param {Scenario} sc
 * @param {TargetContext} ctx
 */
function workflow(sc, ctx) {
	return webhookWorkflow(sc, target(sc, ctx), {
		respondWith: 'binary',
		responseDataSource: 'set',
		inputFieldName: 'data',
		options: {},
	});
}

/**
 * @param {import('../execute').RunContext} ctx
 * @param {Scenario} sc
 * @param {string} workflowId
 */
async function run(ctx, sc, workflowId) {
	return await runBurst(
		ctx,
		sc,
		workflowId,
		(res) => res.status === 200 && res.buffer.subarray(0, 8).equals(PNG_SIGNATURE),
	);
}

/**
 * @param {Record<string, RowResult>} by
 * @returns {Target[]}
 */
function targets(by) {
	const r = by[NAME];
	const want = `0 lost, ≥ 90% of the allowed rate, 429s < 1 per 10 calls`;
	if (!r || r.wallMs === undefined || r.error)
		return [{ status: 'NOT RUN', text: `${NAME}: ${want}` }];
	const ok = r.lost === 0 && (r.pctOfAllowedRate ?? 0) >= 90 && r.rejected429 < r.items / 10;
	const rate = r.pctOfAllowedRate !== undefined ? `${fmt(r.pctOfAllowedRate, 1)}%` : '—';
	const floor = `floor ${fmt((r.idealMs || 0) / 1000, 1)} s, wall ${fmt(r.wallMs / 1000, 1)} s`;
	const text = `${NAME}: ${r.items} webhook executions, ${rate} of the allowed rate (${floor}), ${r.lost} lost, ${r.requests} requests, ${r.rejected429} × 429 (target: ${want})`;
	return [{ status: ok ? 'PASS' : 'MISS', text }];
}

module.exports = { kind, CALLS, rows, target, workflow, run, targets };
