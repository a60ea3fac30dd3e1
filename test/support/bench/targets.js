// @ts-check
'use strict';
/** The benchmark's targets, each PASS, MISS or NOT RUN with the numbers behind the verdict. */
const { MB } = require('./constants');
const { fmt } = require('./table');

/** @typedef {import('./execute').RowResult} RowResult */
/** @typedef {import('./scenarios/memory').MemoryResult} MemoryResult */
/** @typedef {{ status: 'PASS' | 'MISS' | 'NOT RUN', text: string }} Target */

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
	/** @param {MemoryResult} m */
	const plain = (m) => !m.resultFormat || m.resultFormat === 'binary';
	const fsm = memory && memory.find((m) => m.binaryMode === 'filesystem' && plain(m));
	const dfm = memory && memory.find((m) => m.binaryMode === 'default' && plain(m));
	if (!fsm)
		t.push({ status: 'NOT RUN', text: '4096×4096 edit: peak memory growth ≤ 4× image size' });
	else {
		const growth = `growth ${fmt(fsm.growthBytes / MB, 0)} MB = ${fmt(fsm.growthRatio, 2)}×`;
		t.push({
			status: verdict(fsm.growthRatio <= 4),
			text: `4096×4096 edit, filesystem binary mode: ${growth} the ${fmt(fsm.imageBytes / MB, 1)} MB image (target ≤ 4×)`,
		});
		if (dfm) {
			const g = `growth ${fmt(dfm.growthBytes / MB, 0)} MB = ${fmt(dfm.growthRatio, 2)}×`;
			t.push({
				status: verdict(dfm.growthRatio <= 4),
				text: `4096×4096 edit, default (in-memory) binary mode: ${g} the image (same target, informational)`,
			});
		}
	}
	return t;
}

module.exports = { evaluateTargets };
