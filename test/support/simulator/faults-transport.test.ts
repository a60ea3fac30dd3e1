// Fault knobs that act on the transport: latency, rate limits, random errors, resets, truncation, hangs
// and the script.
import { delay } from '../fixtures.cjs';
import { sim, useSimulator, AUTH, JSON_HEADERS, generate, gen } from './sim-test-helpers';

useSimulator();

describe('fault knobs', () => {
	test('latencyMs (+ jitter) delays API answers but not /files', async () => {
		sim.setFaults({ latencyMs: 300, latencyJitterMs: 50 });
		let t = Date.now();
		const r = await generate({ model: 'step-2x-large', prompt: 'x', size: '256x256' });
		expect(Date.now() - t).toBeGreaterThanOrEqual(290);
		t = Date.now();
		await fetch(r.json.data[0].url);
		expect(Date.now() - t).toBeLessThan(200);
		t = Date.now();
		await fetch(`${sim.stepPlanBaseUrl}/models`, { headers: AUTH });
		expect(Date.now() - t).toBeGreaterThanOrEqual(290);
	});

	test('maxConcurrent → immediate 429 for requests beyond the limit; stats.maxInFlight', async () => {
		sim.setFaults({ maxConcurrent: 2, latencyMs: 400 });
		const t = Date.now();
		const results = await Promise.all([0, 1, 2, 3].map(() => gen()));
		const statuses = results.map((r) => r.status).sort();
		expect(statuses).toEqual([200, 200, 429, 429]);
		const limited = results.find((r) => r.status === 429)!;
		expect(limited.json).toEqual({
			error: { message: 'Too many concurrent requests', type: 'rate_limit_exceeded' },
		});
		expect(limited.headers.get('retry-after')).toBeNull();
		expect(Date.now() - t).toBeLessThan(2000);
		const s = sim.stats();
		// peak of simultaneously open requests (the 429s are answered at once, so 3 or 4)
		expect(s.maxInFlight).toBeGreaterThanOrEqual(3);
		expect(s.rejected429).toBe(2);
		expect(s.accepted).toBe(2);
		expect(s.byStatus).toEqual({ 200: 2, 429: 2 });
		// the 429s were answered before the slow ones
		const recs = sim.apiRequests();
		const fast = recs.filter((r) => r.status === 429);
		for (const r of fast) expect(r.finishedAt! - r.receivedAt).toBeLessThan(300);
		// sequential requests are fine
		sim.setFaults({ latencyMs: 0 });
		for (let i = 0; i < 3; i++) expect((await gen()).status).toBe(200);
	});

	test('rpm sliding window, with and without Retry-After', async () => {
		sim.setFaults({ rpm: 2, rpmWindowMs: 1200 });
		expect((await gen()).status).toBe(200);
		expect((await gen()).status).toBe(200);
		const r = await gen();
		expect(r.status).toBe(429);
		expect(r.json).toEqual({
			error: { message: 'Rate limit reached: 2 requests per minute', type: 'rate_limit_exceeded' },
		});
		expect(r.headers.get('retry-after')).toBeNull();
		sim.setFaults({ retryAfter: true });
		const r2 = await gen();
		expect(r2.status).toBe(429);
		const ra = Number(r2.headers.get('retry-after'));
		expect(Number.isInteger(ra) && ra >= 1 && ra <= 2).toBe(true);
		await delay(1300);
		expect((await gen()).status).toBe(200);
		expect(sim.stats().rejected429).toBe(2);
		expect(sim.stats().accepted).toBe(3);
	});

	test('errorRate with errorStatuses; seeded, so reproducible', async () => {
		sim.setFaults({ errorRate: 1, errorStatuses: [502] });
		const r = await gen();
		expect(r.status).toBe(502);
		expect(r.json.error.type).toBeDefined();
		expect(r.headers.get('x-trace-id')).toBeTruthy();
		sim.setFaults({ errorRate: 0.5, errorStatuses: [500, 503] });
		const run = async () => {
			const out: number[] = [];
			for (let i = 0; i < 12; i++) out.push((await gen()).status);
			return out;
		};
		sim.reset();
		sim.setFaults({ errorRate: 0.5, errorStatuses: [500, 503] });
		const a = await run();
		sim.reset();
		sim.setFaults({ errorRate: 0.5, errorStatuses: [500, 503] });
		const b = await run();
		expect(a).toEqual(b);
		expect(a.some((s) => s === 200)).toBe(true);
		expect(a.some((s) => s === 500 || s === 503)).toBe(true);
		expect(a.every((s) => [200, 500, 503].includes(s))).toBe(true);
	});

	test('resetRate: connection reset without an answer', async () => {
		sim.setFaults({ resetRate: 1 });
		await expect(gen()).rejects.toThrow();
		expect(sim.requests[0].status).toBeNull();
		expect(sim.requests[0].fault).toBe('reset');
		expect(sim.stats().byStatus).toEqual({ reset: 1 });
	});

	test('truncateRate: headers with Content-Length, half the body, then reset', async () => {
		sim.setFaults({ truncateRate: 1 });
		const res = await fetch(`${sim.stepPlanBaseUrl}/images/generations`, {
			method: 'POST',
			headers: JSON_HEADERS,
			body: JSON.stringify({
				model: 'step-2x-large',
				prompt: 'x',
				size: '256x256',
				response_format: 'b64_json',
			}),
		});
		expect(res.status).toBe(200);
		expect(Number(res.headers.get('content-length'))).toBeGreaterThan(1000);
		await expect(res.text()).rejects.toThrow();
	});

	test('hangRate + hangMs: answer comes only after hangMs (client times out)', async () => {
		sim.setFaults({ hangRate: 1, hangMs: 1500 });
		const t = Date.now();
		await expect(
			fetch(`${sim.stepPlanBaseUrl}/models`, { headers: AUTH, signal: AbortSignal.timeout(200) }),
		).rejects.toThrow();
		expect(Date.now() - t).toBeLessThan(1000);
		sim.setFaults({ hangMs: 300 });
		const t2 = Date.now();
		const r = await fetch(`${sim.stepPlanBaseUrl}/models`, { headers: AUTH });
		expect(r.status).toBe(200);
		expect(Date.now() - t2).toBeGreaterThanOrEqual(290);
	});

	test('script: deterministic sequences', async () => {
		sim.setFaults({
			script: [
				{ status: 503 },
				{ status: 503 },
				null,
				{ status: 429, headers: { 'Retry-After': '3' } },
			],
		});
		const a = await gen();
		expect(a.status).toBe(503);
		expect(a.json).toEqual({
			error: { message: 'Service unavailable', type: 'service_unavailable' },
		});
		expect((await gen()).status).toBe(503);
		expect((await gen()).status).toBe(200);
		const d = await gen();
		expect(d.status).toBe(429);
		expect(d.headers.get('retry-after')).toBe('3');
		expect((await gen()).status).toBe(200); // script exhausted
		sim.setFaults({
			script: [
				{ reset: true },
				{ truncate: true },
				{ hangMs: 200 },
				{ status: 500, body: 'plain text oops' },
				{ status: 400, body: { error: { message: 'custom', type: 'x' } } },
			],
		});
		await expect(gen()).rejects.toThrow();
		const tr = await fetch(`${sim.stepPlanBaseUrl}/models`, { headers: AUTH });
		await expect(tr.text()).rejects.toThrow();
		const t = Date.now();
		expect((await gen()).status).toBe(200);
		expect(Date.now() - t).toBeGreaterThanOrEqual(190);
		const e = await gen();
		expect([e.status, e.text]).toEqual([500, 'plain text oops']);
		const f = await gen();
		expect([f.status, f.json.error.message]).toEqual([400, 'custom']);
		expect(sim.faults.script).toEqual([]);
		expect(sim.apiRequests().map((r) => r.fault)).toEqual([
			'script',
			'script',
			null,
			'script',
			null,
			'script',
			'script',
			'script',
			'script',
			'script',
		]);
	});
});
