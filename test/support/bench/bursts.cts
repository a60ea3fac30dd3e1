// The rows measured at the caller, first call sent → last answer received: a burst of webhook calls at
// the shared instance's server (stopped afterwards, so each burst starts from a fresh process and the
// other rows run without it), and queue mode, in stacks of their own (~1 min each, not timed).
import { httpRequest, postForm, type HttpResponse } from '../http.cjs';
import { startQueueStack, type N8nInstance } from '../n8n/index.cjs';
import { CUSTOM_NODE_TYPE, loadExample } from '../demo/examples.cjs';
import { delay } from '../system.cjs';
import { API_KEY, LIMIT, webhookPath, type Row } from './rows.cjs';
import { idealFor, idealMs, peakMb, result, score, watchPeak } from './score.cjs';
import type { Context, Stats } from './score.cjs';

const PNG = 0x89504e47;
const isPng = (res?: HttpResponse) => res?.status === 200 && res.buffer.readUInt32BE(0) === PNG;
const hasB64 = (res?: HttpResponse) => res?.status === 200 && !!res.body?.data?.[0]?.b64_json;

type Answer = { res?: HttpResponse; error: string; at: number };
const sampleError = (a?: Answer) =>
	a && (a.res ? `HTTP ${a.res.status}: ${a.res.text}` : a.error).replace(/\s+/g, ' ').slice(0, 160);

/** `count` multipart uploads at once: the answers, and first call sent → last answer received. */
async function uploads(url: string, png: Buffer, count: number, prompt: (i: number) => string) {
	const started = Date.now();
	const upload = (i: number) => {
		const image = { name: 'data', filename: 'input.png', contentType: 'image/png', data: png };
		return postForm(url, [image, { name: 'prompt', value: prompt(i) }], 20 * 60 * 1000).then(
			(res): Answer => ({ res, error: '', at: Date.now() }),
			(error: Error): Answer => ({ error: String(error?.message ?? error), at: Date.now() }),
		);
	};
	const answers = await Promise.all(Array.from({ length: count }, (_, i) => upload(i)));
	return { answers, wallMs: Math.max(...answers.map((a) => a.at)) - started };
}

/** A webhook burst at the shared instance's server, the simulator at the new-account limit. */
export async function runBurst(inst: N8nInstance, ctx: Context, row: Row, id: string, png: Buffer) {
	const { sim, opts } = ctx;
	await sim.call('reset');
	await sim.call('setFaults', { latencyMs: opts.latencyMs, ...LIMIT, retryAfter: false });
	const server = await inst.startServer();
	const stopWatch = watchPeak(() => server.child.pid, 200);
	try {
		await server.activateWorkflow(id);
		const url = server.webhookUrl(webhookPath(row));
		// Registered, without running it: a CORS preflight lists the path's methods.
		const headers = { origin: 'http://127.0.0.1' };
		const preflight = { method: 'OPTIONS', headers, timeoutMs: 10000 };
		for (const since = Date.now(); ; await delay(250)) {
			const res = await httpRequest(url, preflight);
			if (/\bPOST\b/.test(`${res.headers['access-control-allow-methods'] ?? ''}`)) break;
			if (Date.now() - since > 60000) throw new Error(`webhook ${url} not registered after 60 s`);
		}
		const burst = await uploads(url, png, row.n, (i) => `Make the sky purple, variation ${i + 1}`);
		const ok = row.kind === 'burst-node' ? isPng : hasB64;
		const r = result(row, opts.latencyMs, await sim.call('stats'), burst.wallMs, stopWatch());
		const got = burst.answers.filter((a) => ok(a.res)).length;
		score(r, burst.wallMs, got, row.n, idealFor(row, opts.latencyMs));
		r.sampleError = sampleError(burst.answers.find((a) => !ok(a.res)));
		return r;
	} finally {
		stopWatch();
		await server.stop();
	}
}

/**
 * A queue-mode row: examples/webhook-edit.json, bursts of uploads at once (queue-shared: after 4 warm-up
 * uploads, each burst with the account's limits, 2 s apart).
 */
export async function runQueue(inst: N8nInstance, ctx: Context, row: Row, png: Buffer) {
	const { sim, opts, simBaseUrl } = ctx;
	const q = row.queue!;
	const shared = row.kind === 'queue-shared';
	const latencyMs = shared ? 1000 : opts.latencyMs;
	const log = (m: string) => ctx.log(`${row.name}: ${m}`);
	await sim.call('reset');
	await sim.call('setFaults', { latencyMs });
	const customExtensions = inst.options.customExtensions ?? [];
	const { version } = inst;
	const stack = await startQueueStack({ version, workers: q.workers, customExtensions, log });
	try {
		const data = { apiKey: API_KEY, endpoint: 'custom', baseUrl: simBaseUrl };
		const stored = { name: 'StepFun simulator', type: 'stepPlanApi', data };
		const credential = await stack.server.createCredential(stored);
		const wf = loadExample('webhook-edit', { nodeType: CUSTOM_NODE_TYPE, credential });
		await stack.server.activateWorkflow(await stack.server.createWorkflow(wf));
		const url = stack.server.webhookUrl('stepfun-edit');
		// A worker's first executions load the node and warm caches: not what is measured.
		if (shared) await uploads(url, png, 4, (i) => `warm-up ${i + 1}`);
		const total: Stats = { received: 0, accepted: 0, rejected429: 0, byStatus: {}, maxInFlight: 0 };
		const bursts: Array<Record<'wallMs' | 'rejected429' | 'lost' | 'requests', number>> = [];
		let sample: string | undefined;
		for (let b = 0; b < q.bursts; b++) {
			if (b > 0) await delay(2000); // separate waves of traffic
			await sim.call('reset');
			await sim.call('setFaults', { latencyMs, ...q.faults });
			const prompt = (i: number) => `Make the sky purple, burst ${b + 1}, variation ${i + 1}`;
			const { answers, wallMs } = await uploads(url, png, q.calls, prompt);
			const stats: Stats = await sim.call('stats');
			const lost = answers.filter((a) => !isPng(a.res)).length;
			bursts.push({ wallMs, rejected429: stats.rejected429, lost, requests: stats.received });
			const took = `${(wallMs / 1000).toFixed(1)} s, ${stats.rejected429} × 429, ${lost} lost`;
			if (shared) log(`burst ${b + 1}/${q.bursts}: ${took}`);
			for (const k of ['received', 'accepted', 'rejected429'] as const) total[k] += stats[k];
			total.maxInFlight = Math.max(total.maxInFlight, stats.maxInFlight);
			sample ??= sampleError(answers.find((a) => !isPng(a.res)));
		}
		const wallMs = bursts.reduce((sum, b) => sum + b.wallMs, 0);
		const workerPeak = () => Math.max(0, ...stack.workers.map((w) => peakMb(w.proc.child.pid)));
		const peak = shared ? null : workerPeak() || null;
		const r = result(row, latencyMs, total, wallMs, peak);
		const floor = idealMs({ n: q.calls, latencyMs, conc: row.conc ?? 1, rpm: q.faults?.rpm });
		const lost = bursts.reduce((sum, b) => sum + b.lost, 0);
		score(r, wallMs, row.n - lost, row.n, floor * q.bursts);
		const workerOf = [...stack.executionWorkers().values()];
		r.executionsPerWorker = stack.workers.map((w) => workerOf.filter((n) => n === w.number).length);
		return Object.assign(r, { sampleError: sample, ...(shared ? { bursts } : {}) });
	} finally {
		await stack.stop();
	}
}
