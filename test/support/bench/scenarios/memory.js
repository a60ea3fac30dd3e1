// @ts-check
'use strict';
/**
 * The memory rows: 4096×4096 edit round trips through n8n-core's real execution code (the harness, in
 * ../memory-child.js, a process of its own per measurement). One edit in binary data mode "filesystem",
 * "database" and "default" (informational), and five at once (5 items at Concurrency 5, one execution)
 * in "filesystem" and "database"; with --memory-url also with Result Format "binaryFromUrl"
 * (informational). The simulator answers with a noise PNG as large as the input, as a photo would be.
 * Each measurement is a row of its own for --only (group `memory`).
 */
const { fork } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const { API_KEY, ROOT } = require('../constants');
const { noisePng } = require('../noise-png');

/** @typedef {import('../args').BenchOptions} BenchOptions */
/** @typedef {import('../sim-client').SimClient} SimClient */

const NAME = 'memory';
const LABEL = '4096×4096 edits, peak memory growth (also --memory-only)';
const CHILD = path.join(__dirname, '..', 'memory-child.js');
/** Peak growth ÷ image size (÷ the sum of the images) the filesystem and database rows must stay under. */
const TARGET_RATIO = 1.5;

/**
 * One memory measurement.
 * @typedef {object} MemoryMeasurement
 * @property {string} name
 * @property {string} label
 * @property {'filesystem' | 'database' | 'default'} binaryMode
 * @property {number} items 4096×4096 edits in the one execution, at Concurrency = items
 * @property {string} [resultFormat] the node's Result Format (default "binary")
 * @property {number} [targetRatio] the target for growth ÷ image size (none: informational)
 * @property {boolean} [optional] only with --memory-url, or when named in --only
 */

/** @type {Array<Omit<MemoryMeasurement, 'label'>>} */
const DEFINITIONS = [
	{ name: 'mem-fs', binaryMode: 'filesystem', items: 1, targetRatio: TARGET_RATIO },
	{ name: 'mem-db', binaryMode: 'database', items: 1, targetRatio: TARGET_RATIO },
	{ name: 'mem-default', binaryMode: 'default', items: 1 },
	{ name: 'mem-fs-x5', binaryMode: 'filesystem', items: 5, targetRatio: TARGET_RATIO },
	{ name: 'mem-db-x5', binaryMode: 'database', items: 5, targetRatio: TARGET_RATIO },
	{
		name: 'mem-fs-url',
		binaryMode: 'filesystem',
		items: 1,
		resultFormat: 'binaryFromUrl',
		optional: true,
	},
	{
		name: 'mem-default-url',
		binaryMode: 'default',
		items: 1,
		resultFormat: 'binaryFromUrl',
		optional: true,
	},
];
/** @type {MemoryMeasurement[]} */
const MEASUREMENTS = DEFINITIONS.map((m) => ({ ...m, label: labelOf(m) }));

/**
 * @param {Omit<MemoryMeasurement, 'label'>} m
 */
function labelOf(m) {
	const what =
		m.items === 1 ? 'one 4096×4096 edit' : `${m.items} concurrent 4096×4096 edits (c=${m.items})`;
	const rf = m.resultFormat ? `, Result Format ${m.resultFormat}` : '';
	const info = m.targetRatio ? '' : ' (informational)';
	return `${what}, binary mode ${m.binaryMode}${rf}${info}`;
}

/**
 * The measurements a run makes by default (the --memory-url ones only with that option).
 * @param {BenchOptions} opts
 */
function measurements(opts) {
	return MEASUREMENTS.filter((m) => !m.optional || opts.memoryUrl);
}

/**
 * What memory-child.js prints.
 * @typedef {object} MemoryResult
 * @property {string} [name] the measurement (absent in runs before rows had names)
 * @property {string} binaryMode
 * @property {string} resultFormat
 * @property {number} [items] edits in the execution (1 when absent)
 * @property {number} imageBytes the input image(s), all items together
 * @property {number | null} outputBytes the output image(s), all items together
 * @property {number | null} outputWidth
 * @property {number} rssBeforeBytes
 * @property {number} peakBytes
 * @property {number} growthBytes
 * @property {number} growthRatio growth ÷ image size (all items together)
 * @property {number} [targetRatio] the target for growthRatio (none: informational)
 * @property {number} executeMs
 * @property {string} node
 * @property {number} [maxInFlight] the most requests the simulator had in flight at once (warm-up included)
 */

