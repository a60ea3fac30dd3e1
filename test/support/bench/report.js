// @ts-check
'use strict';
/** The benchmark's printed report: conditions, one table per group of rows, the memory table, the targets. */
const os = require('node:os');

const { LIMIT, MB } = require('./constants');
const { measurementOf } = require('./scenarios/memory');
const { fmt, table } = require('./table');
const { evaluateTargets } = require('./targets');

/** @typedef {import('./execute').RowResult} RowResult */
/** @typedef {import('./scenarios/memory').MemoryResult} MemoryResult */
/** @typedef {{ version: string, latencyMs: number, items: number, limitedItems: number }} ReportOptions */
/** @typedef {{ n8nNode: string, loadStart?: number, loadEnd?: number }} ReportEnv */

/** @type {Array<import('./table').Column<RowResult>>} */
const ROW_COLUMNS = [
	{ title: 'scenario', left: true, get: (r) => r.name },
	{ title: 'what', left: true, get: (r) => r.label },
	{ title: 'N', get: (r) => r.items },
	{ title: 'wall s', get: (r) => (r.wallMs !== undefined ? fmt(r.wallMs / 1000, 2) : 'ERR') },
	{ title: 'items/s', get: (r) => fmt(r.itemsPerSec, 2) },
	{ title: 'ideal s', get: (r) => (r.idealMs !== undefined ? fmt(r.idealMs / 1000, 1) : '—') },
	{ title: 'ratio', get: (r) => (r.ratio !== undefined ? fmt(r.ratio, 2) + '×' : '—') },
	{
		title: '% rate',
		get: (r) => (r.pctOfAllowedRate !== undefined ? fmt(r.pctOfAllowedRate, 0) + '%' : ''),
	},
	{ title: 'lost', get: (r) => (r.lost !== undefined ? r.lost : '—') },
	{ title: 'requests', get: (r) => (r.kind === 'none' ? '—' : `${r.requests} (${r.rejected429})`) },
	{ title: 'peak MB', get: (r) => fmt(r.peakMemMb, 0) },
	{ title: 'ovh ms/item', get: (r) => fmt(r.overheadMsPerItem, 1) },
];

/** @type {Array<import('./table').Column<MemoryResult>>} */
const MEMORY_COLUMNS = [
	{ title: 'row', left: true, get: (m) => measurementOf(m)?.name ?? '—' },
	{ title: 'binary mode', left: true, get: (m) => m.binaryMode },
	{ title: 'result format', left: true, get: (m) => m.resultFormat || 'binary' },
	{ title: 'edits', get: (m) => m.items ?? 1 },
	{ title: 'in flight', get: (m) => m.maxInFlight ?? '—' },
	{ title: 'image MB', get: (m) => fmt(m.imageBytes / MB, 1) },
	{ title: 'output MB', get: (m) => fmt((m.outputBytes || 0) / MB, 1) },
	{ title: 'RSS before MB', get: (m) => fmt(m.rssBeforeBytes / MB, 0) },
	{ title: 'peak MB', get: (m) => fmt(m.peakBytes / MB, 0) },
	{ title: 'growth MB', get: (m) => fmt(m.growthBytes / MB, 0) },
	{ title: 'growth ÷ image', get: (m) => fmt(m.growthRatio, 2) + '×' },
	{
		title: 'target',
		left: true,
		get: (m) => {
			const target = measurementOf(m)?.targetRatio;
			return target ? `≤ ${target}×` : 'info';
		},
	},
	{ title: 'execute s', get: (m) => fmt(m.executeMs / 1000, 1) },
];

/**
 * The title above a group's table.
 * @param {string} group
 * @param {ReportOptions} opts
 */
function groupTitle(group, opts) {
	if (group === 'unlimited') return `No rate limit, L = ${opts.latencyMs} ms`;
	if (group === 'limited') {
		return `New-account limit (${LIMIT.maxConcurrent} concurrent, ${LIMIT.rpm} RPM), L = ${opts.latencyMs} ms`;
	}
	if (group === 'burst') {
		return `Burst of webhook calls at once, one item per execution, under the new-account limit (${LIMIT.maxConcurrent} concurrent, ${LIMIT.rpm} RPM), L = ${opts.latencyMs} ms; wall = first call sent → last answer received (at the caller), peak = the n8n server`;
	}
	if (group === 'limited-long') {
		return `New-account limit (${LIMIT.maxConcurrent} concurrent, ${LIMIT.rpm} RPM), one long execution, L = ${opts.latencyMs} ms`;
	}
	if (group === 'variants') {
		return `Number of Images: every image its own request, no rate limit, L = ${opts.latencyMs} ms; ideal = ⌈requests ÷ concurrency⌉ · L`;
	}
	if (group === 'queue-shared') {
		return 'Queue mode: main + 2 workers sharing one account, each worker at the default Concurrency 5, L = 1000 ms; wall = the bursts added up (first call sent → last answer received, per burst), ideal = their floors added up';
	}
	return `${group}, L = ${opts.latencyMs} ms`;
}

/**
 * @param {ReportOptions} opts
 * @param {ReportEnv} env
 */
function conditions(opts, env) {
	const machine = `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM`;
	const limit = `${LIMIT.maxConcurrent} concurrent, ${LIMIT.rpm} RPM sliding 60 s window, 429 beyond it, no Retry-After unless noted`;
	const lines = [
		`StepFun Image node benchmark — n8n ${opts.version} (Node ${env.n8nNode}), bench/harness Node ${process.version}, ${machine}`,
		`Simulator latency L = ${opts.latencyMs} ms per request; N = ${opts.items} items (no limit), ${opts.limitedItems} items under the new-account limit (${limit})`,
		"wall = the node's own executionTime from n8n's run data; ideal = ceil(N/c)·L, or the rate limit's floor; overhead/item = (wall − ideal)/N;",
		'peak = VmHWM of the `n8n execute` process (includes n8n itself: see the baseline row); requests = API requests the simulator received (429s in brackets).',
	];
	if (env.loadStart) {
		const end = (env.loadEnd ?? os.loadavg()[0]).toFixed(2);
		lines.push(
			`Machine load (1-min load average): ${env.loadStart.toFixed(2)} at start, ${end} at the end — other processes on the machine compete for the 2 cores.`,
		);
	}
	return lines;
}

/**
 * @param {RowResult[]} results
 * @param {MemoryResult[] | null} memory
 * @param {ReportOptions} opts
 * @param {ReportEnv} env
 */
function report(results, memory, opts, env) {
	const lines = [...conditions(opts, env), ''];
	for (const group of [...new Set(results.map((r) => r.group))]) {
		lines.push(
			groupTitle(group, opts),
			table(
				results.filter((r) => r.group === group),
				ROW_COLUMNS,
			),
			'',
		);
	}
	for (const r of results) {
		const notes = [r.error, r.sampleError && `first failed item: ${r.sampleError}`].filter(Boolean);
		if (notes.length) lines.push(`note ${r.name}: ${notes.join('; ')}`);
	}
	if (results.some((r) => r.error || r.sampleError)) lines.push('');
	if (memory && memory.length) {
		lines.push(
			"4096×4096 edit round trips (n8n-core harness, simulator in another process, noise PNG); image MB = all the edits' inputs together",
		);
		lines.push(table(memory, MEMORY_COLUMNS), '');
	}
	const targets = evaluateTargets(results, memory);
	lines.push('Targets');
	for (const t of targets) lines.push(`  ${t.status.padEnd(7)} ${t.text}`);
	return { text: lines.join('\n'), targets };
}

module.exports = { report };
