// @ts-check
'use strict';
/**
 * The workflow of a row: Start → <input nodes> → Target, imported for all rows with one
 * `n8n import:workflow` (one n8n boot instead of one per row).
 */
const crypto = require('node:crypto');

const n8n = require('../n8n');
const { TARGET } = require('./constants');
const { kindOf } = require('./scenarios');

/** @typedef {import('./scenarios').Scenario} Scenario */
/** @typedef {import('./scenarios').TargetContext} TargetContext */
/** @typedef {import('../n8n').N8nInstance} N8nInstance */
/** @typedef {Record<string, any>} WorkflowNode */
/** @typedef {{ id: string, name: string, nodes: WorkflowNode[], connections: Record<string, unknown>, active: boolean, settings: Record<string, unknown> }} Workflow */

/**
 * Nodes that build the N input items, wired Start → ... → 'Make Items'. Generate: one Code node with the
 * prompts. Edit: a Code node with one item carrying the PNG as base64 → Convert to File (stored once in the
 * binary store, like an upload) → a Code node fanning it out to N items that all reference the stored file.
 * (Returning N inline base64 copies from one Code node puts them all in the run data, and `n8n execute
 * --rawOutput` then prints more than it manages to flush before exiting.)
 * @param {Scenario} sc
 * @param {string} inputB64
 * @returns {WorkflowNode[]}
 */
function inputNodes(sc, inputB64) {
	const code = { type: 'n8n-nodes-base.code', typeVersion: 2 };
	if (sc.op === 'generate') {
		const prompt = 'A lighthouse on a cliff at dusk, variation ';
		const jsCode = `return Array.from({ length: ${sc.n} }, (_, i) => ({ json: { prompt: '${prompt}' + (i + 1) } }));`;
		return [{ name: 'Make Items', ...code, position: [200, 0], parameters: { jsCode } }];
	}
	const prompt = 'Make the sky purple, variation ';
	return [
		{
			name: 'Image Base64',
			...code,
			position: [200, 0],
			parameters: { jsCode: `return [{ json: { b64: '${inputB64}' } }];` },
		},
		{
			name: 'To File',
			type: 'n8n-nodes-base.convertToFile',
			typeVersion: 1.1,
			position: [400, 0],
			parameters: {
				operation: 'toBinary',
				sourceProperty: 'b64',
				binaryPropertyName: 'data',
				options: { fileName: 'input.png', mimeType: 'image/png' },
			},
		},
		{
			name: 'Make Items',
			...code,
			position: [600, 0],
			parameters: {
				jsCode:
					`const binary = $input.first().binary;\n` +
					`return Array.from({ length: ${sc.n} }, (_, i) => ({ json: { prompt: '${prompt}' + (i + 1) }, binary }));`,
			},
		},
	];
}

/**
 * @param {Scenario} sc
 * @param {TargetContext} ctx
 * @returns {Workflow}
 */
function workflowFor(sc, ctx) {
	const own = kindOf(sc).workflow;
	if (own) return own(sc, ctx);
	const inputs = inputNodes(sc, ctx.inputB64);
	const nodes = [
		{
			name: 'Start',
			type: 'n8n-nodes-base.manualTrigger',
			typeVersion: 1,
			position: [0, 0],
			parameters: {},
		},
		...inputs,
	];
	/** @type {Record<string, { main: Array<Array<{ node: string, type: string, index: number }>> }>} */
	const connections = {};
	let prev = 'Start';
	for (const n of inputs) {
		connections[prev] = { main: [[{ node: n.name, type: 'main', index: 0 }]] };
		prev = n.name;
	}
	const target = kindOf(sc).target(sc, ctx);
	if (target) {
		nodes.push(target);
		connections['Make Items'] = { main: [[{ node: TARGET, type: 'main', index: 0 }]] };
	}
	return {
		id: n8n.randomId(16),
		name: `bench ${sc.name}`,
		nodes,
		connections,
		active: false,
		settings: { executionOrder: 'v1' },
	};
}

/**
 * @param {N8nInstance} inst
 * @param {Workflow[]} workflows
 */
async function importWorkflows(inst, workflows) {
	for (const w of workflows)
		for (const node of w.nodes) if (!node.id) node.id = crypto.randomUUID();
	const file = await inst.writeTemp('bench-workflows.json', workflows);
	await inst.runOk(['import:workflow', `--input=${file}`]);
}

module.exports = { workflowFor, importWorkflows };
