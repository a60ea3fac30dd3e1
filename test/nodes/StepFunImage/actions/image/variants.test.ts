// "Number of Images": each item yields that many images, each its own request sharing the
// account's governor; order, pairing, seeds, names and Continue On Fail per image.
import { readFixture } from '../../../../support/fixtures';
import { pngSize, runStepFun, useSimulator } from '../../../../support/stepfun';

const items = (n: number) =>
	Array.from({ length: n }, (_, i) => ({ json: { p: `poster ${i}`, sku: `SKU-${i}` } }));

describe('several images per item', () => {
	const sim = useSimulator({ apiKey: 'sk-variants' });

	it('5 items × 4 images at Concurrency 5: 20 requests, in order, paired, seeds seed…seed+3', async () => {
		sim().setFaults({ latencyMs: 100, latencyJitterMs: 80 });
		const result = await runStepFun(
			sim(),
			{
				operation: 'generate',
				prompt: '={{ $json.p }}',
				size: '1024x1024',
				numberOfImages: 4,
				imageOptions: { seed: 100 },
				options: { concurrency: 5, fileName: '={{ $json.sku }}' },
			},
			{ items: items(5) },
		);
		expect(result.error).toBeUndefined();
		expect(sim().apiRequests()).toHaveLength(20);
		expect(sim().stats().maxInFlight).toBeLessThanOrEqual(5);
		expect(result.items).toHaveLength(20);
		result.items.forEach((item, n) => {
			const [i, k] = [Math.floor(n / 4), n % 4];
			expect(item.pairedItem).toEqual({ item: i });
			expect(item.json).toMatchObject({ prompt: `poster ${i}`, seed: 100 + k, variant: k + 1 });
			expect(item.binary!.data.fileName).toBe(`SKU-${i}-${k + 1}.png`);
			expect(pngSize(item.binary!.data.buffer)).toEqual({ width: 1024, height: 1024 });
		});
		// Each request asked for its own seed; the same item and seed give the same picture again.
		const seeds = sim()
			.apiRequests()
			.map((r) => `${String(r.json?.prompt)}#${String(r.json?.seed)}`);
		expect(new Set(seeds).size).toBe(20);
	});

	it('without a Seed each image gets its own random seed, reported in its output', async () => {
		const result = await runStepFun(
			sim(),
			{ operation: 'generate', prompt: 'a kite', numberOfImages: 3 },
			{ items: items(1) },
		);
		expect(result.items).toHaveLength(3);
		const requests = sim().apiRequests();
		expect(requests.map((r) => r.json?.seed)).toEqual([undefined, undefined, undefined]);
		const reported = result.items.map((item) => item.json.seed);
		expect(reported.sort()).toEqual(requests.map((r) => r.seedUsed).sort());
		expect(new Set(reported).size).toBe(3);
		expect(result.items.map((item) => item.binary!.data.fileName)).toEqual([
			'stepfun-1-1.png',
			'stepfun-1-2.png',
			'stepfun-1-3.png',
		]);
	});

	it('a seed near the maximum wraps around instead of leaving the allowed range', async () => {
		const result = await runStepFun(sim(), {
			operation: 'generate',
			prompt: 'x',
			numberOfImages: 2,
			imageOptions: { seed: 2147483647 },
		});
		expect(result.items.map((item) => item.json.seed)).toEqual([2147483647, 0]);
	});

	it('edits: one input, read once and checked once, uploaded for each image', async () => {
		const bytes = readFixture('input-96x72.webp');
		const result = await runStepFun(
			sim(),
			{ operation: 'edit', prompt: 'sketch', numberOfImages: 3, imageOptions: { seed: 7 } },
			{
				items: [
					{
						json: {},
						binary: { data: { data: bytes, mimeType: 'image/webp', fileName: 'in.webp' } },
					},
				],
			},
		);
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json.seed)).toEqual([7, 8, 9]);
		expect(
			sim()
				.apiRequests()
				.map((r) => r.files[0].sha256),
		).toEqual(Array(3).fill(sim().apiRequests()[0].files[0].sha256));
		expect(result.items.map((item) => item.binary!.data.fileName)).toEqual([
			'in-edited-1.png',
			'in-edited-2.png',
			'in-edited-3.png',
		]);
	});

	it('with Continue On Fail a failed image is its own error item; its siblings keep theirs', async () => {
		sim().setFaults({ script: [null, { status: 451 }, null] });
		const result = await runStepFun(
			sim(),
			{
				operation: 'generate',
				prompt: 'x',
				numberOfImages: 3,
				imageOptions: { seed: 1 },
				options: { concurrency: 1, maxRetries: 0 },
			},
			{ continueOnFail: true, items: items(1) },
		);
		expect(result.items).toHaveLength(3);
		expect(result.items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 0 },
			{ item: 0 },
		]);
		expect(result.items[0].binary).toBeDefined();
		expect(result.items[1].json).toMatchObject({
			error: 'Blocked by StepFun content moderation (HTTP 451) [item 0]',
			variant: 2,
		});
		expect(result.items[2].binary).toBeDefined();
		expect(result.items.map((item) => item.json.seed)).toEqual([1, undefined, 3]);
	});

	it('without Continue On Fail a failed image fails its item', async () => {
		sim().setFaults({ script: [null, { status: 402 }] });
		const result = await runStepFun(sim(), {
			operation: 'generate',
			prompt: 'x',
			numberOfImages: 2,
			options: { concurrency: 1 },
		});
		expect(result.error?.message).toBe('Insufficient balance (HTTP 402) [item 0]');
	});

	it.each([0, 11, 2.5, 'three'])('refuses Number of Images %p before sending', async (n) => {
		const result = await runStepFun(sim(), {
			operation: 'generate',
			prompt: 'x',
			numberOfImages: n,
		});
		expect(result.error?.message).toMatch(/Number of Images must be/);
		expect(sim().apiRequests()).toHaveLength(0);
	});
});
