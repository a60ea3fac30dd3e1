// @ts-check
'use strict';
/**
 * `npm run bench` (scripts/bench.js calls cli(); `-- --help` lists the options): throughput, rate-limit
 * behaviour and memory of the StepFun Image node, side by side with a sequential baseline and n8n's own
 * HTTP Request node, in one real n8n against the simulator. Results are recorded in BENCHMARKS.md.
 *
 * Modules: args (command line), scenarios/ (the rows, one module per measured scenario, and the memory
 * measurement), workflow (a row's workflow), execute (measuring a row in n8n), n8n-runs (the instance and
 * the rows in it), ideal (the yardstick), sim-client + sim-child (the simulator in its own process),
 * memory-child + hwm-preload (memory probes in other processes), report + table + targets (the printout),
 * results-file (--json, --render).
 */
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { HELP, parseArgs } = require('./args');
const { API_KEY, OUT_DIR, ROOT } = require('./constants');
const { idealMs } = require('./ideal');
const { runInN8n } = require('./n8n-runs');
const { report } = require('./report');
const { renderResults, writeResults } = require('./results-file');
const { listing, scenarios, selected } = require('./scenarios');
const { measureMemory } = require('./scenarios/memory');
const { startSimChild } = require('./sim-client');

/** @param {string} m */
const log = (m) => process.stderr.write(`[bench] ${m}\n`);

/**
 * Copies dist/ aside, so that a rebuild during the run cannot change the code under test.
 * @returns {string} the copy
 */
function snapshotDist() {
	const dist = path.join(ROOT, 'dist');
	const entry = path.join(dist, 'nodes', 'StepFunImage', 'StepFunImage.node.js');
	if (!fs.existsSync(entry)) throw new Error('dist/ has no built node: run `npm run build` first');
	const snap = path.join(OUT_DIR, `dist-snapshot-${process.pid}`);
	fs.rmSync(snap, { recursive: true, force: true });
	fs.mkdirSync(OUT_DIR, { recursive: true });
	fs.cpSync(dist, snap, { recursive: true });
	process.on('exit', () => fs.rmSync(snap, { recursive: true, force: true }));
	return snap;
}

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	if (opts.help) return void process.stdout.write(`${HELP}\n`);
	const all = scenarios(opts);
	if (opts.list) return void process.stdout.write(listing(all));
	if (opts.render) return void process.stdout.write(renderResults(opts.render));
	const sel = selected(opts, all);
	const distDir = snapshotDist();

	const sim = startSimChild();
	const simInfo = await sim.call('start', {
		apiKey: API_KEY,
		latencyMs: opts.latencyMs,
		randomSeed: 7,
	});
	const simBaseUrl = simInfo.stepPlanBaseUrl;
	await sim.call('prewarm', [
		[256, 256],
		[1024, 1024],
	]);
	const env = { n8nNode: '?', loadStart: os.loadavg()[0] };
	const ctx = { sim, simBaseUrl, distDir, opts, log };

	const memory = sel.memory.length ? await measureMemory(ctx, sel.memory) : null;
	let results = /** @type {import('./execute').RowResult[]} */ ([]);
	if (sel.runs.length) {
		const ran = await runInN8n(ctx, sel.runs);
		results = ran.results;
		env.n8nNode = ran.n8nNode;
	}
	await sim.call('close').catch(() => {});

	const { text, targets } = report(results, memory, opts, env);
	const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
	process.stdout.write(`\n${text}\n\nCommand: ${command}\n`);
	if (opts.json) {
		writeResults(opts.json, { command, opts, env, results, memory, targets, text });
		log(`wrote ${opts.json}`);
	}
}

/** The `npm run bench` command line (scripts/bench.js). */
function cli() {
	main().then(
		() => process.exit(0),
		(e) => {
			process.stderr.write(`[bench] failed: ${(e && e.stack) || e}\n`);
			process.exit(1);
		},
	);
}

module.exports = { cli, idealMs, parseArgs, scenarios };
