// @ts-check
'use strict';
/**
 * The workflow of a webhook-burst row: Webhook (POST, multipart: the image in field `data`, `prompt`) →
 * Target → Respond to Webhook, the shape of examples/webhook-edit.json. Every call is an execution of
 * its own with one item.
 */
const crypto = require('node:crypto');

const n8n = require('../n8n');
const { TARGET } = require('./constants');

/** @typedef {import('./scenarios').Scenario} Scenario */
/** @typedef {import('./workflow').Workflow} Workflow */
/** @typedef {import('./workflow').WorkflowNode} WorkflowNode */

/**
 * The production path of a row's webhook.
 * @param {Scenario} sc
 */
function webhookPath(sc) {
	return `bench-${sc.name}`;
}

/**
 * The row's workflow around `target` (a node named TARGET whose parameters read the prompt as
 * `$json.prompt`; here the prompt is the webhook's `body.prompt`).
 * @param {Scenario} sc
 * @param {WorkflowNode} target
 * @param {Record<string, unknown>} respond the Respond to Webhook node's parameters
 * @returns {Workflow}
 */
function webhookWorkflow(sc, target, respond) {
	const fromBody = JSON.parse(
		JSON.stringify(target).split('{{ $json.prompt }}').join('{{ $json.body.prompt }}'),
	);
	const nodes = [
		{
			name: 'Webhook',
			type: 'n8n-nodes-base.webhook',
			typeVersion: 2,
			position: [0, 0],
			webhookId: crypto.randomUUID(),
			parameters: {
				httpMethod: 'POST',
				path: webhookPath(sc),
				responseMode: 'responseNode',
				options: {},
			},
		},
		{ ...fromBody, position: [260, 0] },
		{
			name: 'Respond',
			type: 'n8n-nodes-base.respondToWebhook',
			typeVersion: 1.1,
			position: [520, 0],
			parameters: respond,
		},
	];
	/** @param {string} node */
	const to = (node) => ({ main: [[{ node, type: 'main', index: 0 }]] });
	return {
		id: n8n.randomId(16),
		name: `bench ${sc.name}`,
		nodes,
		connections: { Webhook: to(TARGET), [TARGET]: to('Respond') },
		active: false,
		settings: { executionOrder: 'v1' },
	};
}

module.exports = { webhookPath, webhookWorkflow };
