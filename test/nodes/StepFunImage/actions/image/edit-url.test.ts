// Edit from an image URL: fetched through the same door as result downloads (http(s) only, never
// with the API key, size cap, Timeout, retries), checked before anything is paid, uploaded exactly.
import { readFixture } from '../../../../support/fixtures.cjs';
import { startHostileServer } from '../../../../support/hostile.cjs';
import { makePng } from '../../../../support/simulator/png.cjs';
import { pngSize, runStepFun, sha256, useSimulator } from '../../../../support/stepfun.cjs';

const EDIT = { operation: 'edit', imageSource: 'url', prompt: 'make it autumn' };

describe('Edit from an image URL', () => {
	const sim = useSimulator({ apiKey: 'sk-edit-url' });

	it('uploads exactly the served image, downloaded without the API key', async () => {
		const bytes = readFixture('progressive-120x90.jpg');
		const url = sim().hostFile(bytes, 'image/jpeg');
		const result = await runStepFun(sim(), { ...EDIT, imageUrl: url });
		expect(result.error).toBeUndefined();
		const [download] = sim().fileRequests();
		expect(download.authorization).toBeUndefined();
		const [edit] = sim().apiRequests();
		expect(edit.authorization).toBe('Bearer sk-edit-url');
		expect(edit.files[0]).toMatchObject({
			field: 'image',
			contentType: 'image/jpeg',
			width: 120,
			height: 90,
		});
		expect(edit.files[0].sha256).toBe(sha256(bytes));
		expect(pngSize(result.items[0].binary!.data.buffer)).toEqual({ width: 120, height: 90 });
		expect(result.items[0].json).toMatchObject({
			inputWidth: 120,
			inputHeight: 90,
			inputMimeType: 'image/jpeg',
		});
	});

	it('downloads once for several images of one item', async () => {
		const url = sim().hostFile(readFixture('input-64x48.png'), 'image/png');
		const result = await runStepFun(sim(), { ...EDIT, imageUrl: url, numberOfImages: 3 });
		expect(result.items).toHaveLength(3);
		expect(sim().fileRequests()).toHaveLength(1);
		expect(sim().apiRequests()).toHaveLength(3);
	});

	it.each<[string, () => Buffer, RegExp]>([
		[
			'a text file',
			() => Buffer.from('<html>not a picture</html>'),
			/not a usable image: .*HTML\/XML text/,
		],
		[
			'a truncated PNG',
			() => readFixture('input-64x48.png').subarray(0, 200),
			/PNG file is truncated/,
		],
		[
			'a 4097-pixel-wide PNG',
			() => makePng(4097, 8, 'wide'),
			/4097×8 pixels; StepFun edits images up to 4096×4096/,
		],
	])('refuses %s with no edit request', async (_name, body, message) => {
		const url = sim().hostFile(body(), 'image/png');
		const result = await runStepFun(sim(), { ...EDIT, imageUrl: url, options: { maxRetries: 0 } });
		expect(result.error?.message).toMatch(message);
		expect(result.error?.message).toMatch(/\[item 0\]$/);
		expect(sim().apiRequests()).toHaveLength(0);
	});

	it.each<[string, string, RegExp]>([
		[
			'an expired URL',
			'/files/nothing-here.png',
			/Could not download the input image from 127\.0\.0\.1:\d+: HTTP 404/,
		],
		[
			'a file URL',
			'file:///etc/passwd',
			/only http:\/\/ and https:\/\/ URLs can be downloaded, got "file:"/,
		],
		['an expression that gives no URL', '={{ $json.missing }}', /Image URL is empty/],
	])('refuses %s clearly, with no edit request', async (_name, path, message) => {
		const url = path.startsWith('/') ? `${sim().url}${path}` : path;
		const result = await runStepFun(sim(), { ...EDIT, imageUrl: url, options: { maxRetries: 0 } });
		expect(result.error?.message).toMatch(message);
		expect(sim().apiRequests()).toHaveLength(0);
	});

	it('retries a download that fails for the moment (the same rules as result downloads)', async () => {
		const bytes = readFixture('input-80x60.jpg');
		let calls = 0;
		const files = await startHostileServer((_req, res) => {
			calls++;
			res.writeHead(calls === 1 ? 503 : 200, { 'Content-Type': 'image/jpeg' });
			res.end(calls === 1 ? 'busy' : bytes);
		});
		try {
			const result = await runStepFun(sim(), { ...EDIT, imageUrl: `${files.url}/in.jpg` });
			expect(result.error).toBeUndefined();
			expect(files.requests.map((r) => r.key)).toEqual([undefined, undefined]);
			expect(sim().apiRequests()[0].files[0].sha256).toBe(sha256(bytes));
			expect(result.items[0].json.inputFileName).toBe('in.jpg');
		} finally {
			await files.close();
		}
	});
});
