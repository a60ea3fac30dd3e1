// The simulator's routing, auth, /models and request log, over real HTTP.
import { startSimulator, type SimulatorOptions, type SimulatorFaults } from './index.cjs';
import {
	sim,
	useSimulator,
	KEY,
	AUTH,
	generate,
	editWithFormData,
	edit2,
	fixture,
	type Json,
} from './sim-test-helpers';

useSimulator();

describe('auth, routing, models', () => {
	test('missing or wrong key → 401 invalid_api_key; right key → 200', async () => {
		for (const headers of [
			{},
			{ authorization: 'Bearer sk-wrong' },
			{ authorization: KEY },
		] as Array<Record<string, string>>) {
			const res = await fetch(`${sim.stepPlanBaseUrl}/models`, { headers });
			expect(res.status).toBe(401);
			expect(await res.json()).toEqual({
				error: { message: 'Incorrect API key provided', type: 'invalid_api_key' },
			});
		}
		const r = await generate({ ...edit2 }, sim.stepPlanBaseUrl, {
			'content-type': 'application/json',
			authorization: 'Bearer nope',
		});
		expect(r.status).toBe(401);
		const ok = await fetch(`${sim.stepPlanBaseUrl}/models`, { headers: AUTH });
		expect(ok.status).toBe(200);
	});

	test('custom apiKey option', async () => {
		const s = await startSimulator({ apiKey: 'sk-other' });
		try {
			expect((await fetch(`${s.openPlatformBaseUrl}/models`, { headers: AUTH })).status).toBe(401);
			expect(
				(
					await fetch(`${s.openPlatformBaseUrl}/models`, {
						headers: { authorization: 'Bearer sk-other' },
					})
				).status,
			).toBe(200);
		} finally {
			await s.close();
		}
	});

	test('GET /models under both prefixes', async () => {
		expect(sim.stepPlanBaseUrl).toBe(`${sim.url}/step_plan/v1`);
		expect(sim.openPlatformBaseUrl).toBe(`${sim.url}/v1`);
		for (const base of [sim.stepPlanBaseUrl, sim.openPlatformBaseUrl]) {
			const res = await fetch(`${base}/models`, { headers: AUTH });
			expect(res.status).toBe(200);
			expect(res.headers.get('x-trace-id')).toMatch(/^[0-9a-f]{32}$/);
			const body = await res.json();
			expect(body.object).toBe('list');
			expect(body.data.map((m: Json) => m.id)).toEqual(['step-image-edit-2', 'step-2x-large']);
			for (const m of body.data) {
				expect(m).toEqual({
					id: m.id,
					object: 'model',
					created: expect.any(Number),
					owned_by: 'stepfun',
				});
			}
		}
	});

	test('unknown path → 404, wrong method → 405, both with error bodies', async () => {
		for (const p of [
			'/v2/models',
			'/step_plan/v1/images/variations',
			'/v1/chat/completions',
			'/',
		]) {
			const res = await fetch(`${sim.url}${p}`, { headers: AUTH });
			expect(res.status).toBe(404);
			expect((await res.json()).error.type).toBe('not_found');
		}
		const res = await fetch(`${sim.stepPlanBaseUrl}/images/generations`, { headers: AUTH });
		expect(res.status).toBe(405);
		expect((await res.json()).error.message).toContain('GET');
	});

	test('every response has a unique X-Trace-Id', async () => {
		const ids = new Set<string>();
		for (let i = 0; i < 5; i++) {
			const r = await generate({ model: 'nope', prompt: 'x' });
			expect(r.status).toBe(400);
			ids.add(r.headers.get('x-trace-id')!);
		}
		expect(ids.size).toBe(5);
	});

	test('unknown knob/option names are rejected', async () => {
		await expect(startSimulator({ latencyMS: 5 } as unknown as SimulatorOptions)).rejects.toThrow(
			/latencyMS/,
		);
		expect(() => sim.setFaults({ nope: 1 } as unknown as SimulatorFaults)).toThrow(/nope/);
	});
});

describe('request log', () => {
	test('records method, path, query, headers, auth, body, status, trace id, timings', async () => {
		const before = Date.now();
		await fetch(`${sim.openPlatformBaseUrl}/models?limit=5&x=%E4%BD%A0`, {
			headers: { ...AUTH, 'X-Custom-Header': 'Yes' },
		});
		const r = await generate(
			{ model: 'step-image-edit-2', prompt: '你好', seed: 3, response_format: 'b64_json' },
			sim.openPlatformBaseUrl,
		);
		await editWithFormData({ ...edit2, seed: '2' }, fixture('input-96x72.webp'));
		const [m, g, e] = sim.requests;
		expect(m).toMatchObject({
			id: 1,
			method: 'GET',
			path: '/v1/models',
			query: { limit: '5', x: '你' },
			authorization: `Bearer ${KEY}`,
			status: 200,
			rawBodySize: 0,
			json: undefined,
			fields: {},
			files: [],
		});
		expect(m.headers['x-custom-header']).toBe('Yes');
		expect(m.receivedAt).toBeGreaterThanOrEqual(before);
		expect(m.finishedAt).toBeGreaterThanOrEqual(m.receivedAt);
		expect(g).toMatchObject({
			id: 2,
			method: 'POST',
			path: '/v1/images/generations',
			contentType: 'application/json',
			status: 200,
			seedUsed: 3,
		});
		expect(g.json).toEqual({
			model: 'step-image-edit-2',
			prompt: '你好',
			seed: 3,
			response_format: 'b64_json',
		});
		expect(g.rawBodySize).toBe(Buffer.byteLength(JSON.stringify(g.json)));
		expect(g.traceId).toBe(r.headers.get('x-trace-id'));
		expect(g.output).toEqual({ width: 1024, height: 1024 });
		expect(e.path).toBe('/step_plan/v1/images/edits');
		expect(e.contentType).toMatch(/^multipart\/form-data; boundary=/);
		expect(e.fields).toEqual({
			model: 'step-image-edit-2',
			prompt: 'a cat',
			response_format: 'b64_json',
			seed: '2',
		});
		expect(e.files[0].sha256).toHaveLength(64);
		expect(e.rawBodySize).toBeGreaterThan(e.files[0].size);
		expect(new Set(sim.requests.map((x) => x.traceId)).size).toBe(3);
	});
});
