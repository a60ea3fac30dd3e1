// @ts-check
'use strict';
/**
 * The StepFun simulator in its own process, driven over IPC by sim-client.js, so its CPU and memory are
 * not counted in the benchmark process or in n8n's.
 *
 * The simulator renders a fresh PNG for every answer (makePng: ~60 ms for 256×256, ~110 ms for 1024×1024 on
 * this machine). A real API does that work on its own servers, within its latency; here it would run on the
 * same 2 cores, one answer after the other, and add up to a second per round of 10 answers. So makePng is
 * memoized per size before the simulator loads: every answer of a given size carries the same (realistic,
 * poorly compressible) PNG and the per-request latency is the configured one. Above 1024×1024 (the 4096×4096
 * memory measurement) the answer is a noise PNG, so the edited image is as large as the input, as with a photo.
 *
 * Messages: { id, cmd: 'start'|'reset'|'setFaults'|'stats'|'requests'|'prewarm'|'close', args } → { id, result | error }.
 */
const png = require('../simulator/png');
const { noisePng } = require('./noise-png');

const originalMakePng = png.makePng;
/** @type {Map<string, Buffer>} */
const memo = new Map();
/** @type {typeof png.makePng} */
png.makePng = function makePngMemo(width, height, _key, level) {
	const k = `${width}x${height}x${level ?? 1}`;
	let buf = memo.get(k);
	if (!buf) {
		buf =
			width * height > 1024 * 1024
				? noisePng(width, height, level)
				: originalMakePng(width, height, 'stepfun-bench-output', level);
		memo.set(k, buf);
	}
	return buf;
};
const { startSimulator } = require('../simulator');

/** @typedef {Awaited<ReturnType<typeof startSimulator>>} Simulator */
/** @type {Simulator | undefined} */
let sim;

function running() {
	if (!sim) throw new Error('the simulator is not started');
	return sim;
}

/** @type {Record<string, (args: any) => unknown>} */
const handlers = {
	/** @param {Parameters<typeof startSimulator>[0]} opts */
	async start(opts) {
		sim = await startSimulator(opts);
		return { stepPlanBaseUrl: sim.stepPlanBaseUrl, url: sim.url, apiKey: sim.apiKey };
	},
	reset() {
		running().reset();
		return true;
	},
	/** @param {Parameters<Simulator['setFaults']>[0]} f */
	setFaults(f) {
		const faults = running().setFaults(f);
		return { ...faults, script: undefined };
	},
	stats() {
		const s = running().stats();
		const reqs = running().apiRequests();
		const firstAt = reqs.length ? reqs[0].receivedAt : null;
		const lastAt = reqs.length ? Math.max(...reqs.map((r) => r.finishedAt || r.receivedAt)) : null;
		return { ...s, firstAt, lastAt };
	},
	/** The API requests so far, in arrival order, as the rows check them (no bodies). */
	requests() {
		return running()
			.apiRequests()
			.map((r) => ({
				route: r.route,
				status: r.status,
				traceId: r.traceId,
				prompt: r.json ? r.json.prompt : r.fields.prompt,
				seed: r.json
					? r.json.seed
					: r.fields.seed === undefined
						? undefined
						: Number(r.fields.seed),
				seedUsed: r.seedUsed,
				uploadSha256: r.files.length ? r.files[0].sha256 : undefined,
				receivedAt: r.receivedAt,
				finishedAt: r.finishedAt,
			}));
	},
	/** @param {Array<[number, number]>} sizes */
	prewarm(sizes) {
		for (const [w, h] of sizes) png.makePng(w, h, 'x');
		return true;
	},
	async close() {
		if (sim) await sim.close();
		setImmediate(() => process.exit(0));
		return true;
	},
};

process.on('message', async (message) => {
	const msg = /** @type {{ id: number, cmd: string, args: unknown }} */ (message);
	const send = process.send ? process.send.bind(process) : () => false;
	try {
		const handler = handlers[msg.cmd];
		if (!handler) throw new Error(`unknown command ${msg.cmd}`);
		send({ id: msg.id, result: await handler(msg.args) });
	} catch (e) {
		send({ id: msg.id, error: String((e instanceof Error && e.stack) || e) });
	}
});
process.on('disconnect', () => process.exit(0));