/**
 * Runs one measurement in a process of its own (memory-child.js); resolves what it printed.
 * @param {MemoryMeasurement} m
 * @param {{ distDir: string, baseUrl: string, bigPath: string, smallPath: string }} where
 * @returns {Promise<MemoryResult>}
 */
function memoryChild(m, { distDir, baseUrl, bigPath, smallPath }) {
	return new Promise((resolve, reject) => {
		const job = {
			distDir,
			baseUrl,
			apiKey: API_KEY,
			binaryMode: m.binaryMode,
			bigPath,
			smallPath,
			resultFormat: m.resultFormat,
			items: m.items,
		};
		const child = fork(CHILD, [JSON.stringify(job)], {
			execArgv: ['--expose-gc'],
			stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
			cwd: ROOT,
		});
		let out = '';
		let err = '';
		child.stdout?.on('data', (d) => (out += d));
		child.stderr?.on('data', (d) => (err += d));
		child.on('error', reject);
		child.on('exit', (code) => {
			if (code !== 0)
				return reject(new Error(`memory child (${m.name}) failed (${code}):\n${err.slice(-3000)}`));
			try {
				const result = JSON.parse(out.trim().split('\n').pop() || '');
				resolve({ name: m.name, ...result, targetRatio: m.targetRatio });
			} catch {
				reject(
					new Error(`memory child (${m.name}): bad output ${out.slice(-500)} ${err.slice(-1000)}`),
				);
			}
		});
	});
}

/**
 * Runs the memory measurements against the simulator (latency 0), one after the other.
 * @param {{ sim: SimClient, simBaseUrl: string, distDir: string, log: (m: string) => void }} ctx
 * @param {MemoryMeasurement[]} list
 * @returns {Promise<MemoryResult[]>}
 */
async function measureMemory({ sim, simBaseUrl, distDir, log }, list) {
	const results = [];
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepfun-bench-mem-'));
	try {
		const bigPath = path.join(dir, 'big-4096.png');
		const smallPath = path.join(dir, 'small-256.png');
		log('memory: encoding a 4096×4096 noise PNG ...');
		fs.writeFileSync(bigPath, noisePng(4096, 4096));
		const { makePng } = require('../../simulator/png');
		fs.writeFileSync(smallPath, makePng(256, 256, 'bench-small'));
		await sim.call('prewarm', [[4096, 4096]]);
		const where = { distDir, baseUrl: simBaseUrl, bigPath, smallPath };
		for (const m of list) {
			log(`memory: ${m.name}: ${m.label}, through the n8n-core harness ...`);
			await sim.call('reset'); // a fresh request log; reset() restores the start latency
			await sim.call('setFaults', { latencyMs: 0 });
			const r = await memoryChild(m, where);
			r.maxInFlight = (await sim.call('stats')).maxInFlight;
			const target = r.targetRatio ? ` (target ≤ ${r.targetRatio}×)` : '';
			log(
				`${m.name}: growth ${(r.growthBytes / 2 ** 20).toFixed(0)} MB = ${r.growthRatio.toFixed(2)}× the image${target}`,
			);
			results.push(r);
		}
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
	return results;
}

/**
 * The measurement a result belongs to: by name, or (runs saved before rows had names) by binary mode,
 * Result Format and item count.
 * @param {MemoryResult} r
 * @returns {MemoryMeasurement | undefined}
 */
function measurementOf(r) {
	if (r.name) return MEASUREMENTS.find((m) => m.name === r.name);
	/** @param {MemoryMeasurement} m */
	const rf = (m) => m.resultFormat || 'binary';
	return MEASUREMENTS.find(
		(m) =>
			m.binaryMode === r.binaryMode &&
			rf(m) === (r.resultFormat || 'binary') &&
			m.items === (r.items ?? 1),
	);
}

module.exports = {
	NAME,
	LABEL,
	MEASUREMENTS,
	TARGET_RATIO,
	measurements,
	measurementOf,
	measureMemory,
};
