// Tests of the StepFun image API simulator itself, over real HTTP.
// No Node built-ins here (strict n8n lint): Node-level helpers live in ./fixtures.js and ./png.js.
import FormDataPkg from 'form-data';
import { startSimulator, makePng, imageInfo, type Simulator, type SimulatorOptions, type SimulatorFaults } from './index';
import { decodePng } from './png';
import { readFixture, FIXTURES, delay } from '../fixtures';

const KEY = 'sk-simulator';
const AUTH = { authorization: `Bearer ${KEY}` };
const JSON_HEADERS = { ...AUTH, 'content-type': 'application/json' };

let sim: Simulator;

beforeAll(async () => {
	sim = await startSimulator({ randomSeed: 42 });
});
afterAll(async () => {
	await sim.close();
});
beforeEach(() => {
	sim.reset();
});

// JSON.parse's own result type: API bodies are arbitrary JSON.
type Json = ReturnType<typeof JSON.parse>;

async function generate(body: unknown, base = sim.stepPlanBaseUrl, headers: Record<string, string> = JSON_HEADERS) {
	const res = await fetch(`${base}/images/generations`, {
		method: 'POST',
		headers,
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await res.text();
	let json: Json | undefined;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, json: json as Json, text, headers: res.headers };
}

function formBody(fields: Record<string, string>, image?: { data: Buffer; filename: string; contentType: string }) {
	const form = new FormDataPkg();
	for (const [k, v] of Object.entries(fields)) form.append(k, v);
	if (image) form.append('image', image.data, { filename: image.filename, contentType: image.contentType });
	return form;
}

/** POST /images/edits with the `form-data` package (like curl -F). */
async function editWithFormData(
	fields: Record<string, string>,
	image?: { data: Buffer; filename: string; contentType: string },
	extraImages: Array<{ data: Buffer; filename: string; contentType: string }> = [],
) {
	const form = formBody(fields, image);
	for (const img of extraImages) form.append('image', img.data, { filename: img.filename, contentType: img.contentType });
	const res = await fetch(`${sim.stepPlanBaseUrl}/images/edits`, {
		method: 'POST',
		headers: { ...AUTH, ...form.getHeaders() },
		body: bytes(form.getBuffer()),
	});
	const text = await res.text();
	let json: Json | undefined;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, json: json as Json, text, headers: res.headers };
}

/** A Buffer as a fetch body (TS's BodyInit does not include Buffer). */
const bytes = (b: Buffer) => new Uint8Array(b);
const pngOf = (b64: string) => decodePng(Buffer.from(b64, 'base64'));
const edit2 = { model: 'step-image-edit-2', prompt: 'a cat', response_format: 'b64_json' };
const fixture = (name: string) => ({ data: readFixture(name), filename: name, contentType: FIXTURES[name].mimeType });

function expectInvalid(r: { status: number; json: Json }, field: string) {
	expect(r.status).toBe(400);
	expect(r.json.error.type).toBe('request_params_invalid');
	expect(r.json.error.message).toContain(field);
}

/** Comparable summary of an expected-400 answer (shows the offending patch when it fails). */
function invalidSummary(patch: unknown, r: { status: number; json: Json }, field: string) {
	const message = String(r.json?.error?.message ?? '');
	return { patch, status: r.status, type: r.json?.error?.type, namesField: message.includes(field) };
}

