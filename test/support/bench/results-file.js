// @ts-check
'use strict';
/** The --json file of a run (everything measured, the conditions, the printed table) and --render of one. */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { LIMIT } = require('./constants');
const { report } = require('./report');

/** @typedef {import('./args').BenchOptions} BenchOptions */
/** @typedef {import('./execute').RowResult} RowResult */
/** @typedef {import('./scenarios/memory').MemoryResult} MemoryResult */
/** @typedef {import('./report').ReportEnv} ReportEnv */

/**
 * @param {string} file
 * @param {{ command: string, opts: BenchOptions, env: ReportEnv, results: RowResult[],
 *   memory: MemoryResult[] | null, targets: unknown, text: string }} run
 */
function writeResults(file, { command, opts, env, results, memory, targets, text }) {
	const cpus = os.cpus();
	const doc = {
		date: new Date().toISOString(),
		command,
		loadAvg1: { start: env.loadStart, end: os.loadavg()[0] },
		machine: {
			cores: cpus.length,
			cpu: cpus[0] && cpus[0].model,
			totalMemGiB: os.totalmem() / 2 ** 30,
			benchNode: process.version,
			n8nNode: env.n8nNode,
		},
		n8nVersion: opts.version,
		latencyMs: opts.latencyMs,
		items: opts.items,
		limitedItems: opts.limitedItems,
		limit: LIMIT,
		results,
		memory,
		targets,
		table: text,
	};
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, JSON.stringify(doc, null, 2));
}

/**
 * The report of an earlier --json run, with its command.
 * @param {string} file
 */
function renderResults(file) {
	const j = JSON.parse(fs.readFileSync(file, 'utf8'));
	/** @type {RowResult[]} */
	const results = j.results;
	for (const r of results) {
		if ((r.lost ?? 0) > 0) {
			delete r.pctOfAllowedRate;
			delete r.overheadMsPerItem;
		}
	}
	const o = {
		version: j.n8nVersion,
		latencyMs: j.latencyMs,
		items: j.items,
		limitedItems: j.limitedItems,
	};
	const load = j.loadAvg1 || {};
	const { text } = report(results, j.memory, o, {
		n8nNode: j.machine.n8nNode,
		loadStart: load.start,
		loadEnd: load.end,
	});
	return `${text}\n\nCommand: ${j.command}\n`;
}

module.exports = { writeResults, renderResults };
