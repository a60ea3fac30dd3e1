// "Number of Images": each item yields that many images, each its own request sharing the
// account's governor (the happy paths are cases: generate.cases.ts, edit.cases.ts); Continue On Fail
// per image, and the checks.
import { runStepFun, useSimulator } from '../../../../support/stepfun.cjs';

const items = (n: number) =>
	Array.from({ length: n }, (_, i) => ({ json: { p: `poster ${i}`, sku: `SKU-${i}` } }));

describe('several images per item', () => {
	const sim = useSimulator({ apiKey: 'sk-variants' });

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
