// POST /images/generations: answers, sizes, determinism, content types and url answers.
import { decodePng } from './png.cjs';
import {
	sim,
	useSimulator,
	AUTH,
	generate,
	formBody,
	bytes,
	pngOf,
	expectInvalid,
} from './sim-test-helpers';

useSimulator();

describe('POST /images/generations', () => {
	test('the seed curl example with every field: b64 PNG 1024x1024, seed echoed', async () => {
		const body = {
			model: 'step-image-edit-2',
			prompt: '采菊东篱下，悠然见南山',
			response_format: 'b64_json',
			cfg_scale: 1.0,
			steps: 8,
			seed: 1,
			text_mode: true,
			size: '1024x1024',
			n: 1,
			negative_prompt: 'blurry',
		};
		const r = await generate(body);
		expect(r.status).toBe(200);
		expect(r.json.id).toMatch(/^[0-9a-f]+$/);
		expect(Math.abs(r.json.created - Date.now() / 1000)).toBeLessThan(5);
		expect(r.json.data).toHaveLength(1);
		expect(r.json.data[0].finish_reason).toBe('success');
		expect(r.json.data[0].seed).toBe(1);
		expect(r.json.data[0].url).toBeUndefined();
		const png = pngOf(r.json.data[0].b64_json);
		expect([png.width, png.height, png.bitDepth, png.colorType]).toEqual([1024, 1024, 8, 2]);
		expect(png.pixels!.length).toBe(1024 * 1024 * 3);
		// recorded
		const rec = sim.requests[0];
		expect(rec.json).toEqual(body);
		expect(rec.status).toBe(200);
		expect(rec.traceId).toBe(r.headers.get('x-trace-id'));
	});

	test('same inputs → identical bytes; different seed / prompt / model → different', async () => {
		const base = {
			model: 'step-image-edit-2',
			prompt: 'lighthouse',
			response_format: 'b64_json',
			seed: 7,
			size: '768x1360',
		};
		const a = await generate(base);
		const b = await generate({ ...base, steps: 20 });
		const c = await generate({ ...base, seed: 8 });
		const d = await generate({ ...base, prompt: 'lighthouse!' });
		const e = await generate({ ...base, model: 'step-2x-large', size: '1024x1024' });
		const f = await generate({ ...base, size: '1024x1024' });
		expect(a.json.data[0].b64_json).toBe(b.json.data[0].b64_json);
		expect(c.json.data[0].b64_json).not.toBe(a.json.data[0].b64_json);
		expect(d.json.data[0].b64_json).not.toBe(a.json.data[0].b64_json);
		expect(e.json.data[0].b64_json).not.toBe(f.json.data[0].b64_json);
	});

	test('sizes: exactly WxH (width x height) per model; defaults; other sizes rejected', async () => {
		const sizes: Record<string, string[]> = {
			'step-image-edit-2': ['1024x1024', '768x1360', '896x1184', '1360x768', '1184x896'],
			'step-2x-large': ['256x256', '512x512', '768x768', '1024x1024', '1280x800', '800x1280'],
		};
		for (const [model, list] of Object.entries(sizes)) {
			for (const size of list) {
				const r = await generate({
					model,
					prompt: 'p',
					size,
					response_format: 'b64_json',
					seed: 3,
				});
				expect(r.status).toBe(200);
				const png = pngOf(r.json.data[0].b64_json);
				expect(`${png.width}x${png.height}`).toBe(size);
			}
			const def = await generate({ model, prompt: 'p', response_format: 'b64_json', seed: 3 });
			expect(
				`${pngOf(def.json.data[0].b64_json).width}x${pngOf(def.json.data[0].b64_json).height}`,
			).toBe('1024x1024');
		}
		for (const [model, size] of [
			['step-image-edit-2', '256x256'],
			['step-image-edit-2', '1280x800'],
			['step-2x-large', '768x1360'],
			['step-2x-large', '1024X1024'],
			['step-2x-large', '1024*1024'],
			['step-2x-large', ''],
		]) {
			expectInvalid(await generate({ model, prompt: 'p', size }), 'size');
		}
		expectInvalid(await generate({ model: 'step-2x-large', prompt: 'p', size: 1024 }), 'size');
	});

	test('non-JSON content type, invalid JSON, non-object → 400', async () => {
		const body = JSON.stringify({ model: 'step-image-edit-2', prompt: 'x' });
		expectInvalid(
			await generate(body, sim.stepPlanBaseUrl, { ...AUTH, 'content-type': 'text/plain' }),
			'Content-Type',
		);
		expectInvalid(await generate(body, sim.stepPlanBaseUrl, { ...AUTH }), 'Content-Type');
		const form = formBody({ model: 'step-image-edit-2', prompt: 'x' });
		const r = await fetch(`${sim.stepPlanBaseUrl}/images/generations`, {
			method: 'POST',
			headers: { ...AUTH, ...form.getHeaders() },
			body: bytes(form.getBuffer()),
		});
		expect(r.status).toBe(400);
		expectInvalid(await generate('{"model":', sim.stepPlanBaseUrl), 'JSON');
		expectInvalid(await generate('[1]', sim.stepPlanBaseUrl), 'JSON object');
		expect(
			(
				await generate(body, sim.stepPlanBaseUrl, {
					...AUTH,
					'content-type': 'application/json; charset=utf-8',
				})
			).status,
		).toBe(200);
	});

	test('response_format url (default): file served without auth, request recorded without Authorization', async () => {
		const r = await generate({
			model: 'step-image-edit-2',
			prompt: 'x',
			seed: 9,
			size: '896x1184',
		});
		expect(r.status).toBe(200);
		const url: string = r.json.data[0].url;
		expect(r.json.data[0].b64_json).toBeUndefined();
		expect(url.startsWith(`${sim.url}/files/`)).toBe(true);
		expect(url).toMatch(/\.png$/);
		const img = await fetch(url);
		expect(img.status).toBe(200);
		expect(img.headers.get('content-type')).toBe('image/png');
		const png = decodePng(Buffer.from(await img.arrayBuffer()));
		expect([png.width, png.height]).toEqual([896, 1184]);
		// same bytes as the b64_json variant
		const b = await generate({
			model: 'step-image-edit-2',
			prompt: 'x',
			seed: 9,
			size: '896x1184',
			response_format: 'b64_json',
		});
		const fileReq = sim.fileRequests();
		expect(fileReq).toHaveLength(1);
		expect(fileReq[0].authorization).toBeUndefined();
		expect(fileReq[0].headers.authorization).toBeUndefined();
		expect(fileReq[0].status).toBe(200);
		expect(sim.requests[0].outputSha256).toBe(sim.requests[2].outputSha256);
		expect(b.json.data[0].b64_json.length).toBeGreaterThan(100);
		// unknown file → 404
		expect((await fetch(`${sim.url}/files/nope.png`)).status).toBe(404);
		// stats separate API and file requests
		expect(sim.stats().received).toBe(2);
		expect(sim.stats().files).toBe(2);
	});
});
