import { createHash } from 'crypto';

import { StepFunImage } from '../../../../../nodes/StepFunImage/StepFunImage.node';
import { pngSize, runStepFun, useSimulator } from '../../../../support/stepfun';

describe('Generate, through n8n-core against the simulator', () => {
	const sim = useSimulator({ apiKey: 'sk-generate-test' });

	it('sends the seed example exactly and returns the decoded image with metadata', async () => {
		const result = await runStepFun(sim(), {
			operation: 'generate',
			model: 'step-image-edit-2',
			prompt: '采菊东篱下，悠然见南山',
			size: '1360x768',
			imageOptions: { cfgScale: 1, steps: 8, seed: 1, textMode: true, negativePrompt: 'blurry' },
		});
		expect(result.error).toBeUndefined();
		const [request] = sim().apiRequests();
		expect(request.path).toBe('/step_plan/v1/images/generations');
		expect(request.authorization).toBe('Bearer sk-generate-test');
		expect(request.contentType).toMatch(/^application\/json/);
		expect(request.json).toEqual({
			model: 'step-image-edit-2',
			prompt: '采菊东篱下，悠然见南山',
			size: '1360x768',
			response_format: 'b64_json',
			cfg_scale: 1,
			steps: 8,
			seed: 1,
			text_mode: true,
			negative_prompt: 'blurry',
		});

		expect(result.items).toHaveLength(1);
		const [item] = result.items;
		expect(item.pairedItem).toEqual({ item: 0 });
		const binary = item.binary!.data;
		expect(binary.mimeType).toBe('image/png');
		expect(binary.fileName).toBe('stepfun-1.png');
		expect(pngSize(binary.buffer)).toEqual({ width: 1360, height: 768 });
		// The very bytes the API sent, not a re-encoding.
		expect(createHash('sha256').update(binary.buffer).digest('hex')).toBe(request.outputSha256);
		expect(item.json).toMatchObject({
			operation: 'generate',
			model: 'step-image-edit-2',
			prompt: '采菊东篱下，悠然见南山',
			seed: 1,
			finishReason: 'success',
			traceId: request.traceId,
			width: 1360,
			height: 768,
			mimeType: 'image/png',
			size: '1360x768',
			attempts: 1,
		});
		expect(typeof item.json.id).toBe('string');
		expect(typeof item.json.created).toBe('number');
		expect(item.json.durationMs).toBeGreaterThanOrEqual(0);
		expect(JSON.stringify(item.json)).not.toContain('sk-generate-test');
	});

	it('omits every unset field so the API defaults apply, and reports the random seed used', async () => {
		const result = await runStepFun(sim(), {
			operation: 'generate',
			prompt: 'a lighthouse at dusk',
		});
		// No size either: "Model Default" is the Size default, and the seed's example sends none.
		expect(sim().apiRequests()[0].json).toEqual({
			model: 'step-image-edit-2',
			prompt: 'a lighthouse at dusk',
			response_format: 'b64_json',
		});
		const item = result.items[0];
		expect(pngSize(item.binary!.data.buffer)).toEqual({ width: 1024, height: 1024 });
		expect(item.json.seed).toBe(sim().apiRequests()[0].seedUsed);
		expect(item.json).not.toHaveProperty('size');
	});

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

	it('step-2x-large takes its own sizes; a typed custom model ID goes through unchanged', async () => {
		const large = await runStepFun(sim(), {
			operation: 'generate',
			model: 'step-2x-large',
			prompt: 'mountains',
			size: '800x1280',
		});
		expect(pngSize(large.items[0].binary!.data.buffer)).toEqual({ width: 800, height: 1280 });
		sim().setFaults({ extraModels: ['step-image-edit-3'] });
		const custom = await runStepFun(sim(), {
			operation: 'generate',
			model: 'custom',
			customModel: 'step-image-edit-3',
			prompt: 'mountains',
			size: '896x1184',
		});
		expect(custom.error).toBeUndefined();
		expect(sim().apiRequests()[1].json.model).toBe('step-image-edit-3');
		expect(custom.items[0].json.model).toBe('step-image-edit-3');
	});

	it('one output item per input item, in order, with expressions resolved per item', async () => {
		const prompts = ['red apple', 'green pear', 'yellow banana', '紫色的葡萄'];
		const result = await runStepFun(
			sim(),
			{
				operation: 'generate',
				prompt: '={{ $json.prompt }}',
				imageOptions: { seed: 3 },
				options: { fileName: '={{ $json.sku }}', includeInputFields: true },
			},
			{ items: prompts.map((prompt, i) => ({ json: { prompt, sku: `sku-${i}` } })) },
		);
		expect(result.items.map((i) => i.json.prompt)).toEqual(prompts);
		expect(result.items.map((i) => i.pairedItem)).toEqual(prompts.map((_, item) => ({ item })));
		expect(result.items.map((i) => i.binary!.data.fileName)).toEqual(
			prompts.map((_, i) => `sku-${i}.png`),
		);
		expect(result.items[3].json.sku).toBe('sku-3');
		expect(
			sim()
				.apiRequests()
				.map((r) => r.json.prompt)
				.sort(),
		).toEqual([...prompts].sort());
	});

	it('URL results are downloaded without sending the API key to the file host', async () => {
		const result = await runStepFun(sim(), {
			operation: 'generate',
			prompt: 'a boat',
			size: '768x1360',
			options: { resultFormat: 'binaryFromUrl', binaryPropertyOutput: 'image' },
		});
		expect(result.error).toBeUndefined();
		expect(sim().apiRequests()[0].json.response_format).toBe('url');
		const [download] = sim().fileRequests();
		expect(download.authorization).toBeUndefined();
		expect(pngSize(result.items[0].binary!.image.buffer)).toEqual({ width: 768, height: 1360 });
	});

	it('"URL only" returns the temporary URL and no binary', async () => {
		const result = await runStepFun(sim(), {
			operation: 'generate',
			prompt: 'a boat',
			options: { resultFormat: 'url' },
		});
		const item = result.items[0];
		expect(item.binary).toBeUndefined();
		expect(item.json.url).toMatch(new RegExp(`^${sim().url}/files/`));
		expect(sim().fileRequests()).toHaveLength(0);
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
