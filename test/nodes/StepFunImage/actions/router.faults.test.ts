// Fault injection: hundreds of items against a misbehaving API. Every item must yield exactly one
// result, paired and in order; retryable failures must heal; non-retryable ones must not be retried.
import type { RecordedRequest } from '../../../support/simulator/index.cjs';
import { delay } from '../../../support/fixtures.cjs';
import { pngSize, runStepFun, useSimulator } from '../../../support/stepfun.cjs';

const N = 200;
const MAX_RETRIES = 6;
const blocked = (i: number) => i % 40 === 7; // → 451
const filtered = (i: number) => i % 40 === 23; // → finish_reason content_filtered
const prompt = (i: number) =>
	`product ${String(i).padStart(3, '0')}${blocked(i) ? ' forbidden' : ''}${filtered(i) ? ' filtered' : ''}`;
const items = Array.from({ length: N }, (_, i) => ({ json: { prompt: prompt(i), i } }));

function byPrompt(requests: RecordedRequest[]): Map<string, RecordedRequest[]> {
	const map = new Map<string, RecordedRequest[]>();
	for (const r of requests) {
		const p = (r.json?.prompt as string | undefined) ?? '';
		map.set(p, [...(map.get(p) ?? []), r]);
	}
	return map;
}

describe(`${N} items against a faulty API`, () => {
	const sim = useSimulator({ randomSeed: 42 });

	const faults = {
		latencyMs: 5,
		latencyJitterMs: 40,
		// A 429 storm whenever more than 4 requests are open, and random 429s on top.
		maxConcurrent: 4,
		errorRate: 0.12,
		errorStatuses: [429, 500, 502, 503, 504],
		resetRate: 0.04,
		truncateRate: 0.04,
		hangRate: 0.02,
		// Well past the Timeout below, which covers the whole answer (body included): a healthy answer
		// must never come close to it, even on a loaded machine, or a 200 would be retried.
		hangMs: 8000,
		blockedPrompts: ['forbidden'],
		filteredPrompts: ['filtered'],
	};

	it('Continue On Fail: one result per item, in order; transient faults healed; 451/filtered never retried', async () => {
		sim().setFaults(faults);
		const result = await runStepFun(
			sim(),
			{
				operation: 'generate',
				prompt: '={{ $json.prompt }}',
				size: '1024x1024',
				options: { concurrency: 8, maxRetries: MAX_RETRIES, timeout: 3, rateLimitWait: 120 },
			},
			{ items, continueOnFail: true },
		);
		expect(result.error).toBeUndefined();

		// Exactly one output per input, paired, in order: none lost, none duplicated.
		expect(result.items).toHaveLength(N);
		expect(result.items.map((it) => it.pairedItem)).toEqual(items.map((_, item) => ({ item })));

		for (let i = 0; i < N; i++) {
			const out = result.items[i];
			if (blocked(i)) {
				expect(out.json.error).toBe(`Blocked by StepFun content moderation (HTTP 451) [item ${i}]`);
			} else if (filtered(i)) {
				expect(out.json.error).toMatch(new RegExp(`content_filtered\\) \\[item ${i}\\]$`));
			} else {
				// Every retryable failure ended in success.
				expect(out.json.error).toBeUndefined();
				expect(out.json.prompt).toBe(prompt(i));
				expect(out.binary?.data.mimeType).toBe('image/png');
			}
		}
		const one = result.items.find((it) => it.binary)!;
		expect(pngSize(one.binary!.data.buffer)).toEqual({ width: 1024, height: 1024 });

		const stats = sim().stats();
		const requests = byPrompt(sim().apiRequests());
		expect(requests.size).toBe(N);
		// The faults really happened.
		expect(stats.rejected429).toBeGreaterThan(0);
		expect(stats.byStatus.reset ?? 0).toBeGreaterThan(0);
		expect(
			sim()
				.apiRequests()
				.some((r) => r.fault === 'truncate'),
		).toBe(true);
		expect(
			sim()
				.apiRequests()
				.some((r) => r.fault === 'hang'),
		).toBe(true);
		expect(Object.keys(stats.byStatus).some((s) => ['500', '502', '503', '504'].includes(s))).toBe(
			true,
		);

		for (const [p, reqs] of requests) {
			// What the client really received: a truncated body or an answer after the client's timeout is no answer.
			const statuses = reqs.map((r) =>
				r.fault === 'truncate' || r.clientGone ? 'lost' : r.status,
			);
			const last = statuses[statuses.length - 1];
			const non429 = reqs.filter((r) => r.status !== 429).length;
			// Within the retry budget: at most 1 + Max Retries attempts that were not rate limited.
			expect(non429).toBeLessThanOrEqual(1 + MAX_RETRIES);
			// A definitive answer is never followed by another request for the same item.
			if (p.includes('forbidden')) expect(last).toBe(451);
			else expect(last).toBe(200);
			expect(statuses.slice(0, -1)).not.toContain(451);
			expect(statuses.slice(0, -1)).not.toContain(200);
		}
		// The concurrency limit was respected (maxInFlight counts requests answered 429 too).
		expect(stats.maxInFlight).toBeLessThanOrEqual(8);
		expect(stats.inFlight).toBe(0);
	});

	it('an outage (every request 503, then recovery) ends with every item generated', async () => {
		sim().setFaults({ latencyMs: 5, script: Array.from({ length: 12 }, () => ({ status: 503 })) });
		const result = await runStepFun(
			sim(),
			{
				operation: 'generate',
				prompt: '={{ $json.prompt }}',
				options: { concurrency: 4, maxRetries: MAX_RETRIES },
			},
			{ items: items.slice(0, 24) },
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(24);
		expect(result.items.every((it) => it.binary?.data.mimeType === 'image/png')).toBe(true);
		expect(sim().stats().byStatus['503']).toBe(12);
		expect(sim().apiRequests()).toHaveLength(24 + 12);
	});

	it('without Continue On Fail the first non-retryable error stops the run; no request is left running', async () => {
		sim().setFaults({ ...faults, errorRate: 0.05, hangRate: 0, latencyMs: 50 });
		const result = await runStepFun(
			sim(),
			{
				operation: 'generate',
				prompt: '={{ $json.prompt }}',
				options: { concurrency: 8, maxRetries: MAX_RETRIES, timeout: 2 },
			},
			{ items },
		);
		// The first definitive failure stops the run: 451 for item 7, or content_filtered for item 23 when
		// item 7 was still retrying a transient fault at that moment.
		const failed =
			/^Blocked by StepFun content moderation \((HTTP 451|finish_reason: content_filtered)\) \[item (\d+)\]$/.exec(
				result.error?.message ?? '',
			);
		expect(failed).not.toBeNull();
		const index = Number(failed![2]);
		expect(failed![1] === 'HTTP 451' ? blocked(index) : filtered(index)).toBe(true);
		expect(result.items).toHaveLength(0);
		expect(sim().stats().inFlight).toBe(0);
		const sent = sim().apiRequests().length;
		// Stopped early: only the items in progress around the failure (≤ 2 × Concurrency past it) were sent…
		expect(byPrompt(sim().apiRequests()).size).toBeLessThan(64);
		// …and nothing more arrives afterwards (no retry left pending).
		await delay(3000);
		expect(sim().apiRequests()).toHaveLength(sent);
	});
});
