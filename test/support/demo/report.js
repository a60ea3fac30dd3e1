// @ts-check
'use strict';
/** The demo's closing table: one row per image written, with its size and format read from the file. */
const path = require('node:path');

/**
 * @typedef {object} ImageRow
 * @property {string} workflow
 * @property {string} file
 * @property {string} image e.g. "1360x768 png"
 * @property {unknown} [seed]
 * @property {string} time
 */

/**
 * "<width>x<height> <format>" of an image's bytes.
 * @param {Buffer} buf
 */
function dims(buf) {
	const { imageInfo } = require('../simulator');
	try {
		const info = imageInfo(buf);
		return info ? `${info.width}x${info.height} ${info.format}` : 'not an image';
	} catch (e) {
		return `unreadable (${e instanceof Error ? e.message : e})`;
	}
}

/** @param {unknown} ms */
function secs(ms) {
	return ms === undefined || ms === null ? '' : `${(Number(ms) / 1000).toFixed(1)} s`;
}

/** @param {ImageRow[]} rows */
function printTable(rows) {
	const head = ['workflow', 'file', 'image', 'seed', 'time'];
	const data = rows.map((r) => [
		r.workflow,
		path.relative(process.cwd(), r.file) || r.file,
		r.image,
		String(r.seed ?? ''),
		r.time,
	]);
	const widths = head.map((h, i) => Math.max(h.length, ...data.map((d) => d[i].length)));
	/** @param {string[]} cells */
	const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
	console.log(line(head));
	console.log(widths.map((w) => '-'.repeat(w)).join('  '));
	for (const d of data) console.log(line(d));
}

module.exports = { dims, secs, printTable };
