// POST /images/edits: content types, multipart parsing, the image checks and field validation.
import { makePng } from './index.cjs';
import { readFixture } from '../fixtures.cjs';
import {
	sim,
	useSimulator,
	AUTH,
	JSON_HEADERS,
	formBody,
	editWithFormData,
	bytes,
	pngOf,
	edit2,
	fixture,
	expectInvalid,
	invalidSummary,
} from './sim-test-helpers';

useSimulator();

describe('POST /images/edits', () => {
	test('wrong content types → 400', async () => {
		const json = await fetch(`${sim.stepPlanBaseUrl}/images/edits`, {
			method: 'POST',
			headers: JSON_HEADERS,
			body: JSON.stringify({
				model: 'step-image-edit-2',
				prompt: 'x',
				image: readFixture('input-64x48.png').toString('base64'),
			}),
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
			Buffer.from(
				`preamble\r\n--${b}\r\nContent-Disposition: form-data; name="model"\r\n\r\nstep-image-edit-2\r\n`,
			),
			Buffer.from(
				`--${b}\r\nContent-Disposition: form-data; name="prompt"\r\n\r\n第一行\r\n第二行\r\n`,
			),
			Buffer.from(
				`--${b}\r\nContent-Disposition: form-data; name="image"; filename="图片.jpg"\r\nContent-Type: image/jpeg\r\n\r\n`,
			),
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
		const notImage = await editWithFormData(fields, {
			data: Buffer.from('GIF89a this is not really an image at all'),
			filename: 'x.png',
			contentType: 'image/png',
		});
		expectInvalid(notImage, 'unsupported image format');
		const text = await editWithFormData(fields, {
			data: Buffer.from('hello world, plain text'),
			filename: 'x.txt',
			contentType: 'text/plain',
		});
		expectInvalid(text, 'unsupported image format');
		const big = await editWithFormData(fields, {
			data: makePng(4097, 10),
			filename: 'big.png',
			contentType: 'image/png',
		});
		expectInvalid(big, '4097x10');
		const tall = await editWithFormData(fields, {
			data: makePng(8, 4097),
			filename: 'tall.png',
			contentType: 'image/png',
		});
		expectInvalid(tall, 'image');
		const edge = await editWithFormData(fields, {
			data: makePng(4096, 10),
			filename: 'edge.png',
			contentType: 'image/png',
		});
		expect(edge.status).toBe(200);
		expect(pngOf(edge.json.data[0].b64_json).width).toBe(4096);
		const truncated = await editWithFormData(fields, {
			data: readFixture('input-80x60.jpg').subarray(0, 12),
			filename: 'x.jpg',
			contentType: 'image/jpeg',
		});
		expectInvalid(truncated, 'image');
		// image as a text field
		const form = formBody(fields);
		form.append('image', 'not-a-file');
		const res = await fetch(`${sim.stepPlanBaseUrl}/images/edits`, {
			method: 'POST',
			headers: { ...AUTH, ...form.getHeaders() },
			body: bytes(form.getBuffer()),
		});
		expect(res.status).toBe(400);
		// a file under another field name
		const form2 = formBody(fields, fixture('input-64x48.png'));
		form2.append('mask', readFixture('input-64x48.png'), {
			filename: 'mask.png',
			contentType: 'image/png',
		});
		const res2 = await fetch(`${sim.stepPlanBaseUrl}/images/edits`, {
			method: 'POST',
			headers: { ...AUTH, ...form2.getHeaders() },
			body: bytes(form2.getBuffer()),
		});
		expect(res2.status).toBe(400);
		expect((await res2.json()).error.message).toContain('mask');
	});

	test('model and field validation for edits (string forms)', async () => {
		const img = fixture('input-64x48.png');
		const r = await editWithFormData({ ...edit2, model: 'step-2x-large' }, img);
		expectInvalid(r, 'step-2x-large');
		expect(r.json.error.message).toContain('not supported');
		expectInvalid(
			await editWithFormData({ ...edit2, model: 'step-9' }, img),
			'model step-9 not supported',
		);
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
			expect(invalidSummary(patch, res, field)).toEqual({
				patch,
				status: 400,
				type: 'request_params_invalid',
				namesField: true,
			});
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
			expect({ patch, status: res.status, body: res.status === 200 ? '' : res.text }).toEqual({
				patch,
				status: 200,
				body: '',
			});
			expect([
				pngOf(res.json.data[0].b64_json).width,
				pngOf(res.json.data[0].b64_json).height,
			]).toEqual([64, 48]);
		}
		// duplicate text field
		expectInvalid(
			await editWithFormData({ ...edit2 }, img).then(async () => {
				const form = formBody({ ...edit2, seed: '1' }, img);
				form.append('seed', '2');
				const res = await fetch(`${sim.stepPlanBaseUrl}/images/edits`, {
					method: 'POST',
					headers: { ...AUTH, ...form.getHeaders() },
					body: bytes(form.getBuffer()),
				});
				return { status: res.status, json: await res.json() };
			}),
			'seed',
		);
	});
});
