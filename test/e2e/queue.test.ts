// n8n (N8N_VERSION) in queue mode, for real: Redis and Postgres (test/support/services), one main (`n8n start`:
// webhooks, REST; it only enqueues) and two workers (`n8n worker`) that run every execution, the built
// node loaded on each process, binary data in n8n's queue-mode default (`database`). The simulator sees
// what the workers sent and what it answered; the workers' logs say which one ran which execution.
import { startSimulator, type Simulator } from '../support/simulator/index.cjs';
import { decodePng } from '../support/simulator/png.cjs';
import {
	CUSTOM_NODE_TYPE,
	fixturePath,
	loadExample,
	readFile,
	sha256,
	type HttpResult,
	type MultipartPart,
} from './e2e-helpers.cjs';
import {
	QUEUE_N8N_VERSION,
	burst,
	report,
	startQueue,
	type ExecutionSummary,
	type QueueStack,
} from './helpers/queue.cjs';

const API_KEY = 'sk-e2e-queue';
const BURST = 30;
const BATCH = 100;
/** The uploads, in turn: the edited image keeps each one's size. */
const UPLOADS = [
	{ file: 'input-80x60.jpg', type: 'image/jpeg', width: 80, height: 60 },
	{ file: 'input-64x48.png', type: 'image/png', width: 64, height: 48 },
	{ file: 'input-96x72.webp', type: 'image/webp', width: 96, height: 72 },
].map((u) => ({ ...u, data: readFile(fixturePath(u.file)) }));

/** Webhook → Split Out (one item per prompt) → Generate, 256×256 with step-2x-large. */
function batchWorkflow(credential: { id: string; name: string }) {
	return {
		name: 'e2e queue: 100-item Generate batch',
		nodes: [
			{
				id: 'b1',
				name: 'Webhook',
				type: 'n8n-nodes-base.webhook',
				typeVersion: 2,
				position: [0, 0],
				webhookId: 'a4f4f0b2-1c86-4a8e-9f3c-0e1b5e0a9b01',
				parameters: { httpMethod: 'POST', path: 'stepfun-queue-batch', responseMode: 'onReceived' },
			},
			{
				id: 'b2',
				name: 'One Item per Prompt',
				type: 'n8n-nodes-base.splitOut',
				typeVersion: 1,
				position: [220, 0],
				parameters: { fieldToSplitOut: 'body.prompts' },
			},
			{
				id: 'b3',
				name: 'Generate Images',
				type: CUSTOM_NODE_TYPE,
				typeVersion: 1,
				position: [440, 0],
				parameters: {
					operation: 'generate',
					model: 'step-2x-large',
					prompt: '={{ $json.prompt }}',
					size: '256x256',
					options: { fileName: '={{ "batch-" + $json.n }}' },
				},
				credentials: { stepPlanApi: credential },
			},
		],
		connections: {
			Webhook: { main: [[{ node: 'One Item per Prompt', type: 'main', index: 0 }]] },
			'One Item per Prompt': { main: [[{ node: 'Generate Images', type: 'main', index: 0 }]] },
		},
	};
}

