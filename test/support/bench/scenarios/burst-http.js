// @ts-check
'use strict';
/**
 * The same webhook burst with n8n's HTTP Request node in the node's place (defaults, as in the
 * http-edit row): each execution sends its one request as soon as it starts, with nothing shared
 * between executions. For comparison with burst-node; no target of its own.
 */
const { runBurst } = require('../burst-run');
const { webhookWorkflow } = require('../webhook-workflow');
const httpRequest = require('./http-request');
const { CALLS } = require('./burst-node');

/** @typedef {import('./index').Scenario} Scenario */
/** @typedef {import('./index').TargetContext} TargetContext */

const kind = 'burst-http';

/** @returns {Scenario[]} */
function rows() {
	const label = `HTTP Request node, Edit, ${CALLS} webhook calls of 1 item (defaults)`;
	return [
		{
			name: 'burst-http',
			group: 'burst',
			label,
			kind,
			op: 'edit',
			n: CALLS,
			conc: CALLS,
			limited: true,
		},
	];
}

/**
 * @param {Scenario} sc
 * @param {TargetContext} ctx
 */
function target(sc, ctx) {
	return httpRequest.target(sc, ctx);
}

/**
 * Webhook → HTTP Request → Respond with the request's JSON answer (base64 image inside).
 * @param {Scenario} sc
 * @param {TargetContext} ctx
 */
function workflow(sc, ctx) {
	return webhookWorkflow(sc, target(sc, ctx), { respondWith: 'firstIncomingItem', options: {} });
}

/**
 * @param {import('../execute').RunContext} ctx
 * @param {Scenario} sc
 * @param {string} workflowId
 */
async function run(ctx, sc, workflowId) {
	return await runBurst(ctx, sc, workflowId, (res) => {
		const data = res.status === 200 && res.body && typeof res.body === 'object' && res.body.data;
		return (
			Array.isArray(data) && typeof data[0]?.b64_json === 'string' && data[0].b64_json.length > 0
		);
	});
}

module.exports = { kind, rows, target, workflow, run };
