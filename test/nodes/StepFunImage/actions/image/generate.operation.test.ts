import { StepFunImage } from '../../../../../nodes/StepFunImage/StepFunImage.node';
import { runStepFun, useSimulator } from '../../../../support/stepfun.cjs';

describe('Generate, through n8n-core against the simulator', () => {
	const sim = useSimulator({ apiKey: 'sk-generate-test' });

	it('offers "Model Default" (no size sent) first and by default, for every model', async () => {
		const sizes = new StepFunImage().description.properties.filter((p) => p.name === 'size');
		for (const field of sizes.filter((p) => p.type === 'options')) {
			expect(field.default).toBe('');
			expect((field.options as Array<{ name: string; value: string }>)[0]).toMatchObject({
				name: 'Model Default',
				value: '',
			});
		}
		expect(sizes.filter((p) => p.type === 'options')).toHaveLength(2);
		await runStepFun(sim(), {
			operation: 'generate',
			model: 'step-2x-large',
			prompt: 'x',
			size: '',
		});
		expect(sim().apiRequests()[0].json).not.toHaveProperty('size');
	});

	it('same seed and prompt give the same bytes; another seed gives others', async () => {
		const run = async (seed: number) =>
			(await runStepFun(sim(), { operation: 'generate', prompt: 'a cat', imageOptions: { seed } }))
				.items[0].binary!.data.buffer;
		const a = await run(7);
		const b = await run(7);
		const c = await run(8);
		expect(a.equals(b)).toBe(true);
		expect(a.equals(c)).toBe(false);
	});
});

describe('Generate: bad parameters fail before any request', () => {
	const sim = useSimulator();

	it.each([
		[{ prompt: '={{ $json.missing }}' }, /Prompt is empty/],
		[{ prompt: '字'.repeat(513) }, /Prompt is 513 characters long/],
		[{ prompt: 'x', size: '512x512' }, /Size "512x512" is not available for step-image-edit-2/],
		[{ prompt: 'x', imageOptions: { steps: 51 } }, /Steps must be a whole number from 1 to 50/],
		[{ prompt: 'x', imageOptions: { cfgScale: 11 } }, /CFG Scale must be a number from 1 to 10/],
		[{ prompt: 'x', imageOptions: { seed: -5 } }, /Seed must be a whole number/],
		[{ prompt: 'x', model: 'custom', customModel: ' ' }, /Model is empty/],
	])('%j', async (params, message) => {
		const result = await runStepFun(sim(), { operation: 'generate', ...params });
		expect(result.error?.message).toMatch(message);
		expect(result.error?.message).toMatch(/\[item 0\]/);
		expect(sim().apiRequests()).toHaveLength(0);
	});

	it('drops settings hidden for the chosen model, as the editor does (Text Mode on step-2x-large)', async () => {
		const result = await runStepFun(sim(), {
			operation: 'generate',
			model: 'step-2x-large',
			prompt: 'x',
			size: '512x512',
			imageOptions: { textMode: true, negativePrompt: 'blur', steps: 20 },
		});
		expect(result.error).toBeUndefined();
		expect(sim().apiRequests()[0].json).toEqual({
			model: 'step-2x-large',
			prompt: 'x',
			size: '512x512',
			response_format: 'b64_json',
			steps: 20,
		});
	});

	it('accepts a 512-code-point prompt of astral characters (1024 UTF-16 units)', async () => {
		const result = await runStepFun(sim(), { operation: 'generate', prompt: '😀'.repeat(512) });
		expect(result.error).toBeUndefined();
		expect(sim().apiRequests()[0].json.prompt).toBe('😀'.repeat(512));
	});
});
