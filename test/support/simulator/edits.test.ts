// POST /images/edits: every input format, the clients that send multipart, url answers, 4096x4096.
import { makePng, imageInfo } from './index.cjs';
import { decodePng } from './png.cjs';
import { readFixture, FIXTURES } from '../fixtures.cjs';
import {
	sim,
	useSimulator,
	AUTH,
	formBody,
	editWithFormData,
	pngOf,
	edit2,
	fixture,
} from './sim-test-helpers';

useSimulator();

describe('POST /images/edits', () => {
	test.each(Object.keys(FIXTURES))(
		'form-data (curl -F) with %s → PNG of the same size',
		async (name) => {
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
			expect(rec.files[0]).toMatchObject({
				field: 'image',
				filename: name,
				contentType: fx.mimeType,
				size: readFixture(name).length,
			});
			expect(rec.files[0].data.equals(readFixture(name))).toBe(true);
			expect(rec.files[0].sha256).toMatch(/^[0-9a-f]{64}$/);
			expect(rec.files[0]).toMatchObject({ format: fx.format, width: fx.width, height: fx.height });
		},
	);

	test('native FormData + Blob works; output deterministic from image, prompt and seed', async () => {
		const send = async (img: Buffer, prompt: string, seed: string) => {
			const fd = new FormData();
			fd.append('model', 'step-image-edit-2');
			fd.append('prompt', prompt);
			fd.append('response_format', 'b64_json');
			fd.append('seed', seed);
			fd.append('image', new Blob([new Uint8Array(img)], { type: 'image/png' }), 'in.png');
			const res = await fetch(`${sim.openPlatformBaseUrl}/images/edits`, {
				method: 'POST',
				headers: AUTH,
				body: fd,
			});
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
		const { status, body } = await new Promise<{ status: number; body: string }>(
			(resolve, reject) => {
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
			},
		);
		expect(status).toBe(200);
		const png = pngOf(JSON.parse(body).data[0].b64_json);
		expect([png.width, png.height]).toEqual([120, 90]);
	});

	test('url response for edits', async () => {
		const r = await editWithFormData(
			{ model: 'step-image-edit-2', prompt: 'x' },
			fixture('input-96x72.webp'),
		);
		expect(r.status).toBe(200);
		const img = await fetch(r.json.data[0].url);
		const png = decodePng(Buffer.from(await img.arrayBuffer()));
		expect([png.width, png.height]).toEqual([96, 72]);
	});

	test('a 4096x4096 input is edited into a 4096x4096 PNG in reasonable time', async () => {
		const big = makePng(4096, 4096, 'big');
		const t0 = Date.now();
		const r = await editWithFormData(
			{ ...edit2, seed: '3' },
			{ data: big, filename: 'big.png', contentType: 'image/png' },
		);
		const ms = Date.now() - t0;
		expect(r.status).toBe(200);
		const out = Buffer.from(r.json.data[0].b64_json, 'base64');
		const info = imageInfo(out)!;
		expect([info.width, info.height]).toEqual([4096, 4096]);
		expect(ms).toBeLessThan(5000);
		expect(sim.requests[0].files[0].size).toBe(big.length);
	});
});
