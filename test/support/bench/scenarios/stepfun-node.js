// @ts-check
'use strict';
/**
 * The StepFun Image node itself: Generate and Edit at its default concurrency (5), at 10, and one at a
 * time (the sequential baseline), without a rate limit and under the new-account limit.
 */
const { TARGET } = require('../constants');

/** @typedef {import('./index').Scenario} Scenario */
/** @typedef {import('./index').TargetContext} TargetContext */
/** @typedef {import('../args').BenchOptions} BenchOptions */
/** @typedef {import('../../n8n').N8nItem} N8nItem */

const kind = 'node';

/**
 * @param {BenchOptions} opts
 * @returns {Scenario[]}
 */
function rows(opts) {
	/**
	 * @param {string} name
	 * @param {'generate' | 'edit'} op
	 * @param {number} conc the node's Concurrency option
	 * @param {string} label
	 * @param {boolean} [limited] under the new-account limit (with opts.limitedItems items)
	 * @returns {Scenario}
	 */
	const row = (name, op, conc, label, limited = false) => ({
		name,
		group: limited ? 'limited' : 'unlimited',
		label,
		kind,
		op,
		n: limited ? opts.limitedItems : opts.items,
		conc,
		limited,
	});
	return [
		row('gen-c5', 'generate', 5, 'StepFun node, Generate, c=5 (default)'),
		row('gen-c10', 'generate', 10, 'StepFun node, Generate, c=10'),
		row('edit-c5', 'edit', 5, 'StepFun node, Edit, c=5 (default)'),
		row('edit-c10', 'edit', 10, 'StepFun node, Edit, c=10'),
		row('edit-seq', 'edit', 1, 'Sequential baseline (node, Edit, c=1)'),
		row('lim-edit-c5', 'edit', 5, 'StepFun node, Edit, c=5 (default)', true),
		row('lim-edit-c10', 'edit', 10, 'StepFun node, Edit, c=10', true),
		row('lim-edit-seq', 'edit', 1, 'Sequential baseline (node, Edit, c=1)', true),
	];
}

/**
 * The node set to the row's operation and concurrency, prompts from the items; failed items go on.
 * @param {Scenario} sc
 * @param {TargetContext} ctx
 */
function target(sc, ctx) {
	const options = { concurrency: sc.conc };
	const prompt = '={{ $json.prompt }}';
	const parameters =
		sc.op === 'generate'
			? { operation: 'generate', prompt, size: '1024x1024', options }
			: { operation: 'edit', prompt, binaryPropertyName: 'data', options };
	return {
		name: TARGET,
		type: 'CUSTOM.stepFunImage',
		typeVersion: 1,
		position: [400, 0],
		parameters,
		credentials: { stepPlanApi: { id: ctx.cred.id, name: ctx.cred.name } },
		onError: 'continueRegularOutput',
	};
}

/**
 * Items with an image and no error.
 * @param {N8nItem[]} items
 */
function delivered(items) {
	return items.filter(
		(it) => it.binary && Object.keys(it.binary).length > 0 && !(it.json && it.json.error),
	).length;
}

module.exports = { kind, rows, target, delivered };
