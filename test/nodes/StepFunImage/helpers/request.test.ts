import {
	buildEditFields,
	buildGenerationBody,
	countCodePoints,
	ParameterError,
	validateModel,
	validatePrompt,
	validateSize,
	validateTuning,
} from '../../../../nodes/StepFunImage/helpers/request';

describe('request building', () => {
	it('sends exactly the fields that were set, top-level like the seed curl example', () => {
		const body = buildGenerationBody({
			model: 'step-image-edit-2',
			prompt: '采菊东篱下，悠然见南山',
			tuning: { cfgScale: 1, steps: 8, seed: 1, textMode: true },
			responseFormat: 'b64_json',
		});
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
		expect(
			buildGenerationBody({ model: 'm', prompt: 'p', tuning: {}, responseFormat: 'url' }),
		).toEqual({ model: 'm', prompt: 'p', response_format: 'url' });
	});

	it('builds multipart text fields as strings in curl order', () => {
		expect(
			buildEditFields({
				model: 'step-image-edit-2',
				prompt: '让图中角色骑自行车',
				tuning: { cfgScale: 1, steps: 8, seed: 1, textMode: true, negativePrompt: 'blur' },
				responseFormat: 'b64_json',
			}),
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
				validateTuning(model, raw);
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
			validateTuning('step-image-edit-2', { seed: 0, steps: 50, cfgScale: 10, textMode: false }),
		).toEqual({
			seed: 0,
			steps: 50,
			cfgScale: 10,
			textMode: false,
		});
		expect(validateTuning('step-image-edit-2', {})).toEqual({});
	});
});
