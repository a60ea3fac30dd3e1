// @ts-check
'use strict';
/**
 * 4096×4096 edit round trips through n8n-core's real execution code (test/support/harness), in a
 * process of its own, measuring how much the node's execute() raises this process' peak resident memory.
 *
 *   node --expose-gc memory-child.js '<job JSON>'
 *
 * The job (scenarios/memory.js writes it): { distDir, baseUrl, apiKey, binaryMode ("filesystem",
 * "database" or "default"), bigPath, smallPath, resultFormat?, items? } — `items` edits of the big image in
 * one execution at Concurrency = items (default 1). The simulator runs in another process. Prints one
 * JSON line on stdout (scenarios/memory.js reads it).
 *
 * Method: warm up with as many small edits (module loading, JIT, sockets); read the big image into a
 * Buffer; then, inside a wrapper around the node's execute() (so the harness' own input preparation and
 * output read-back are outside the window): gc(), note VmRSS, reset the peak with /proc/self/clear_refs
 * = 5, run the real execute(), read VmHWM. growth = VmHWM - VmRSS at start.
 */
const fs = require('node:fs');
const path = require('node:path');

/**
 * @typedef {object} MemoryJob
 * @property {string} distDir
 * @property {string} baseUrl
 * @property {string} apiKey
 * @property {import('../harness').BinaryMode} binaryMode
 * @property {string} bigPath
 * @property {string} smallPath
 * @property {string} [resultFormat]
 * @property {number} [items]
 */

/** @type {MemoryJob} */
const job = JSON.parse(process.argv[2] || '{}');
const { distDir, baseUrl, apiKey, binaryMode, bigPath, smallPath, resultFormat } = job;
const items = job.items ?? 1;
const harness = require('../harness');
const { StepFunImage } = require(path.join(distDir, 'nodes/StepFunImage/StepFunImage.node.js'));
const { StepPlanApi } = require(path.join(distDir, 'credentials/StepPlanApi.credentials.js'));

/** @typedef {import('n8n-workflow').INodeType} INodeType */
/** @typedef {{ rssBefore: number, hwmAfter: number, rssAfter: number, ms: number }} Window */

function status() {
	const s = fs.readFileSync('/proc/self/status', 'utf8');
	/** @param {string} k */
	const kb = (k) => {
		const m = new RegExp(`${k}:\\s+(\\d+)\\s+kB`).exec(s);
		if (!m) throw new Error(`no ${k} in /proc/self/status`);
		return Number(m[1]) * 1024;
	};
	return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

function gc() {
	if (typeof global.gc !== 'function') throw new Error('run with --expose-gc');
	global.gc();
}

/**
 * One execution editing `items` copies of the image (at Concurrency = items when more than one).
 * @param {INodeType} node
 * @param {Buffer} bytes
 * @param {string} fileName
 */
async function editOnce(node, bytes, fileName) {
	if (!['default', 'filesystem', 'database'].includes(binaryMode))
		throw new Error(`binary mode ${binaryMode}?`);
	const options = {
		...(items > 1 ? { concurrency: items } : {}), // one item: the node's default, as before
		...(resultFormat ? { resultFormat } : {}),
	};
	const binary = { data: { data: bytes, mimeType: 'image/png', fileName } };
	return await harness.runNode({
		node,
		credentialTypes: [new StepPlanApi()],
		credentials: { stepPlanApi: { apiKey, endpoint: 'custom', baseUrl } },
		parameters: { operation: 'edit', prompt: 'make it brighter', options },
		items: Array.from({ length: items }, () => ({ json: {}, binary })),
		binaryMode,
	});
}

async function main() {
	/** @type {INodeType} */
	const node = new StepFunImage();
	const originalExecute = node.execute;
	if (!originalExecute) throw new Error('the node has no execute()');
	/** @type {{ result?: Window } | null} */
	let window = null;
	/** @type {NonNullable<INodeType['execute']>} */
	node.execute = async function measuredExecute() {
		if (!window) return await originalExecute.call(this);
		gc();
		gc();
		const before = status();
		fs.writeFileSync('/proc/self/clear_refs', '5');
		const t0 = Date.now();
		const out = await originalExecute.call(this);
		const after = status();
		window.result = {
			rssBefore: before.rss,
			hwmAfter: after.hwm,
			rssAfter: after.rss,
			ms: Date.now() - t0,
		};
		return out;
	};

	const warm = await editOnce(node, fs.readFileSync(smallPath), 'small.png');
	if (warm.error) throw warm.error;

	const big = fs.readFileSync(bigPath);
	window = {};
	const res = await editOnce(node, big, 'big.png');
	if (res.error) throw res.error;
	const w = window.result;
	if (!w) throw new Error("the node's execute() did not run");
	if (res.items.length !== items) throw new Error(`${res.items.length} output items, not ${items}`);
	let outputBytes = 0;
	for (const item of res.items) {
		if (item.json.error) throw new Error(`an item failed: ${JSON.stringify(item.json.error)}`);
		outputBytes += item.binary?.data?.buffer?.length ?? 0;
	}
	const imageBytes = big.length * items;
	const growth = w.hwmAfter - w.rssBefore;
	const record = {
		binaryMode,
		resultFormat: resultFormat || 'binary',
		items,
		imageBytes,
		outputBytes,
		outputWidth: res.items[0].json.width ?? null,
		rssBeforeBytes: w.rssBefore,
		peakBytes: w.hwmAfter,
		growthBytes: growth,
		growthRatio: growth / imageBytes,
		executeMs: w.ms,
		node: process.version,
	};
	process.stdout.write(JSON.stringify(record) + '\n');
	harness.cleanup();
	process.exit(0);
}

main().catch((e) => {
	process.stderr.write(String((e instanceof Error && e.stack) || e) + '\n');
	try {
		harness.cleanup();
	} catch {
		/* ignore */
	}
	process.exit(1);
});
