// @ts-check
'use strict';
/** Plain-text tables and number formatting for the benchmark's output. */

/**
 * @template T
 * @typedef {{ title: string, left?: boolean, get: (row: T) => unknown }} Column
 */

/**
 * A number with `digits` decimals, or '—' when there is none.
 * @param {number | null | undefined} v
 * @param {number} [digits]
 */
function fmt(v, digits = 1) {
	return v === null || v === undefined || Number.isNaN(v) ? '—' : Number(v).toFixed(digits);
}

/**
 * @template T
 * @param {T[]} rows
 * @param {Column<T>[]} columns
 */
function table(rows, columns) {
	const cells = rows.map((r) => columns.map((c) => String(c.get(r))));
	const widths = columns.map((c, i) =>
		Math.max(c.title.length, ...cells.map((row) => row[i].length)),
	);
	/** @param {string[]} vals */
	const line = (vals) =>
		vals.map((v, i) => (columns[i].left ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
	const rule = widths.map((w) => '-'.repeat(w)).join('  ');
	return [line(columns.map((c) => c.title)), rule, ...cells.map(line)].join('\n');
}

module.exports = { fmt, table };
