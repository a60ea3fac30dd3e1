// Fault knobs that act on the content: moderation, retired models and endpoints, balance, malformed
// answers, expired files; and setFaults/reset/close.
import { startSimulator, imageInfo } from './index.cjs';
import { decodePng } from './png.cjs';
import { delay } from '../fixtures.cjs';
import {
	sim,
	useSimulator,
	AUTH,
	generate,
	editWithFormData,
	edit2,
	fixture,
	gen,
	type Json,
} from './sim-test-helpers';

useSimulator();

describe('fault knobs', () => {
	test('blockedPrompts → 451; filteredPrompts → 200 content_filtered without image', async () => {
		sim.setFaults({ blockedPrompts: ['forbidden'], filteredPrompts: ['filtered'] });
		const b = await gen({ prompt: 'a forbidden thing' });
		expect(b.status).toBe(451);
		expect(b.json).toEqual({
			error: {
				message: 'The request was rejected by content moderation',
				type: 'censorship_blocked',
			},
		});
		const f = await gen({ prompt: 'something filtered', seed: 4 });
		expect(f.status).toBe(200);
		expect(f.json.data).toEqual([{ finish_reason: 'content_filtered', seed: 4 }]);
		const fe = await editWithFormData({ ...edit2, prompt: 'filtered' }, fixture('input-64x48.png'));
		expect(fe.json.data[0].finish_reason).toBe('content_filtered');
		expect(fe.json.data[0].b64_json).toBeUndefined();
		expect((await gen({ prompt: 'fine' })).status).toBe(200);
	});

	test('retiredModels, retiredEndpoint 404/503, insufficientBalance', async () => {
		sim.setFaults({ retiredModels: ['step-image-edit-2'] });
		const r = await generate({ model: 'step-image-edit-2', prompt: 'x' });
		expect(r.json).toEqual({
			error: { message: 'model step-image-edit-2 not supported', type: 'request_params_invalid' },
		});
		const models = await (await fetch(`${sim.stepPlanBaseUrl}/models`, { headers: AUTH })).json();
		expect(models.data.map((m: Json) => m.id)).toEqual(['step-2x-large']);
		sim.setFaults({ retiredModels: [], retiredEndpoint: 404 });
		expect((await gen()).status).toBe(404);
		expect((await editWithFormData(edit2, fixture('input-64x48.png'))).status).toBe(404);
		expect((await fetch(`${sim.stepPlanBaseUrl}/models`, { headers: AUTH })).status).toBe(200);
		sim.setFaults({ retiredEndpoint: 503 });
		for (let i = 0; i < 3; i++) {
			const s = await gen();
			expect(s.status).toBe(503);
			expect(s.json).toEqual({
				error: { message: 'Service unavailable', type: 'service_unavailable' },
			});
		}
		sim.setFaults({ retiredEndpoint: 0, insufficientBalance: true });
		const p = await gen();
		expect(p.status).toBe(402);
		expect(p.json).toEqual({
			error: { message: 'Insufficient account balance', type: 'insufficient_balance' },
		});
		expect((await gen({ steps: 99 })).status).toBe(400);
	});

	test('extraModels: a free-text model id usable like step-image-edit-2', async () => {
		expect((await generate({ model: 'step-image-edit-3', prompt: 'x' })).status).toBe(400);
		sim.setFaults({ extraModels: ['step-image-edit-3'] });
		expect((await generate({ model: 'step-image-edit-3', prompt: 'x' })).status).toBe(200);
	});

	test('malformed responses', async () => {
		sim.setFaults({ malformed: 'no-data' });
		const a = await gen();
		expect(a.status).toBe(200);
		expect(a.json.data).toBeUndefined();
		expect(a.json.id).toBeDefined();
		sim.setFaults({ malformed: 'empty-b64' });
		expect((await gen()).json.data[0].b64_json).toBe('');
		expect((await gen({ response_format: 'url' })).json.data[0].url).toBe('');
		sim.setFaults({ malformed: 'not-json' });
		const c = await gen();
		expect(c.status).toBe(200);
		expect(c.json).toBeUndefined();
		expect(c.headers.get('content-type')).toBe('application/json');
		sim.setFaults({ malformed: 'bad-b64' });
		const d = await gen();
		expect(() => decodePng(Buffer.from(d.json.data[0].b64_json, 'base64'))).toThrow();
		const e = await gen({ response_format: 'url' });
		const bytes = Buffer.from(await (await fetch(e.json.data[0].url)).arrayBuffer());
		expect(imageInfo(bytes)).toBeUndefined();
	});

	test('urlExpired and fileTtlMs → /files 404', async () => {
		const r = await gen({ response_format: 'url' });
		expect((await fetch(r.json.data[0].url)).status).toBe(200);
		sim.setFaults({ urlExpired: true });
		expect((await fetch(r.json.data[0].url)).status).toBe(404);
		sim.setFaults({ urlExpired: false, fileTtlMs: 150 });
		const r2 = await gen({ response_format: 'url' });
		expect((await fetch(r2.json.data[0].url)).status).toBe(200);
		await delay(200);
		expect((await fetch(r2.json.data[0].url)).status).toBe(404);
	});

	test('setFaults merges, faults reports, reset restores start options', async () => {
		const s = await startSimulator({ latencyMs: 10, script: [{ status: 500 }] });
		try {
			s.setFaults({ rpm: 5 });
			expect(s.faults.latencyMs).toBe(10);
			expect(s.faults.rpm).toBe(5);
			const h = { headers: AUTH };
			expect((await fetch(`${s.openPlatformBaseUrl}/models`, h)).status).toBe(500);
			expect((await fetch(`${s.openPlatformBaseUrl}/models`, h)).status).toBe(200);
			s.reset();
			expect(s.faults.rpm).toBe(0);
			expect(s.requests).toHaveLength(0);
			expect(s.stats()).toMatchObject({
				received: 0,
				accepted: 0,
				rejected429: 0,
				byStatus: {},
				maxInFlight: 0,
			});
			expect((await fetch(`${s.openPlatformBaseUrl}/models`, h)).status).toBe(500); // script restored
		} finally {
			await s.close();
		}
	});

	test('close() ends hanging requests and open keep-alive sockets', async () => {
		const s = await startSimulator({ hangRate: 1, hangMs: 60000 });
		const pending = fetch(`${s.stepPlanBaseUrl}/models`, { headers: AUTH }).then(
			(r) => r.status,
			() => 'failed',
		);
		await delay(100);
		const t = Date.now();
		await s.close();
		expect(Date.now() - t).toBeLessThan(1000);
		expect(await pending).toBe('failed');
	});
});
