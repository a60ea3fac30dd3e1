// Edit's happy paths as data (run by cases.test.ts): parameters and input items with their images →
// the multipart requests the simulator received and the output items.
import type { OperationCase } from '../../../../support/cases.cjs';
import { STEP_PLAN_EDIT } from '../../../../support/stepfun.cjs';

const EDITS = {
	path: '/step_plan/v1/images/edits',
	authorization: 'Bearer sk-cases',
	contentType: 'multipart/form-data; boundary=…',
};
/** The Step Plan page's Edit example as the API receives it (multipart: every value a string). */
const EXAMPLE_FIELDS = {
	model: 'step-image-edit-2',
	prompt: STEP_PLAN_EDIT.prompt,
	response_format: 'b64_json',
	cfg_scale: '1',
	steps: '8',
	seed: '1',
	text_mode: 'true',
};
/** The upload of input-64x48.png named a.png, as the simulator records it. */
const UPLOADED_A_PNG = {
	field: 'image',
	filename: 'a.png',
	contentType: 'image/png',
	bytes: 'input-64x48.png',
};
const FORMATS: Array<[string, string, number, number]> = [
	['input-64x48.png', 'image/png', 64, 48],
	['input-80x60.jpg', 'image/jpeg', 80, 60],
	['progressive-120x90.jpg', 'image/jpeg', 120, 90],
	['input-96x72.webp', 'image/webp', 96, 72],
	['lossless-70x30.webp', 'image/webp', 70, 30],
];

/** An output item: the edit keeps the input's size. */
function output(
	input: { name: string; mimeType: string; width: number; height: number },
	more: Record<string, unknown> = {},
	key = 'data',
) {
	const fileName = (more.fileName as string) ?? `${input.name.replace(/\.[^.]+$/, '')}-edited.png`;
	const { width, height } = input;
	return {
		json: {
			operation: 'edit',
			model: 'step-image-edit-2',
			prompt: STEP_PLAN_EDIT.prompt,
			seed: 1,
			finishReason: 'success',
			attempts: 1,
			variant: 1,
			inputFileName: input.name,
			inputWidth: width,
			inputHeight: height,
			inputMimeType: input.mimeType,
			width,
			height,
			mimeType: 'image/png',
			fileName,
			...more,
		},
		pairedItem: { item: 0 },
		answers: 0,
		binary: { [key]: { mimeType: 'image/png', fileName, width, height, bytes: 'as answered' } },
	};
}

export const EDIT_CASES: OperationCase[] = [
	...FORMATS.map(([name, mimeType, width, height]) => ({
		name: `the Step Plan page's example on ${name}: its exact bytes uploaded, the output at its size`,
		parameters: STEP_PLAN_EDIT,
		input: [{ binary: { data: name } }],
		requests: [
			{
				...EDITS,
				fields: EXAMPLE_FIELDS,
				image: { field: 'image', filename: name, contentType: mimeType, bytes: name },
			},
		],
		output: [output({ name, mimeType, width, height })],
	})),
	{
		name: 'a Chinese instruction with an emoji stays intact (UTF-8) in the multipart body',
		parameters: { ...STEP_PLAN_EDIT, prompt: '把背景换成夜晚的上海外滩，保留人物😀' },
		input: [{ binary: { data: { fixture: 'input-64x48.png', fileName: 'a.png' } } }],
		requests: [
			{
				...EDITS,
				fields: { ...EXAMPLE_FIELDS, prompt: '把背景换成夜晚的上海外滩，保留人物😀' },
				image: UPLOADED_A_PNG,
			},
		],
		output: [
			output(
				{ name: 'a.png', mimeType: 'image/png', width: 64, height: 48 },
				{ prompt: '把背景换成夜晚的上海外滩，保留人物😀' },
			),
		],
	},
	{
		name: 'only the fields that were set are sent: no size, no n, no settings',
		parameters: { operation: 'edit', prompt: 'sepia' },
		input: [{ binary: { data: { fixture: 'input-64x48.png', fileName: 'a.png' } } }],
		requests: [
			{
				...EDITS,
				fields: { model: 'step-image-edit-2', prompt: 'sepia', response_format: 'b64_json' },
				image: UPLOADED_A_PNG,
			},
		],
		output: [
			output(
				{ name: 'a.png', mimeType: 'image/png', width: 64, height: 48 },
				{ prompt: 'sepia', seed: expect.any(Number) },
			),
		],
	},
	{
		name: 'the image from a custom binary field, its type read from the bytes (not a wrong mime type)',
		parameters: {
			...STEP_PLAN_EDIT,
			binaryPropertyName: 'upload',
			options: { binaryPropertyOutput: 'edited' },
		},
		input: [
			{
				binary: {
					upload: {
						fixture: 'input-64x48.png',
						mimeType: 'application/octet-stream',
						fileName: 'x.bin',
					},
				},
			},
		],
		requests: [
			{
				...EDITS,
				fields: EXAMPLE_FIELDS,
				image: {
					field: 'image',
					filename: 'x.bin',
					contentType: 'image/png',
					bytes: 'input-64x48.png',
				},
			},
		],
		output: [
			output(
				{ name: 'x.bin', mimeType: 'image/png', width: 64, height: 48 },
				{ fileName: 'x-edited.png' },
				'edited',
			),
		],
	},
	{
		name: 'Number of Images: one input, uploaded for each image, seeds Seed…Seed+2',
		parameters: {
			operation: 'edit',
			prompt: 'sketch',
			numberOfImages: 3,
			imageOptions: { seed: 7 },
		},
		input: [{ binary: { data: { fixture: 'input-96x72.webp', fileName: 'in.webp' } } }],
		requests: [7, 8, 9].map((seed) => ({
			...EDITS,
			fields: {
				model: 'step-image-edit-2',
				prompt: 'sketch',
				response_format: 'b64_json',
				seed: String(seed),
			},
			image: {
				field: 'image',
				filename: 'in.webp',
				contentType: 'image/webp',
				bytes: 'input-96x72.webp',
			},
		})),
		output: [7, 8, 9].map((seed, k) => ({
			...output(
				{ name: 'in.webp', mimeType: 'image/webp', width: 96, height: 72 },
				{ prompt: 'sketch', seed, variant: k + 1, fileName: `in-edited-${k + 1}.png` },
			),
			answers: k,
		})),
	},
];
