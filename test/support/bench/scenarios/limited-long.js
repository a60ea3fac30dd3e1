// @ts-check
'use strict';
/**
 * A long batch under the new-account limit: 100 edits in one execution, the node at its default
 * Concurrency (a row of the node's kind). Over nine 60 s windows the cost of learning the limit is
 * small, so the target is tighter than the 20-item rows': ≥ 97% of the allowed rate, nothing lost.
 */
const { fmt } = require('../table');

/** @typedef {import('./index').Scenario} Scenario */
/** @typedef {import('../execute').RowResult} RowResult */
/** @typedef {import('../targets').Target} Target */

const NAME = 'lim-edit-100';
const ITEMS = 100;

/** @returns {Scenario[]} */
function rows() {
	return [
		{
			name: NAME,
			group: 'limited-long',
			label: `StepFun node, Edit, c=5 (default), ${ITEMS} items`,
			kind: 'node',
			op: 'edit',
			n: ITEMS,
			conc: 5,
			limited: true,
		},
	];
}

/**
 * @param {Record<string, RowResult>} by
 * @returns {Target[]}
 */
function targets(by) {
	const r = by[NAME];
	const want = '≥ 97% of the allowed rate, 0 lost';
	if (!r || r.wallMs === undefined || r.error)
		return [{ status: 'NOT RUN', text: `${NAME}: ${want}` }];
	const rate = r.pctOfAllowedRate !== undefined ? `${fmt(r.pctOfAllowedRate, 1)}%` : '—';
	const floor = `floor ${fmt((r.idealMs || 0) / 1000, 1)} s, wall ${fmt(r.wallMs / 1000, 1)} s`;
	return [
		{
			status: r.lost === 0 && (r.pctOfAllowedRate ?? 0) >= 97 ? 'PASS' : 'MISS',
			text: `${NAME}: ${rate} of the allowed rate (${floor}), ${r.lost} lost, ${r.rejected429} × 429 (target ${want})`,
		},
	];
}

module.exports = { rows, targets };
