// @ts-check
'use strict';
/**
 * The StepFun node under the new-account limit when the API's 429 answers carry Retry-After (the real
 * API was never seen to send it; the node honours it when it does). A row of the node's kind.
 */

/** @typedef {import('./index').Scenario} Scenario */
/** @typedef {import('../args').BenchOptions} BenchOptions */

/**
 * @param {BenchOptions} opts
 * @returns {Scenario[]}
 */
function rows(opts) {
	return [
		{
			name: 'lim-edit-c5-ra',
			group: 'limited',
			label: 'StepFun node, Edit, c=5, API sends Retry-After',
			kind: 'node',
			op: 'edit',
			n: opts.limitedItems,
			conc: 5,
			limited: true,
			retryAfter: true,
		},
	];
}

module.exports = { rows };
