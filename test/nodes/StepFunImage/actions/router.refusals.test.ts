// Refusals of the whole account (key rejected, no balance) end the asking for the execution: the
// items not yet sent fail at once with the same error, naming the item that was refused.
import { runStepFun, useSimulator } from '../../../support/stepfun.cjs';

const KEY = 'sk-refusals-key';
const items = (n: number) =>
	Array.from({ length: n }, (_, i) => ({ json: { prompt: `poster ${i}` } }));
const GEN = { operation: 'generate', prompt: '={{ $json.prompt }}', options: { concurrency: 5 } };

describe('an account that refuses every request', () => {
	const sim = useSimulator({ apiKey: KEY });

	it.each([
		[
			'402 (out of credits)',
			() => sim().setFaults({ insufficientBalance: true, latencyMs: 50 }),
			{},
			'Insufficient balance (HTTP 402)',
		],
		[
			'401 (key rejected)',
			() => sim().setFaults({ latencyMs: 50 }),
			{ apiKey: `${KEY}-wrong` },
			'The API key was rejected (HTTP 401)',
		],
	] as const)(
		'%s: 20 items at Concurrency 5 send one wave; the rest fail at once, one error item each, in order',
		async (_name, setup, options, message) => {
			setup();
			const result = await runStepFun(sim(), GEN, {
				items: items(20),
				continueOnFail: true,
				...options,
			});
			expect(result.error).toBeUndefined();
			// Only the first wave, in flight before any answer, reached the API.
			expect(sim().apiRequests()).toHaveLength(5);
			expect(result.items).toHaveLength(20);
			expect(result.items.map((i) => i.pairedItem)).toEqual(
				Array.from({ length: 20 }, (_, item) => ({ item })),
			);
			const errors = result.items.map((i) => String(i.json.error));
			for (const [index, error] of errors.entries()) {
				expect(error.startsWith(message)).toBe(true);
				expect(error.endsWith(`[item ${index}]`)).toBe(true);
				expect(result.items[index].json.httpCode).toBe(message.slice(-4, -1));
			}
			// The first wave met the refusal itself; each later item names the one refused first.
			expect(errors.slice(0, 5)).toEqual(
				Array.from({ length: 5 }, (_, index) => `${message} [item ${index}]`),
			);
			for (const [index, error] of errors.entries()) {
				if (index < 5) continue;
				expect(error).toMatch(
					new RegExp(
						`^${message.replace(/[()]/g, '\\$&')} — item [0-4] was refused, so this one was not sent \\[item ${index}\\]$`,
					),
				);
			}
			expect(result.items[7].json.description).toBe(result.items[0].json.description);
		},
	);

	it('without Continue On Fail the run stops with the first item’s error and sends nothing more', async () => {
		sim().setFaults({ insufficientBalance: true, latencyMs: 50 });
		const result = await runStepFun(sim(), GEN, { items: items(20) });
		expect(result.error?.message).toBe('Insufficient balance (HTTP 402) [item 0]');
		expect(sim().apiRequests()).toHaveLength(5);
	});

	it('the next execution tries again: the user may have topped up or fixed the key', async () => {
		sim().setFaults({ insufficientBalance: true, latencyMs: 50 });
		await runStepFun(sim(), GEN, { items: items(20), continueOnFail: true });
		expect(sim().apiRequests()).toHaveLength(5);
		sim().setFaults({ insufficientBalance: false });
		const again = await runStepFun(sim(), GEN, { items: items(3), continueOnFail: true });
		expect(again.items.map((i) => i.json.error ?? null)).toEqual([null, null, null]);
		expect(sim().apiRequests()).toHaveLength(8);
	});

	it('Number of Images: every image not yet sent fails at once, as its own error item', async () => {
		sim().setFaults({ insufficientBalance: true, latencyMs: 50 });
		const result = await runStepFun(
			sim(),
			{ ...GEN, numberOfImages: 3, options: { concurrency: 2 } },
			{ items: items(4), continueOnFail: true },
		);
		expect(sim().apiRequests().length).toBeLessThanOrEqual(2);
		expect(result.items).toHaveLength(12);
		expect(result.items.map((i) => i.json.variant)).toEqual([1, 2, 3, 1, 2, 3, 1, 2, 3, 1, 2, 3]);
		expect(
			result.items.every((i) => String(i.json.error).startsWith('Insufficient balance (HTTP 402)')),
		).toBe(true);
		expect(new Set(result.items.map((i) => (i.pairedItem as { item: number }).item))).toEqual(
			new Set([0, 1, 2, 3]),
		);
	});
});
