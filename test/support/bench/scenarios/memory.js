// @ts-check
'use strict';
/**
 * The memory row: one 4096×4096 edit round trip through n8n-core's real execution code (the harness, in
 * ../memory-child.js, a process of its own per measurement), in binary data mode "filesystem" and
 * "default"; with --memory-url also with Result Format "binaryFromUrl" (informational). The simulator
 * answers with a noise PNG as large as the input, as a photo would be.
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
const LABEL = 'one 4096×4096 edit, peak memory growth (also --memory-only)';
const CHILD = path.join(__dirname, '..', 'memory-child.js');

/**
 * What memory-child.js prints.
 * @typedef {object} MemoryResult
 * @property {string} binaryMode
 * @property {string} resultFormat
 * @property {number} imageBytes
 * @property {number | null} outputBytes
 * @property {number | null} outputWidth
 * @property {number} rssBeforeBytes
 * @property {number} peakBytes
 * @property {number} growthBytes
 * @property {number} growthRatio growth ÷ image size
 * @property {number} executeMs
 * @property {string} node
 */

/**
 * @param {{ distDir: string, baseUrl: string, mode: string, bigPath: string, smallPath: string, resultFormat?: string }} m
 * @returns {Promise<MemoryResult>}
 */
function memoryChild({ distDir, baseUrl, mode, bigPath, smallPath, resultFormat }) {
	return new Promise((resolve, reject) => {
		const args = [
			distDir,
			baseUrl,
			API_KEY,
			mode,
			bigPath,
			smallPath,
			...(resultFormat ? [resultFormat] : []),
		];
		const child = fork(CHILD, args, {
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
				return reject(new Error(`memory child (${mode}) failed (${code}):\n${err.slice(-3000)}`));
			try {
				resolve(JSON.parse(out.trim().split('\n').pop() || ''));
			} catch {
				reject(
					new Error(`memory child (${mode}): bad output ${out.slice(-500)} ${err.slice(-1000)}`),
				);
			}
		});
	});
}

/**
 * Runs the memory measurements against the simulator (latency 0).
 * @param {{ sim: SimClient, simBaseUrl: string, distDir: string, opts: BenchOptions, log: (m: string) => void }} ctx
 * @returns {Promise<MemoryResult[]>}
 */
async function measureMemory({ sim, simBaseUrl, distDir, opts, log }) {
	const results = [];
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepfun-bench-mem-'));
	try {
		const bigPath = path.join(dir, 'big-4096.png');
		const smallPath = path.join(dir, 'small-256.png');
		log('memory: encoding a 4096×4096 noise PNG ...');
		fs.writeFileSync(bigPath, noisePng(4096, 4096));
		const { makePng } = require('../../simulator/png');
		fs.writeFileSync(smallPath, makePng(256, 256, 'bench-small'));
		await sim.call('reset');
		await sim.call('setFaults', { latencyMs: 0 });
		await sim.call('prewarm', [[4096, 4096]]);
		/** @type {Array<[string, string?]>} */
		const runs = [['filesystem'], ['default']];
		// Informational: the same edit with Result Format "binaryFromUrl" (response_format=url + download).
		if (opts.memoryUrl) runs.push(['filesystem', 'binaryFromUrl'], ['default', 'binaryFromUrl']);
		for (const [mode, resultFormat] of runs) {
			const rf = resultFormat ? `, result format ${resultFormat}` : '';
			log(
				`memory: one 4096×4096 edit through the n8n-core harness, binary mode "${mode}"${rf} ...`,
			);
			const m = { distDir, baseUrl: simBaseUrl, mode, bigPath, smallPath, resultFormat };
			results.push(await memoryChild(m));
		}
	} finally {
		fs.rmSync(dir, { recursive: true, force: true });
	}
	return results;
}

module.exports = { NAME, LABEL, measureMemory };
