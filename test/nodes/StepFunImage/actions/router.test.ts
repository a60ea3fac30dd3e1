import { delay } from '../../../support/fixtures.cjs';
import { runStepFun, useSimulator } from '../../../support/stepfun.cjs';

const items = (n: number) =>
	Array.from({ length: n }, (_, i) => ({ json: { prompt: `product ${i}`, i } }));
const GEN = { operation: 'generate', prompt: '={{ $json.prompt }}', imageOptions: { seed: 5 } };

describe('running many items', () => {
	const sim = useSimulator();

	it('runs up to Concurrency requests at once and keeps the input order', async () => {
		// Random latency makes requests finish out of order.
		sim().setFaults({ latencyMs: 50, latencyJitterMs: 200 });
		const result = await runStepFun(
			sim(),
			{ ...GEN, options: { concurrency: 4 } },
			{ items: items(16) },
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.json.prompt)).toEqual(items(16).map((i) => i.json.prompt));
		expect(result.items.map((i) => i.pairedItem)).toEqual(items(16).map((_, item) => ({ item })));
		expect(sim().stats().maxInFlight).toBe(4);
		expect(sim().apiRequests()).toHaveLength(16);
	});

	it('Concurrency 1 is strictly one at a time', async () => {
		sim().setFaults({ latencyMs: 20 });
		await runStepFun(sim(), { ...GEN, options: { concurrency: 1 } }, { items: items(5) });
		expect(sim().stats().maxInFlight).toBe(1);
	});

	it('with Continue On Fail, API failures become error items paired in order; nothing is lost', async () => {
		sim().setFaults({
			blockedPrompts: ['product 1'],
			filteredPrompts: ['product 4'],
			latencyJitterMs: 50,
		});
		const result = await runStepFun(
			sim(),
			{ ...GEN, options: { concurrency: 3 } },
			{ items: [...items(6), { json: { prompt: '' } }], continueOnFail: true },
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(7);
		expect(result.items.map((i) => i.pairedItem)).toEqual(
			Array.from({ length: 7 }, (_, item) => ({ item })),
		);
		const errors = result.items.map((i) => (i.json.error as string | undefined) ?? null);
		expect(errors[1]).toBe('Blocked by StepFun content moderation (HTTP 451) [item 1]');
		expect(errors[4]).toMatch(/content_filtered\) \[item 4\]/);
		expect(errors[6]).toMatch(/Prompt is empty.*\[item 6\]/);
		expect([0, 2, 3, 5].map((i) => errors[i])).toEqual([null, null, null, null]);
		expect(result.items[1].json).toMatchObject({ httpCode: '451', itemIndex: 1 });
		expect(result.items[5].binary?.data.mimeType).toBe('image/png');
	});

	it('without Continue On Fail the first failing item stops the run and no request is left running', async () => {
		sim().setFaults({ blockedPrompts: ['product 2'], latencyMs: 100 });
		const result = await runStepFun(
			sim(),
			{ ...GEN, options: { concurrency: 2 } },
			{ items: items(20) },
		);
		expect(result.error?.message).toBe('Blocked by StepFun content moderation (HTTP 451) [item 2]');
		// Items already in flight (or started before the failure was known) finish; no new ones start.
		expect(sim().apiRequests().length).toBeLessThanOrEqual(6);
		expect(sim().stats().inFlight).toBe(0);
		const sent = sim().apiRequests().length;
		await delay(500);
		expect(sim().apiRequests()).toHaveLength(sent);
	});

	it('stopping the execution aborts in-flight requests and pending retries; nothing more is sent', async () => {
		sim().setFaults({ latencyMs: 2000 });
		const controller = new AbortController();
		const running = runStepFun(
			sim(),
			{ ...GEN, options: { concurrency: 3 } },
			{ items: items(30), signal: controller.signal },
		);
		// Wait (on a loaded machine, a while) until the first three requests are out.
		for (let waited = 0; sim().stats().inFlight < 3 && waited < 5000; waited += 50) await delay(50);
		expect(sim().stats().inFlight).toBe(3);
		const abortedAt = Date.now();
		controller.abort();
		const result = await running;
		expect(result.canceled).toBe(true);
		// Promptly: well before the 2 s the in-flight requests would have taken.
		expect(Date.now() - abortedAt).toBeLessThan(1500);
		await delay(2500);
		expect(sim().apiRequests()).toHaveLength(3);
		expect(
			sim()
				.apiRequests()
				.every((r) => r.clientGone || r.status === undefined || r.status === null),
		).toBe(true);
	});

	it('stopping during a rate-limit backoff sends nothing more', async () => {
		sim().setFaults({ script: [{ status: 429 }, { status: 429 }, { status: 429 }] });
		const controller = new AbortController();
		const running = runStepFun(
			sim(),
			{ ...GEN, options: { concurrency: 1 } },
			{ items: items(3), signal: controller.signal },
		);
		await delay(300);
		controller.abort();
		const result = await running;
		expect(result.canceled).toBe(true);
		const sent = sim().apiRequests().length;
		await delay(3000);
		expect(sim().apiRequests()).toHaveLength(sent);
	});
});