describe('auth, routing, models', () => {
	test('missing or wrong key → 401 invalid_api_key; right key → 200', async () => {
		for (const headers of [{}, { authorization: 'Bearer sk-wrong' }, { authorization: KEY }] as Array<Record<string, string>>) {
			const res = await fetch(`${sim.stepPlanBaseUrl}/models`, { headers });
			expect(res.status).toBe(401);
			expect(await res.json()).toEqual({ error: { message: 'Incorrect API key provided', type: 'invalid_api_key' } });
		}
		const r = await generate({ ...edit2 }, sim.stepPlanBaseUrl, { 'content-type': 'application/json', authorization: 'Bearer nope' });
		expect(r.status).toBe(401);
		const ok = await fetch(`${sim.stepPlanBaseUrl}/models`, { headers: AUTH });
		expect(ok.status).toBe(200);
	});

	test('custom apiKey option', async () => {
		const s = await startSimulator({ apiKey: 'sk-other' });
		try {
			expect((await fetch(`${s.openPlatformBaseUrl}/models`, { headers: AUTH })).status).toBe(401);
			expect((await fetch(`${s.openPlatformBaseUrl}/models`, { headers: { authorization: 'Bearer sk-other' } })).status).toBe(200);
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
				expect(m).toEqual({ id: m.id, object: 'model', created: expect.any(Number), owned_by: 'stepfun' });
			}
		}
	});

	test('unknown path → 404, wrong method → 405, both with error bodies', async () => {
		for (const p of ['/v2/models', '/step_plan/v1/images/variations', '/v1/chat/completions', '/']) {
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
		await expect(startSimulator({ latencyMS: 5 } as unknown as SimulatorOptions)).rejects.toThrow(/latencyMS/);
		expect(() => sim.setFaults({ nope: 1 } as unknown as SimulatorFaults)).toThrow(/nope/);
	});
});

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
		const base = { model: 'step-image-edit-2', prompt: 'lighthouse', response_format: 'b64_json', seed: 7, size: '768x1360' };
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
				const r = await generate({ model, prompt: 'p', size, response_format: 'b64_json', seed: 3 });
				expect(r.status).toBe(200);
				const png = pngOf(r.json.data[0].b64_json);
				expect(`${png.width}x${png.height}`).toBe(size);
			}
			const def = await generate({ model, prompt: 'p', response_format: 'b64_json', seed: 3 });
			expect(`${pngOf(def.json.data[0].b64_json).width}x${pngOf(def.json.data[0].b64_json).height}`).toBe('1024x1024');
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

	test('prompt: Chinese accepted, counted in code points (512 astral ok, 513 rejected), required, non-empty', async () => {
		expect((await generate({ model: 'step-image-edit-2', prompt: '采菊东篱下，悠然见南山' })).status).toBe(200);
		const astral = '😀'.repeat(512);
		expect(astral.length).toBe(1024);
		expect((await generate({ model: 'step-image-edit-2', prompt: astral })).status).toBe(200);
		expect((await generate({ model: 'step-image-edit-2', prompt: 'a'.repeat(512) })).status).toBe(200);
		expect((await generate({ model: 'step-image-edit-2', prompt: '山'.repeat(512) })).status).toBe(200);
		expectInvalid(await generate({ model: 'step-image-edit-2', prompt: 'a'.repeat(513) }), 'prompt');
		expectInvalid(await generate({ model: 'step-image-edit-2', prompt: '😀'.repeat(513) }), 'prompt');
		expectInvalid(await generate({ model: 'step-image-edit-2' }), 'prompt');
		expectInvalid(await generate({ model: 'step-image-edit-2', prompt: '' }), 'prompt');
		expectInvalid(await generate({ model: 'step-image-edit-2', prompt: '   ' }), 'prompt');
		expectInvalid(await generate({ model: 'step-image-edit-2', prompt: 5 }), 'prompt');
		expectInvalid(await generate({ model: 'step-image-edit-2', prompt: ['a'] }), 'prompt');
	});

	test('model: required, string, supported', async () => {
		expectInvalid(await generate({ prompt: 'x' }), 'model');
		expectInvalid(await generate({ model: 7, prompt: 'x' }), 'model');
		const r = await generate({ model: 'step-1x-medium', prompt: 'x' });
		expect(r.status).toBe(400);
		expect(r.json).toEqual({ error: { message: 'model step-1x-medium not supported', type: 'request_params_invalid' } });
	});

	test('range and type checks', async () => {
		const ok = { model: 'step-image-edit-2', prompt: 'x' };
		const bad: Array<[Json, string]> = [
			[{ seed: -1 }, 'seed'],
			[{ seed: 2147483648 }, 'seed'],
			[{ seed: 1.5 }, 'seed'],
			[{ seed: '1' }, 'seed'],
			[{ seed: null }, 'seed'],
			[{ steps: 0 }, 'steps'],
			[{ steps: 51 }, 'steps'],
			[{ steps: 2.5 }, 'steps'],
			[{ steps: '8' }, 'steps'],
			[{ cfg_scale: 0.99 }, 'cfg_scale'],
			[{ cfg_scale: 10.01 }, 'cfg_scale'],
			[{ cfg_scale: '1.0' }, 'cfg_scale'],
			[{ n: 2 }, 'n'],
			[{ n: 0 }, 'n'],
			[{ n: '1' }, 'n'],
			[{ response_format: 'png' }, 'response_format'],
			[{ response_format: 'b64' }, 'response_format'],
			[{ text_mode: 'true' }, 'text_mode'],
			[{ text_mode: 1 }, 'text_mode'],
			[{ negative_prompt: 'n'.repeat(513) }, 'negative_prompt'],
			[{ negative_prompt: 3 }, 'negative_prompt'],
			[{ size: null }, 'size'],
		];
		for (const [patch, field] of bad) {
			const r = await generate({ ...ok, ...patch });
			expect(invalidSummary(patch, r, field)).toEqual({ patch, status: 400, type: 'request_params_invalid', namesField: true });
		}
		const good: Json[] = [
			{ seed: 0 },
			{ seed: 2147483647 },
			{ steps: 1 },
			{ steps: 50 },
			{ cfg_scale: 1 },
			{ cfg_scale: 10.0 },
			{ cfg_scale: 7.5 },
			{ n: 1 },
			{ text_mode: false },
			{ negative_prompt: 'n'.repeat(512) },
			{ response_format: 'url' },
			{ unknown_extra_field: 'ignored' },
		];
		for (const patch of good) {
			const r = await generate({ ...ok, ...patch });
			expect({ patch, status: r.status, body: r.status === 200 ? '' : r.text }).toEqual({ patch, status: 200, body: '' });
		}
		const zero = await generate({ ...ok, seed: 0, response_format: 'b64_json' });
		expect(zero.json.data[0].seed).toBe(0);
	});

	test('step-2x-large rejects text_mode and negative_prompt; seed 0 means random', async () => {
		const base = { model: 'step-2x-large', prompt: 'x', size: '256x256' };
		expectInvalid(await generate({ ...base, text_mode: false }), 'text_mode');
		expectInvalid(await generate({ ...base, negative_prompt: 'blur' }), 'negative_prompt');
		const r = await generate({ ...base, seed: 0, steps: 50, cfg_scale: 6 });
		expect(r.status).toBe(200);
		expect(r.json.data[0].seed).toBeGreaterThan(0);
		const r2 = await generate({ ...base, seed: 12 });
		expect(r2.json.data[0].seed).toBe(12);
	});

	test('omitted seed → random seed from the seeded PRNG, reported, reproducible across simulators', async () => {
		const seeds = async (s: Simulator) => {
			const out: number[] = [];
			for (let i = 0; i < 3; i++) {
				const res = await fetch(`${s.stepPlanBaseUrl}/images/generations`, {
					method: 'POST',
					headers: JSON_HEADERS,
					body: JSON.stringify({ model: 'step-2x-large', prompt: 'x', size: '256x256' }),
				});
				out.push((await res.json()).data[0].seed);
			}
			return out;
		};
		const s1 = await startSimulator({ randomSeed: 5 });
		const s2 = await startSimulator({ randomSeed: 5 });
		try {
			const a = await seeds(s1);
			const b = await seeds(s2);
			expect(a).toEqual(b);
			expect(new Set(a).size).toBe(3);
			for (const x of a) expect(Number.isInteger(x) && x >= 1 && x <= 2147483647).toBe(true);
		} finally {
			await s1.close();
			await s2.close();
		}
	});

	test('non-JSON content type, invalid JSON, non-object → 400', async () => {
		const body = JSON.stringify({ model: 'step-image-edit-2', prompt: 'x' });
		expectInvalid(await generate(body, sim.stepPlanBaseUrl, { ...AUTH, 'content-type': 'text/plain' }), 'Content-Type');
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
		expect((await generate(body, sim.stepPlanBaseUrl, { ...AUTH, 'content-type': 'application/json; charset=utf-8' })).status).toBe(200);
	});

	test('response_format url (default): file served without auth, request recorded without Authorization', async () => {
		const r = await generate({ model: 'step-image-edit-2', prompt: 'x', seed: 9, size: '896x1184' });
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
		const b = await generate({ model: 'step-image-edit-2', prompt: 'x', seed: 9, size: '896x1184', response_format: 'b64_json' });
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

describe('POST /images/edits', () => {
	test.each(Object.keys(FIXTURES))('form-data (curl -F) with %s → PNG of the same size', async (name) => {
		const fx = FIXTURES[name];
		const info = imageInfo(readFixture(name))!;
		expect([info.format, info.width, info.height]).toEqual([fx.format, fx.width, fx.height]);
		const r = await editWithFormData(
			{
				model: 'step-image-edit-2',
				prompt: '让图中角色骑自行车，手上举个牌子写着"沙特阿拉伯"',
				response_format: 'b64_json',
				cfg_scale: '1.0',
				steps: '8',
				seed: '1',
				text_mode: 'true',
			},
			fixture(name),
		);
		expect(r.status).toBe(200);
		expect(r.json.data[0].seed).toBe(1);
		expect(r.json.data[0].finish_reason).toBe('success');
		const png = pngOf(r.json.data[0].b64_json);
		expect([png.width, png.height]).toEqual([fx.width, fx.height]);
		const rec = sim.requests[0];
		expect(rec.fields.prompt).toBe('让图中角色骑自行车，手上举个牌子写着"沙特阿拉伯"');
		expect(rec.fields.text_mode).toBe('true');
		expect(rec.files).toHaveLength(1);
		expect(rec.files[0]).toMatchObject({ field: 'image', filename: name, contentType: fx.mimeType, size: readFixture(name).length });
		expect(rec.files[0].data.equals(readFixture(name))).toBe(true);
		expect(rec.files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
		expect(rec.files[0]).toMatchObject({ format: fx.format, width: fx.width, height: fx.height });
	});

	test('native FormData + Blob works; output deterministic from image, prompt and seed', async () => {
		const send = async (img: Buffer, prompt: string, seed: string) => {
			const fd = new FormData();
			fd.append('model', 'step-image-edit-2');
			fd.append('prompt', prompt);
			fd.append('response_format', 'b64_json');
			fd.append('seed', seed);
			fd.append('image', new Blob([new Uint8Array(img)], { type: 'image/png' }), 'in.png');
			const res = await fetch(`${sim.openPlatformBaseUrl}/images/edits`, { method: 'POST', headers: AUTH, body: fd });
			expect(res.status).toBe(200);
			return (await res.json()).data[0].b64_json as string;
		};
		const img = readFixture('input-64x48.png');
		const a = await send(img, '你好', '5');
		expect([pngOf(a).width, pngOf(a).height]).toEqual([64, 48]);
		expect(await send(img, '你好', '5')).toBe(a);
		expect(await send(img, '你好', '6')).not.toBe(a);
		expect(await send(img, '你好!', '5')).not.toBe(a);
		expect(await send(makePng(64, 48, 'other'), '你好', '5')).not.toBe(a);
		expect(sim.requests[0].fields.prompt).toBe('你好');
	});

	test('form-data streamed with form.submit (chunked-like upload, as curl does)', async () => {
		const form = formBody(
			{ model: 'step-image-edit-2', prompt: 'x', response_format: 'b64_json' },
			fixture('progressive-120x90.jpg'),
		);
		const u = new URL(`${sim.stepPlanBaseUrl}/images/edits`);
		const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
			form.submit(
				{ host: u.hostname, port: u.port, path: u.pathname, headers: AUTH, protocol: 'http:' },
				(err, res) => {
					if (err) return reject(err);
					let data = '';
					res.setEncoding('utf8');
					res.on('data', (c: string) => (data += c));
					res.on('end', () => resolve({ status: res.statusCode ?? 0, body: data }));
					res.on('error', reject);
				},
			);
		});
		expect(status).toBe(200);
		const png = pngOf(JSON.parse(body).data[0].b64_json);
		expect([png.width, png.height]).toEqual([120, 90]);
	});

	test('url response for edits', async () => {
		const r = await editWithFormData({ model: 'step-image-edit-2', prompt: 'x' }, fixture('input-96x72.webp'));
		expect(r.status).toBe(200);
		const img = await fetch(r.json.data[0].url);
		const png = decodePng(Buffer.from(await img.arrayBuffer()));
		expect([png.width, png.height]).toEqual([96, 72]);
	});

	test('wrong content types → 400', async () => {
		const json = await fetch(`${sim.stepPlanBaseUrl}/images/edits`, {
			method: 'POST',
			headers: JSON_HEADERS,
			body: JSON.stringify({ model: 'step-image-edit-2', prompt: 'x', image: readFixture('input-64x48.png').toString('base64') }),
		});
		expect(json.status).toBe(400);
		expect((await json.json()).error.message).toContain('multipart/form-data');
		const urlenc = await fetch(`${sim.stepPlanBaseUrl}/images/edits`, {
			method: 'POST',
			headers: AUTH,
			body: new URLSearchParams({ model: 'step-image-edit-2', prompt: 'x' }),
		});
		expect(urlenc.status).toBe(400);
		const noBoundary = await fetch(`${sim.stepPlanBaseUrl}/images/edits`, {
			method: 'POST',
			headers: { ...AUTH, 'content-type': 'multipart/form-data' },
			body: 'x',
		});
		expect(noBoundary.status).toBe(400);
		const broken = await fetch(`${sim.stepPlanBaseUrl}/images/edits`, {
			method: 'POST',
			headers: { ...AUTH, 'content-type': 'multipart/form-data; boundary=abc' },
			body: '--abc\r\nContent-Disposition: form-data; name="model"\r\n\r\nstep-image-edit-2',
		});
		expect(broken.status).toBe(400);
		expect((await broken.json()).error.message).toContain('multipart');
	});

	test('hand-written multipart with a quoted boundary, preamble and UTF-8 filename is parsed', async () => {
		const b = 'we:ird "bound"ary';
		const img = readFixture('input-80x60.jpg');
		const body = Buffer.concat([
			Buffer.from(`preamble\r\n--${b}\r\nContent-Disposition: form-data; name="model"\r\n\r\nstep-image-edit-2\r\n`),
			Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="prompt"\r\n\r\n第一行\r\n第二行\r\n`),
			Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="image"; filename="图片.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`),
			img,
			Buffer.from(`\r\n--${b}--\r\nepilogue`),
		]);
		const res = await fetch(`${sim.stepPlanBaseUrl}/images/edits`, {
			method: 'POST',
			headers: { ...AUTH, 'content-type': `multipart/form-data; boundary="we:ird \\"bound\\"ary"` },
			body: bytes(body),
		});
		expect(res.status).toBe(200);
		const rec = sim.requests[0];
		expect(rec.fields.prompt).toBe('第一行\r\n第二行');
		expect(rec.files[0].filename).toBe('图片.jpg');
		expect(rec.files[0].data.equals(img)).toBe(true);
	});

	test('image required, exactly one, real PNG/JPEG/WebP, ≤ 4096 px', async () => {
		const fields = { ...edit2 };
		expectInvalid(await editWithFormData(fields), 'image');
		expectInvalid(
			await editWithFormData(fields, fixture('input-64x48.png'), [fixture('input-80x60.jpg')]),
			'image',
		);
		const notImage = await editWithFormData(fields, { data: Buffer.from('GIF89a this is not really an image at all'), filename: 'x.png', contentType: 'image/png' });
		expectInvalid(notImage, 'unsupported image format');
		const text = await editWithFormData(fields, { data: Buffer.from('hello world, plain text'), filename: 'x.txt', contentType: 'text/plain' });
		expectInvalid(text, 'unsupported image format');
		const big = await editWithFormData(fields, { data: makePng(4097, 10), filename: 'big.png', contentType: 'image/png' });
		expectInvalid(big, '4097x10');
		const tall = await editWithFormData(fields, { data: makePng(8, 4097), filename: 'tall.png', contentType: 'image/png' });
		expectInvalid(tall, 'image');
		const edge = await editWithFormData(fields, { data: makePng(4096, 10), filename: 'edge.png', contentType: 'image/png' });
		expect(edge.status).toBe(200);
		expect(pngOf(edge.json.data[0].b64_json).width).toBe(4096);
		const truncated = await editWithFormData(fields, { data: readFixture('input-80x60.jpg').subarray(0, 12), filename: 'x.jpg', contentType: 'image/jpeg' });
		expectInvalid(truncated, 'image');
		// image as a text field
		const form = formBody(fields);
		form.append('image', 'not-a-file');
		const res = await fetch(`${sim.stepPlanBaseUrl}/images/edits`, { method: 'POST', headers: { ...AUTH, ...form.getHeaders() }, body: bytes(form.getBuffer()) });
		expect(res.status).toBe(400);
		// a file under another field name
		const form2 = formBody(fields, fixture('input-64x48.png'));
		form2.append('mask', readFixture('input-64x48.png'), { filename: 'mask.png', contentType: 'image/png' });
		const res2 = await fetch(`${sim.stepPlanBaseUrl}/images/edits`, { method: 'POST', headers: { ...AUTH, ...form2.getHeaders() }, body: bytes(form2.getBuffer()) });
		expect(res2.status).toBe(400);
		expect((await res2.json()).error.message).toContain('mask');
	});

	test('a 4096x4096 input is edited into a 4096x4096 PNG in reasonable time', async () => {
		const big = makePng(4096, 4096, 'big');
		const t0 = Date.now();
		const r = await editWithFormData({ ...edit2, seed: '3' }, { data: big, filename: 'big.png', contentType: 'image/png' });
		const ms = Date.now() - t0;
		expect(r.status).toBe(200);
		const out = Buffer.from(r.json.data[0].b64_json, 'base64');
		const info = imageInfo(out)!;
		expect([info.width, info.height]).toEqual([4096, 4096]);
		expect(ms).toBeLessThan(5000);
		expect(sim.requests[0].files[0].size).toBe(big.length);
	});

	test('model and field validation for edits (string forms)', async () => {
		const img = fixture('input-64x48.png');
		const r = await editWithFormData({ ...edit2, model: 'step-2x-large' }, img);
		expectInvalid(r, 'step-2x-large');
		expect(r.json.error.message).toContain('not supported');
		expectInvalid(await editWithFormData({ ...edit2, model: 'step-9' }, img), 'model step-9 not supported');
		expectInvalid(await editWithFormData({ prompt: 'x' }, img), 'model');
		expectInvalid(await editWithFormData({ model: 'step-image-edit-2' }, img), 'prompt');
		expectInvalid(await editWithFormData({ ...edit2, prompt: 'a'.repeat(513) }, img), 'prompt');
		expect((await editWithFormData({ ...edit2, prompt: '😀'.repeat(512) }, img)).status).toBe(200);
		const bad: Array<[Record<string, string>, string]> = [
			[{ seed: '-1' }, 'seed'],
			[{ seed: '2147483648' }, 'seed'],
			[{ seed: '1.5' }, 'seed'],
			[{ seed: 'abc' }, 'seed'],
			[{ seed: '' }, 'seed'],
			[{ steps: '0' }, 'steps'],
			[{ steps: '51' }, 'steps'],
			[{ cfg_scale: '0.5' }, 'cfg_scale'],
			[{ cfg_scale: '10.5' }, 'cfg_scale'],
			[{ cfg_scale: 'high' }, 'cfg_scale'],
			[{ text_mode: 'yes' }, 'text_mode'],
			[{ text_mode: 'True' }, 'text_mode'],
			[{ text_mode: '1' }, 'text_mode'],
			[{ n: '2' }, 'n'],
			[{ response_format: 'png' }, 'response_format'],
			[{ negative_prompt: 'x'.repeat(513) }, 'negative_prompt'],
		];
		for (const [patch, field] of bad) {
			const res = await editWithFormData({ ...edit2, ...patch }, img);
			expect(invalidSummary(patch, res, field)).toEqual({ patch, status: 400, type: 'request_params_invalid', namesField: true });
		}
		const good: Array<Record<string, string>> = [
			{ seed: '0' },
			{ seed: '2147483647' },
			{ steps: '1' },
			{ steps: '50' },
			{ cfg_scale: '1' },
			{ cfg_scale: '10.0' },
			{ text_mode: 'false' },
			{ n: '1' },
			{ size: '9999x9999' }, // ignored for edits
			{ negative_prompt: '模糊' },
		];
		for (const patch of good) {
			const res = await editWithFormData({ ...edit2, ...patch }, img);
			expect({ patch, status: res.status, body: res.status === 200 ? '' : res.text }).toEqual({ patch, status: 200, body: '' });
			expect([pngOf(res.json.data[0].b64_json).width, pngOf(res.json.data[0].b64_json).height]).toEqual([64, 48]);
		}
		// duplicate text field
		expectInvalid(await editWithFormData({ ...edit2 }, img).then(async () => {
			const form = formBody({ ...edit2, seed: '1' }, img);
			form.append('seed', '2');
			const res = await fetch(`${sim.stepPlanBaseUrl}/images/edits`, { method: 'POST', headers: { ...AUTH, ...form.getHeaders() }, body: bytes(form.getBuffer()) });
			return { status: res.status, json: await res.json() };
		}), 'seed');
	});
});

