// @ts-check
'use strict';
/** The benchmark's targets, each PASS, MISS or NOT RUN with the numbers behind the verdict. */
const { MB } = require('./constants');
const { moduleTargets } = require('./scenarios');
const { MEASUREMENTS, measurementOf } = require('./scenarios/memory');
const { fmt } = require('./table');

/** @typedef {import('./execute').RowResult} RowResult */
/** @typedef {import('./scenarios/memory').MemoryResult} MemoryResult */
/** @typedef {{ status: 'PASS' | 'MISS' | 'NOT RUN' | 'INFO', text: string }} Target */

/**
 * @param {RowResult | undefined} r
 * @returns {r is RowResult & { wallMs: number }}
 */
const ran = (r) => Boolean(r && r.wallMs !== undefined && !r.error);
/** @param {boolean} ok @returns {'PASS' | 'MISS'} */
const verdict = (ok) => (ok ? 'PASS' : 'MISS');

/**
 * @param {RowResult[]} results
 * @param {MemoryResult[] | null} memory
 * @returns {Target[]}
 */
function evaluateTargets(results, memory) {
	/** @type {Record<string, RowResult>} */
	const by = Object.fromEntries(results.map((r) => [r.name, r]));
	/** @type {Target[]} */
	const t = [];
	for (const name of ['gen-c10', 'edit-c10']) {
		const r = by[name];
		if (!ran(r))
			t.push({ status: 'NOT RUN', text: `${name}: wall ≤ 1.15× ideal at concurrency 10` });
		else {
			const wall = `wall ${fmt(r.wallMs / 1000, 2)} s = ${fmt(r.ratio, 3)}× ideal ${fmt((r.idealMs || 0) / 1000, 1)} s`;
			const ok = (r.ratio ?? Infinity) <= 1.15 && r.lost === 0;
			t.push({ status: verdict(ok), text: `${name}: ${wall} (target ≤ 1.15×), ${r.lost} lost` });
		}
	}
	for (const name of ['lim-edit-c5', 'lim-edit-c10']) {
		const r = by[name];
		if (!ran(r)) {
			t.push({
				status: 'NOT RUN',
				text: `${name}: ≥ 90% of the allowed rate, 0 lost, under the new-account limit`,
			});
			continue;
		}
		const rate = `${fmt(r.pctOfAllowedRate, 1)}% of the allowed rate`;
		const floor = `(floor ${fmt((r.idealMs || 0) / 1000, 1)} s, wall ${fmt(r.wallMs / 1000, 1)} s)`;
		t.push({
			status: verdict((r.pctOfAllowedRate ?? 0) >= 90 && r.lost === 0),
			text: `${name}: ${rate} ${floor}, ${r.lost} lost, ${r.rejected429} × 429 (target ≥ 90%, 0 lost)`,
		});
	}
	const a = by['edit-c10'];
	const b = by['http-edit'];
	if (!ran(a) || !ran(b)) {
		const text =
			'node overhead per item < HTTP Request node overhead per item (edit-c10 vs http-edit)';
		t.push({ status: 'NOT RUN', text });
	} else {
		const node = `node (edit-c10) ${fmt(a.overheadMsPerItem, 1)} ms`;
		const http = `HTTP Request (http-edit) ${fmt(b.overheadMsPerItem, 1)} ms`;
		t.push({
			status: verdict((a.overheadMsPerItem ?? Infinity) < (b.overheadMsPerItem ?? -Infinity)),
			text: `overhead per item: ${node} vs ${http} (target: node lower)`,
		});
	}
	t.push(...moduleTargets(by), ...memoryTargets(memory));
	return t;
}

/**
 * The memory rows: growth ÷ image size (÷ the sum of the images) against the row's target, the
 * informational rows as INFO; a targeted row that did not run is NOT RUN.
 * @param {MemoryResult[] | null} memory
 * @returns {Target[]}
 */
function memoryTargets(memory) {
	/** @type {Target[]} */
	const t = [];
	const results = memory || [];
	for (const def of MEASUREMENTS.filter((m) => m.targetRatio)) {
		if (results.some((r) => measurementOf(r) === def)) continue;
		t.push({
			status: 'NOT RUN',
			text: `${def.name}: ${def.label}, growth ≤ ${def.targetRatio}× the image size`,
		});
	}
	for (const r of results) {
		const def = measurementOf(r);
		const items = r.items ?? 1;
		const image =
			items === 1
				? `the ${fmt(r.imageBytes / MB, 1)} MB image`
				: `the ${items} images' ${fmt(r.imageBytes / MB, 1)} MB`;
		const growth = `growth ${fmt(r.growthBytes / MB, 0)} MB = ${fmt(r.growthRatio, 2)}× ${image}`;
		const name = def ? `${def.name}: ${def.label}` : `${r.binaryMode}, ${r.resultFormat}`;
		if (def && def.targetRatio) {
			t.push({
				status: verdict(r.growthRatio <= def.targetRatio),
				text: `${name}: ${growth} (target ≤ ${def.targetRatio}×)`,
			});
		} else t.push({ status: 'INFO', text: `${name}: ${growth}` });
	}
	return t;
}

module.exports = { evaluateTargets };
