// Generate's happy paths as data (run by cases.test.ts): parameters and input items → the requests the
// simulator received and the output items.
import type { OperationCase } from '../../../../support/cases.cjs';

const AUTH = 'Bearer sk-cases';
const GENERATIONS = {
	path: '/step_plan/v1/images/generations',
	authorization: AUTH,
	contentType: 'application/json',
};
const image = (width: number, height: number, fileName = 'stepfun-1.png') => ({
	data: { mimeType: 'image/png', fileName, width, height, bytes: 'as answered' },
});
/** An output item's JSON beside its binary: what every Generate output says. */
const output = (
	json: Record<string, unknown>,
	width: number,
	height: number,
	fileName = 'stepfun-1.png',
) => ({
	json: {
		operation: 'generate',
		model: 'step-image-edit-2',
		finishReason: 'success',
		attempts: 1,
		variant: 1,
		width,
		height,
		mimeType: 'image/png',
		fileName,
		...json,
	},
	pairedItem: { item: 0 },
	answers: 0,
	binary: image(width, height, fileName),
});

export const GENERATE_CASES: OperationCase[] = [
	{
		name: "the Step Plan page's example, every Image Setting sent as the API names it",
		parameters: {
			operation: 'generate',
			model: 'step-image-edit-2',
			prompt: '采菊东篱下，悠然见南山',
			size: '1360x768',
			imageOptions: { cfgScale: 1, steps: 8, seed: 1, textMode: true, negativePrompt: 'blurry' },
		},
		requests: [
			{
				...GENERATIONS,
				json: {
					model: 'step-image-edit-2',
					prompt: '采菊东篱下，悠然见南山',
					size: '1360x768',
					response_format: 'b64_json',
					cfg_scale: 1,
					steps: 8,
					seed: 1,
					text_mode: true,
					negative_prompt: 'blurry',
				},
			},
		],
		output: [output({ prompt: '采菊东篱下，悠然见南山', seed: 1, size: '1360x768' }, 1360, 768)],
	},
	{
		name: 'nothing set: no size, no settings, the API defaults apply and the random seed is reported',
		parameters: { operation: 'generate', prompt: 'a lighthouse at dusk' },
		requests: [
			{
				...GENERATIONS,
				json: {
					model: 'step-image-edit-2',
					prompt: 'a lighthouse at dusk',
					response_format: 'b64_json',
				},
			},
		],
		output: [output({ prompt: 'a lighthouse at dusk', seed: expect.any(Number) }, 1024, 1024)],
	},
	{
		name: 'step-2x-large at one of its own sizes',
		parameters: {
			operation: 'generate',
			model: 'step-2x-large',
			prompt: 'mountains',
			size: '800x1280',
		},
		requests: [
			{
				...GENERATIONS,
				json: {
					model: 'step-2x-large',
					prompt: 'mountains',
					size: '800x1280',
					response_format: 'b64_json',
				},
			},
		],
		output: [
			output(
				{ model: 'step-2x-large', prompt: 'mountains', size: '800x1280', seed: expect.any(Number) },
				800,
				1280,
			),
		],
	},
	{
		name: 'a typed model ID goes through unchanged',
		faults: { extraModels: ['step-image-edit-3'] },
		parameters: {
			operation: 'generate',
			model: 'custom',
			customModel: 'step-image-edit-3',
			prompt: 'mountains',
			size: '896x1184',
		},
		requests: [
			{
				...GENERATIONS,
				json: {
					model: 'step-image-edit-3',
					prompt: 'mountains',
					size: '896x1184',
					response_format: 'b64_json',
				},
			},
		],
		output: [
			output(
				{
					model: 'step-image-edit-3',
					prompt: 'mountains',
					size: '896x1184',
					seed: expect.any(Number),
				},
				896,
				1184,
			),
		],
	},
	{
		name: 'one output item per input item, in order, expressions resolved per item, input fields kept',
		parameters: {
			operation: 'generate',
			prompt: '={{ $json.prompt }}',
			imageOptions: { seed: 3 },
			options: { fileName: '={{ $json.sku }}', includeInputFields: true },
		},
		input: ['red apple', 'green pear', 'yellow banana', '紫色的葡萄'].map((prompt, i) => ({
			json: { prompt, sku: `sku-${i}` },
		})),
		requests: ['red apple', 'green pear', 'yellow banana', '紫色的葡萄'].map((prompt) => ({
			...GENERATIONS,
			json: { model: 'step-image-edit-2', prompt, response_format: 'b64_json', seed: 3 },
		})),
		output: ['red apple', 'green pear', 'yellow banana', '紫色的葡萄'].map((prompt, i) => ({
			...output({ prompt, sku: `sku-${i}`, seed: 3 }, 1024, 1024, `sku-${i}.png`),
			pairedItem: { item: i },
			answers: i,
		})),
	},
	{
		name: 'a URL result is downloaded, without the API key',
		parameters: {
			operation: 'generate',
			prompt: 'a boat',
			size: '768x1360',
			options: { resultFormat: 'binaryFromUrl', binaryPropertyOutput: 'image' },
		},
		requests: [
			{
				...GENERATIONS,
				json: {
					model: 'step-image-edit-2',
					prompt: 'a boat',
					size: '768x1360',
					response_format: 'url',
				},
			},
			{ download: '/files/…' }, // no Authorization header
		],
		output: [
			{
				...output(
					{
						prompt: 'a boat',
						size: '768x1360',
						seed: expect.any(Number),
						url: '<simulator>/files/…',
					},
					768,
					1360,
				),
				binary: { image: image(768, 1360).data },
			},
		],
	},
	{
		name: '"URL only" returns the temporary URL and no binary',
		parameters: { operation: 'generate', prompt: 'a boat', options: { resultFormat: 'url' } },
		requests: [
			{
				...GENERATIONS,
				json: { model: 'step-image-edit-2', prompt: 'a boat', response_format: 'url' },
			},
		],
		output: [
			{
				json: {
					operation: 'generate',
					model: 'step-image-edit-2',
					prompt: 'a boat',
					finishReason: 'success',
					attempts: 1,
					variant: 1,
					seed: expect.any(Number),
					url: '<simulator>/files/…',
				},
				pairedItem: { item: 0 },
				answers: 0,
			},
		],
	},
	{
		name: 'Number of Images: 5 items × 4 images at Concurrency 5, each its own request, seeds Seed…Seed+3',
		faults: { latencyMs: 100, latencyJitterMs: 80 },
		parameters: {
			operation: 'generate',
			prompt: '={{ $json.p }}',
			size: '1024x1024',
			numberOfImages: 4,
			imageOptions: { seed: 100 },
			options: { concurrency: 5, fileName: '={{ $json.sku }}' },
		},
		input: Array.from({ length: 5 }, (_, i) => ({ json: { p: `poster ${i}`, sku: `SKU-${i}` } })),
		requests: Array.from({ length: 20 }, (_, n) => ({
			...GENERATIONS,
			json: {
				model: 'step-image-edit-2',
				prompt: `poster ${Math.floor(n / 4)}`,
				size: '1024x1024',
				response_format: 'b64_json',
				seed: 100 + (n % 4),
			},
		})),
		output: Array.from({ length: 20 }, (_, n) => {
			const [i, k] = [Math.floor(n / 4), n % 4];
			const fileName = `SKU-${i}-${k + 1}.png`;
			const json = { prompt: `poster ${i}`, size: '1024x1024', seed: 100 + k, variant: k + 1 };
			return { ...output(json, 1024, 1024, fileName), pairedItem: { item: i }, answers: n };
		}),
		maxInFlight: 5,
	},
	{
		name: 'Number of Images without a Seed: no seed sent, each image reports the seed the API used',
		parameters: { operation: 'generate', prompt: 'a kite', numberOfImages: 3 },
		requests: Array(3).fill({
			...GENERATIONS,
			json: { model: 'step-image-edit-2', prompt: 'a kite', response_format: 'b64_json' },
		}),
		output: [1, 2, 3].map((variant) => ({
			...output(
				{ prompt: 'a kite', seed: expect.any(Number), variant },
				1024,
				1024,
				`stepfun-1-${variant}.png`,
			),
			answers: variant - 1,
		})),
	},
	{
		name: 'Number of Images: a seed near the maximum wraps around instead of leaving the range',
		parameters: {
			operation: 'generate',
			prompt: 'x',
			numberOfImages: 2,
			imageOptions: { seed: 2147483647 },
		},
		requests: [2147483647, 0].map((seed) => ({
			...GENERATIONS,
			json: { model: 'step-image-edit-2', prompt: 'x', response_format: 'b64_json', seed },
		})),
		output: [2147483647, 0].map((seed, k) => ({
			...output({ prompt: 'x', seed, variant: k + 1 }, 1024, 1024, `stepfun-1-${k + 1}.png`),
			answers: k,
		})),
	},
];