describe('fault knobs', () => {
	const gen = (extra: Json = {}) => generate({ model: 'step-2x-large', prompt: 'x', size: '256x256', response_format: 'b64_json', ...extra });

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
		expect(limited.json).toEqual({ error: { message: 'Too many concurrent requests', type: 'rate_limit_exceeded' } });
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
		expect(r.json).toEqual({ error: { message: 'Rate limit reached: 2 requests per minute', type: 'rate_limit_exceeded' } });
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
			body: JSON.stringify({ model: 'step-2x-large', prompt: 'x', size: '256x256', response_format: 'b64_json' }),
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
		sim.setFaults({ script: [{ status: 503 }, { status: 503 }, null, { status: 429, headers: { 'Retry-After': '3' } }] });
		const a = await gen();
		expect(a.status).toBe(503);
		expect(a.json).toEqual({ error: { message: 'Service unavailable', type: 'service_unavailable' } });
		expect((await gen()).status).toBe(503);
		expect((await gen()).status).toBe(200);
		const d = await gen();
		expect(d.status).toBe(429);
		expect(d.headers.get('retry-after')).toBe('3');
		expect((await gen()).status).toBe(200); // script exhausted
		sim.setFaults({ script: [{ reset: true }, { truncate: true }, { hangMs: 200 }, { status: 500, body: 'plain text oops' }, { status: 400, body: { error: { message: 'custom', type: 'x' } } }] });
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
		expect(sim.apiRequests().map((r) => r.fault)).toEqual(['script', 'script', null, 'script', null, 'script', 'script', 'script', 'script', 'script']);
	});

	test('blockedPrompts → 451; filteredPrompts → 200 content_filtered without image', async () => {
		sim.setFaults({ blockedPrompts: ['forbidden'], filteredPrompts: ['filtered'] });
		const b = await gen({ prompt: 'a forbidden thing' });
		expect(b.status).toBe(451);
		expect(b.json).toEqual({ error: { message: 'The request was rejected by content moderation', type: 'censorship_blocked' } });
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
		expect(r.json).toEqual({ error: { message: 'model step-image-edit-2 not supported', type: 'request_params_invalid' } });
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
			expect(s.json).toEqual({ error: { message: 'Service unavailable', type: 'service_unavailable' } });
		}
		sim.setFaults({ retiredEndpoint: 0, insufficientBalance: true });
		const p = await gen();
		expect(p.status).toBe(402);
		expect(p.json).toEqual({ error: { message: 'Insufficient account balance', type: 'insufficient_balance' } });
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
			expect(s.stats()).toMatchObject({ received: 0, accepted: 0, rejected429: 0, byStatus: {}, maxInFlight: 0 });
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

describe('request log', () => {
	test('records method, path, query, headers, auth, body, status, trace id, timings', async () => {
		const before = Date.now();
		await fetch(`${sim.openPlatformBaseUrl}/models?limit=5&x=%E4%BD%A0`, { headers: { ...AUTH, 'X-Custom-Header': 'Yes' } });
		const r = await generate({ model: 'step-image-edit-2', prompt: '你好', seed: 3, response_format: 'b64_json' }, sim.openPlatformBaseUrl);
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
		expect(g).toMatchObject({ id: 2, method: 'POST', path: '/v1/images/generations', contentType: 'application/json', status: 200, seedUsed: 3 });
		expect(g.json).toEqual({ model: 'step-image-edit-2', prompt: '你好', seed: 3, response_format: 'b64_json' });
		expect(g.rawBodySize).toBe(Buffer.byteLength(JSON.stringify(g.json)));
		expect(g.traceId).toBe(r.headers.get('x-trace-id'));
		expect(g.output).toEqual({ width: 1024, height: 1024 });
		expect(e.path).toBe('/step_plan/v1/images/edits');
		expect(e.contentType).toMatch(/^multipart\/form-data; boundary=/);
		expect(e.fields).toEqual({ model: 'step-image-edit-2', prompt: 'a cat', response_format: 'b64_json', seed: '2' });
		expect(e.files[0].sha256).toHaveLength(64);
		expect(e.rawBodySize).toBeGreaterThan(e.files[0].size);
		expect(new Set(sim.requests.map((x) => x.traceId)).size).toBe(3);
	});
});
