// @ts-check
'use strict';
/**
 * The throughput rows in one real n8n (filesystem binary mode, the node from the dist snapshot): the
 * simulator credential and every row's workflow imported at once, then the rows one after the other.
 */
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const n8n = require('../n8n');
const { API_KEY } = require('./constants');
const { idealFor, runScenario } = require('./execute');
const { kindOf } = require('./scenarios');
const { importWorkflows, workflowFor } = require('./workflow');

/** @typedef {import('./args').BenchOptions} BenchOptions */
/** @typedef {import('./scenarios').Scenario} Scenario */
/** @typedef {import('./execute').RowResult} RowResult */
/** @typedef {import('./sim-client').SimClient} SimClient */

/** @param {RowResult} r */
function summary(r) {
	return (
		`${r.name}: wall ${r.wallMs !== undefined ? (r.wallMs / 1000).toFixed(2) : '?'} s` +
		(r.ratio !== undefined ? `, ${r.ratio.toFixed(2)}× ideal` : '') +
		(r.lost !== undefined ? `, lost ${r.lost}` : '') +
		`, ${r.requests} requests (${r.rejected429} × 429), peak ${r.peakMemMb ? r.peakMemMb.toFixed(0) : '?'} MB` +
		(r.error ? `, error: ${r.error}` : '')
	);
}

/**
 * @param {{ sim: SimClient, simBaseUrl: string, distDir: string, opts: BenchOptions, log: (m: string) => void }} ctx
 * @param {Scenario[]} rows
 * @returns {Promise<{ results: RowResult[], n8nNode: string }>}
 */
async function runInN8n({ sim, simBaseUrl, distDir, opts, log }, rows) {
	const { nodeBin } = await n8n.ensureN8n(opts.version);
	const n8nNode = execFileSync(path.join(nodeBin, 'node'), ['-v']).toString().trim();
	log(`n8n ${opts.version}: creating an instance (filesystem binary mode) ...`);
	const inst = await n8n.createInstance({
		version: opts.version,
		customExtensions: [distDir],
		binaryDataMode: 'filesystem',
	});
	/** @type {RowResult[]} */
	const results = [];
	try {
		const data = { apiKey: API_KEY, endpoint: 'custom', baseUrl: simBaseUrl };
		const [cred] = await inst.importCredentials([
			{ name: 'StepFun simulator', type: 'stepPlanApi', data },
		]);
		const { makePng } = require('../simulator/png');
		const inputB64 = makePng(256, 256, 'bench-input').toString('base64');
		const wfs = rows.map((sc) => workflowFor(sc, { cred, simBaseUrl, inputB64 }));
		log(`importing ${wfs.length} workflows ...`);
		await importWorkflows(inst, wfs);
		const ctx = { inst, sim, opts };
		for (let i = 0; i < rows.length; i++) {
			const sc = rows[i];
			log(
				`${sc.name}: ${sc.label}, N=${sc.n} (ideal ${(idealFor(sc, opts.latencyMs) / 1000).toFixed(1)} s) ...`,
			);
			const run = kindOf(sc).run || runScenario;
			const r = await run(ctx, sc, wfs[i].id);
			results.push(r);
			log(summary(r));
		}
	} finally {
		await inst.cleanup();
	}
	return { results, n8nNode };
}

module.exports = { runInN8n };
