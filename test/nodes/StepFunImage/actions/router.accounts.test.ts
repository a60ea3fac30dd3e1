// Executions in one n8n process share their account's governor: a burst of single-item executions
// (webhook uploads) together respects the account's limit instead of each discovering it alone.
import { pngSize, runStepFun, useSimulator } from '../../../support/stepfun.cjs';

const GEN = { operation: 'generate', prompt: '={{ $json.p }}', size: '1024x1024' };
const one = (p: string) => ({ items: [{ json: { p } }] });

describe('a burst of executions sharing one account', () => {
	const sim = useSimulator({ apiKey: 'sk-burst' });

	it('30 single-item executions at once keep to the 5-concurrent limit: nothing lost, no 429', async () => {
		sim().setFaults({ maxConcurrent: 5, latencyMs: 200 });
		const runs = await Promise.all(
			Array.from({ length: 30 }, async (_, i) => await runStepFun(sim(), GEN, one(`upload ${i}`))),
		);
		for (const [i, run] of runs.entries()) {
			expect(run.error).toBeUndefined();
			expect(run.items[0].json.prompt).toBe(`upload ${i}`);
			expect(pngSize(run.items[0].binary!.data.buffer)).toEqual({ width: 1024, height: 1024 });
		}
		const stats = sim().stats();
		expect(stats.rejected429).toBe(0);
		expect(stats.maxInFlight).toBeLessThanOrEqual(5);
		expect(sim().apiRequests()).toHaveLength(30);
	});

	it('the largest Concurrency among them is the account limit; a smaller one keeps its own cap', async () => {
		sim().setFaults({ latencyMs: 150 });
		const items = (n: number, tag: string) => ({
			items: Array.from({ length: n }, (_, i) => ({ json: { p: `${tag} ${i}` } })),
		});
		const [wide, narrow] = await Promise.all([
			runStepFun(sim(), { ...GEN, options: { concurrency: 6 } }, items(12, 'wide')),
			runStepFun(sim(), { ...GEN, options: { concurrency: 2 } }, items(12, 'narrow')),
		]);
		expect(wide.items).toHaveLength(12);
		expect(narrow.items).toHaveLength(12);
		expect(sim().stats().maxInFlight).toBeLessThanOrEqual(6);
		// The narrow execution never had more than 2 of its own requests open.
		const open = (tag: string) => {
			const events = sim()
				.apiRequests()
				.filter((r) => String(r.json?.prompt).startsWith(tag))
				.flatMap((r) => [
					[r.receivedAt, 1],
					[r.finishedAt ?? r.receivedAt, -1],
				])
				.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
			let now = 0;
			let peak = 0;
			for (const [, step] of events) peak = Math.max(peak, (now += step));
			return peak;
		};
		expect(open('narrow')).toBeLessThanOrEqual(2);
		expect(open('wide')).toBeGreaterThan(2);
	});

	it('another credential (here another endpoint path) is another account: limits are not shared', async () => {
		sim().setFaults({ latencyMs: 300 });
		const [stepPlan, openPlatform] = await Promise.all([
			runStepFun(sim(), { ...GEN, options: { concurrency: 3 } }, one('a')),
			runStepFun(
				sim(),
				{ ...GEN, options: { concurrency: 3 } },
				{
					...one('b'),
					baseUrl: sim().openPlatformBaseUrl,
				},
			),
		]);
		expect(stepPlan.error).toBeUndefined();
		expect(openPlatform.error).toBeUndefined();
		// Both were in flight together, though one shared account would allow only 1.
		expect(sim().stats().maxInFlight).toBe(2);
	});
});
