import type { WireFields } from '../../../../nodes/StepFunImage/domain/apiFields';
import { ParameterError } from '../../../../nodes/StepFunImage/domain/failures';
import type { Operation } from '../../../../nodes/StepFunImage/domain/models';
import {
	formFields,
	imageRequest,
	jsonBody,
	type ResultFormat,
} from '../../../../nodes/StepFunImage/domain/request';
import {
	countCodePoints,
	readSettings,
	validateModel,
	validatePrompt,
	validateSize,
} from '../../../../nodes/StepFunImage/domain/validate';

/** The request for an item's first image. */
const request = (operation: Operation, fields: WireFields, resultFormat: ResultFormat = 'binary') =>
	imageRequest(
		{ operation, itemIndex: 0, fields, resultFormat, images: 1, fileName: '', baseName: 'x' },
		0,
	);

describe('request building', () => {
	it('sends exactly the fields that were set, top-level like the seed curl example', () => {
		const body = jsonBody(
			request('generate', {
				model: 'step-image-edit-2',
				prompt: '采菊东篱下，悠然见南山',
				cfg_scale: 1,
				steps: 8,
				seed: 1,
				text_mode: true,
			}),
		);
		expect(body).toEqual({
			model: 'step-image-edit-2',
			prompt: '采菊东篱下，悠然见南山',
			response_format: 'b64_json',
			cfg_scale: 1,
			steps: 8,
			seed: 1,
			text_mode: true,
		});
	});

	it('omits unset tuning fields and size', () => {
		expect(jsonBody(request('generate', { model: 'm', prompt: 'p' }, 'url'))).toEqual({
			model: 'm',
			prompt: 'p',
			response_format: 'url',
		});
	});

	it('builds multipart text fields as strings in curl order', () => {
		expect(
			formFields(
				request('edit', {
					model: 'step-image-edit-2',
					prompt: '让图中角色骑自行车',
					cfg_scale: 1,
					steps: 8,
					seed: 1,
					text_mode: true,
					negative_prompt: 'blur',
				}),
			),
		).toEqual([
			['model', 'step-image-edit-2'],
			['prompt', '让图中角色骑自行车'],
			['response_format', 'b64_json'],
			['cfg_scale', '1'],
			['steps', '8'],
			['seed', '1'],
			['text_mode', 'true'],
			['negative_prompt', 'blur'],
		]);
	});
});

describe('validation', () => {
	it('counts code points, not UTF-16 units', () => {
		expect(countCodePoints('😀'.repeat(512))).toBe(512);
		expect(() => validatePrompt('😀'.repeat(512))).not.toThrow();
		expect(() => validatePrompt('字'.repeat(513))).toThrow(
			/513 characters long; StepFun accepts at most 512/,
		);
	});

	it('rejects empty prompts and models, naming the field', () => {
		expect(() => validatePrompt('   ')).toThrow(ParameterError);
		expect(() => validatePrompt('')).toThrow(/Prompt is empty/);
		expect(() => validateModel(' ')).toThrow(/Model is empty/);
		expect(validateModel(' step-image-edit-3 ')).toBe('step-image-edit-3');
	});

	it('checks sizes per known model and lets custom models use any WxH', () => {
		expect(validateSize('step-image-edit-2', '1360x768')).toBe('1360x768');
		expect(() => validateSize('step-image-edit-2', '512x512')).toThrow(
			/not available for step-image-edit-2. Valid sizes: 1024x1024, 768x1360/,
		);
		expect(validateSize('step-2x-large', '512x512')).toBe('512x512');
		expect(validateSize('my-model', '640x480')).toBe('640x480');
		expect(() => validateSize('my-model', 'big')).toThrow(/WIDTHxHEIGHT/);
		expect(validateSize('step-image-edit-2', '')).toBeUndefined();
	});

	it('checks the contract ranges', () => {
		const t =
			(raw: Record<string, unknown>, model = 'step-image-edit-2') =>
			() =>
				readSettings(model, raw);
		expect(t({ seed: -1 })).toThrow(/Seed must be a whole number from 0 to 2147483647, got -1/);
		expect(t({ seed: 2147483648 })).toThrow(/Seed/);
		expect(t({ seed: 1.5 })).toThrow(/Seed/);
		expect(t({ steps: 0 })).toThrow(/Steps must be a whole number from 1 to 50/);
		expect(t({ steps: 51 })).toThrow(/Steps/);
		expect(t({ cfgScale: 0.9 })).toThrow(/CFG Scale must be a number from 1 to 10/);
		expect(t({ cfgScale: 10.5 })).toThrow(/CFG Scale/);
		expect(t({ negativePrompt: 'x'.repeat(513) })).toThrow(/Negative Prompt is 513 characters/);
		expect(t({ textMode: true }, 'step-2x-large')).toThrow(
			/step-2x-large does not support Text Mode/,
		);
		expect(t({ negativePrompt: 'blur' }, 'step-2x-large')).toThrow(
			/does not support a Negative Prompt/,
		);
		expect(
			readSettings('step-image-edit-2', { seed: 0, steps: 50, cfgScale: 10, textMode: false }),
		).toEqual({
			seed: 0,
			steps: 50,
			cfg_scale: 10,
			text_mode: false,
		});
		expect(readSettings('step-image-edit-2', {})).toEqual({});
	});
});
