// @ts-check
'use strict';
/**
 * The reference row: the same workflow with no measured node, only the input nodes. Its peak memory is
 * n8n's own (what every other row's peak includes); its wall time is the 'Make Items' Code node's.
 */

/** @typedef {import('./index').Scenario} Scenario */
/** @typedef {import('../args').BenchOptions} BenchOptions */

const kind = 'none';

/**
 * @param {BenchOptions} opts
 * @returns {Scenario[]}
 */
function rows(opts) {
	const label = 'n8n + Code node only (memory reference)';
	return [{ name: 'baseline', group: 'unlimited', label, kind, op: 'edit', n: opts.items }];
}

/** No measured node. */
function target() {
	return null;
}

module.exports = { kind, rows, target, measuredNode: 'Make Items' };