describe(`n8n ${QUEUE_N8N_VERSION} in queue mode: Redis, Postgres, a main and two workers`, () => {
	let sim: Simulator;
	let q: QueueStack;
	let ids: { webhook: string; batch: string };

	beforeAll(async () => {
		sim = await startSimulator({ apiKey: API_KEY });
		q = await startQueue({ workers: 2 });
		const credential = await q.server.createCredential({
			name: 'Step Plan account',
			type: 'stepPlanApi',
			data: { apiKey: API_KEY, endpoint: 'custom', baseUrl: sim.stepPlanBaseUrl },
		});
		const webhook = await q.server.createWorkflow(
			loadExample('webhook-edit', { nodeType: CUSTOM_NODE_TYPE, credential }),
		);
		const batch = await q.server.createWorkflow(batchWorkflow(credential));
		await q.server.activateWorkflow(webhook);
		await q.server.activateWorkflow(batch);
		ids = { webhook, batch };
	}, 600000);

	afterAll(async () => {
		await q?.stop();
		await sim?.close();
	}, 180000);

	beforeEach(() => sim.reset());

	/**
	 * BURST uploads at once through examples/webhook-edit.json; checks every answer against what the
	 * simulator received and sent, and resolves the new executions and who ran them.
	 */
	async function editBurst(label: string) {
		const before = await q.server.listExecutions(ids.webhook);
		const seen = new Set(before.map((e) => e.id));
		const uploads = Array.from({ length: BURST }, (_, i) => UPLOADS[i % UPLOADS.length]);
		const prompt = (i: number) => `Queue ${label} burst upload ${i + 1}`;
		const forms: MultipartPart[][] = uploads.map((u, i) => [
			{ name: 'prompt', value: prompt(i) },
			{ name: 'data', filename: `${label}-${i + 1}-${u.file}`, contentType: u.type, data: u.data },
		]);
		const { answers, wallMs } = await burst(q.server.webhookUrl('stepfun-edit'), forms);

		const failed = answers
			.map((a: HttpResult, i) => ({ i, status: a.status, text: a.status === 200 ? '' : a.text }))
			.filter((a) => a.status !== 200);
		expect(failed).toEqual([]);
		const answered = sim.apiRequests().filter((r) => r.status === 200);
		expect(answered).toHaveLength(BURST); // one accepted edit per upload, none lost, none twice
		answers.forEach((answer, i) => {
			const req = answered.find((r) => r.fields.prompt === prompt(i));
			expect(req).toBeDefined();
			expect(req!.route).toBe('/images/edits');
			expect(req!.files[0].sha256).toBe(sha256(uploads[i].data));
			expect(answer.headers['content-type']).toMatch(/^image\/png/);
			expect(sha256(answer.body)).toBe(req!.outputSha256);
			const png = decodePng(answer.body);
			expect([png.width, png.height]).toEqual([uploads[i].width, uploads[i].height]);
			expect(req!.output).toEqual({ width: uploads[i].width, height: uploads[i].height });
			expect(answer.headers['x-stepfun-seed']).toBe(String(req!.seedUsed));
		});

		// Postgres holds one successful webhook execution per upload, each started by exactly one worker.
		const all = await q.server.waitForExecutions(ids.webhook, seen.size + BURST);
		const fresh = all.filter((e: ExecutionSummary) => !seen.has(e.id));
		expect(fresh.map((e) => [e.mode, e.status])).toEqual(
			Array.from({ length: BURST }, () => ['webhook', 'success']),
		);
		const started = q.workers.flatMap((w) => w.executions());
		expect(new Set(started).size).toBe(started.length); // no execution ran twice
		const workerOf = q.executionWorkers();
		const perWorker = q.workers.map(
			(w) => fresh.filter((e) => workerOf.get(e.id) === w.number).length,
		);
		expect(fresh.filter((e) => !workerOf.has(e.id))).toEqual([]);
		// the longest stretch in which the workers sent the API nothing (a back-off, a learned rate)
		const sent = sim.apiRequests().map((r) => r.receivedAt);
		const pauseMs = Math.max(0, ...sent.slice(1).map((t, i) => t - sent[i]));
		return { wallMs, perWorker, pauseMs, stats: sim.stats() };
	}

	test(`a burst of ${BURST} webhook uploads: ${BURST} correct edited images, run on both workers`, async () => {
		sim.setFaults({ latencyMs: 1000 }); // each edit takes a second: the burst overlaps
		const { wallMs, perWorker, stats } = await editBurst('open');
		expect(perWorker.every((n) => n > 0)).toBe(true);
		expect(stats.rejected429).toBe(0);
		report(
			`burst of ${BURST} uploads, API latency 1 s, no limit: ${(wallMs / 1000).toFixed(1)} s, ` +
				`executions per worker ${perWorker.join(' + ')}, peak ${stats.maxInFlight} requests in flight`,
		);
	}, 300000);

	test(`a ${BATCH}-item Generate batch runs on a worker, every image in n8n's database binary storage`, async () => {
		sim.setFaults({ latencyMs: 200 });
		const prompts = Array.from({ length: BATCH }, (_, i) => ({
			n: i + 1,
			prompt: `Queue batch lighthouse number ${i + 1}`,
		}));
		const res = await q.server.request('POST', '/webhook/stepfun-queue-batch', { prompts });
		expect(res.status).toBe(200);
		const [execution] = await q.server.waitForExecutions(ids.batch, 1, { timeoutMs: 240000 });
		expect([execution.mode, execution.status]).toEqual(['webhook', 'success']);
		const worker = q.executionWorkers().get(execution.id);
		expect([1, 2]).toContain(worker);

		const { run } = await q.server.getExecution(q.main.n8nBin, execution.id);
		const items = run.data.resultData.runData['Generate Images'][0].data!.main![0]!;
		expect(items).toHaveLength(BATCH);
		const requests = sim.apiRequests();
		expect(requests.map((r) => r.status)).toEqual(Array.from({ length: BATCH }, () => 200));
		const byPrompt = new Map(requests.map((r) => [r.json.prompt as string, r]));
		for (const [i, item] of items.entries()) {
			const req = byPrompt.get(prompts[i].prompt);
			expect(req).toBeDefined();
			expect(item.json).toMatchObject({
				operation: 'generate',
				width: 256,
				height: 256,
				seed: req!.seedUsed,
			});
			const bin = item.binary!.data;
			expect(bin).toMatchObject({ mimeType: 'image/png', fileName: `batch-${i + 1}.png` });
			expect(bin.id).toMatch(/^database:/); // stored in Postgres, not inline, not on a worker's disk
			expect(bin.data).toBe('database');
			const stored = await q.server.downloadBinary(bin.id!);
			expect(sha256(stored.buffer)).toBe(req!.outputSha256);
			const png = decodePng(stored.buffer);
			expect([png.width, png.height]).toEqual([256, 256]);
		}
		const seconds = (Date.parse(execution.stoppedAt!) - Date.parse(execution.startedAt!)) / 1000;
		report(
			`${BATCH}-item Generate batch (API latency 200 ms) on worker ${worker}: ${seconds.toFixed(1)} s, ` +
				`${BATCH} images in database binary storage`,
		);
	}, 300000);

	test(`with the API limited to 5 concurrent requests the burst loses nothing, meets few 429s and never stalls`, async () => {
		sim.setFaults({ latencyMs: 1000, maxConcurrent: 5 });
		const { wallMs, perWorker, pauseMs, stats } = await editBurst('limited');
		expect(stats.maxInFlight).toBeGreaterThan(5); // the two workers together did press past the limit
		// Each worker starts at the node's Concurrency (5), so the two meet the limit in their first wave
		// (10 sent, 5 refused); each then keeps to the share the API held of its requests, and meets it
		// again only now and then when it grows. A client without a governor would meet 25 in its first
		// wave alone.
		expect(stats.rejected429).toBeLessThanOrEqual(10);
		// No worker sits out a minute on a guess (this used to happen: one run paused 36 s).
		expect(pauseMs).toBeLessThan(10000);
		report(
			`burst of ${BURST} uploads, API limited to 5 concurrent (latency 1 s): ${(wallMs / 1000).toFixed(1)} s, ` +
				`${stats.rejected429} × 429 in ${stats.received} requests, executions per worker ${perWorker.join(' + ')}, ` +
				`longest pause between requests ${(pauseMs / 1000).toFixed(1)} s`,
		);
	}, 300000);
});
