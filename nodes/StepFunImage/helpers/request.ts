// Pure request building and parameter validation: no n8n context, no I/O.
import { LIMITS, MODELS } from './models';

export type ResponseFormat = 'b64_json' | 'url';

export interface TuningOptions {
	seed?: number;
	steps?: number;
	cfgScale?: number;
	negativePrompt?: string;
	textMode?: boolean;
}

export interface GenerateRequest {
	model: string;
	prompt: string;
	size?: string;
	tuning: TuningOptions;
	responseFormat: ResponseFormat;
}

export interface EditRequest {
	model: string;
	prompt: string;
	tuning: TuningOptions;
	responseFormat: ResponseFormat;
}

/** A parameter the user set is unusable; `field` is the display name shown in the node panel. */
export class ParameterError extends Error {
	constructor(
		readonly field: string,
		message: string,
	) {
		super(message);
	}
}

export function countCodePoints(text: string): number {
	// A string iterates by code point: '😀' counts 1 here, 2 in text.length.
	return Array.from(text).length;
}

export function validateModel(model: unknown): string {
	const id = typeof model === 'string' ? model.trim() : '';
	if (!id) throw new ParameterError('Model', 'Model is empty: pick a model or type a model ID.');
	return id;
}

/** Names a value's type for messages: "a number (42)", "a list", "an object". */
export function describeValue(value: unknown): string {
	if (value === null) return 'null';
	if (Array.isArray(value))
		return `a list of ${value.length} value${value.length === 1 ? '' : 's'}`;
	if (typeof value === 'number' || typeof value === 'bigint') return `a number (${String(value)})`;
	if (typeof value === 'boolean') return `a boolean (${String(value)})`;
	if (typeof value === 'string') return `the text ${JSON.stringify(value.slice(0, 40))}`;
	return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

// Whitespace, control and format characters (zero-width space/joiners, BOM, soft hyphen…) and the
// blank-looking letters: a prompt made only of these shows nothing to the model.
const INVISIBLE = /^[\s\p{Cc}\p{Cf}\p{Zs}\u115f\u1160\u2800\u3164\uffa0]*$/u;

export function validatePrompt(prompt: unknown, field = 'Prompt'): string {
	if (prompt !== undefined && prompt !== null && typeof prompt !== 'string') {
		throw new ParameterError(
			field,
			`${field} must be text, but it is ${describeValue(prompt)}. Use an expression that gives a string, e.g. {{ String($json.prompt) }}.`,
		);
	}
	if (!prompt || INVISIBLE.test(prompt)) {
		throw new ParameterError(
			field,
			`${field} is empty${prompt ? ' (it has only invisible characters)' : ''}: describe the image (or the edit) you want.`,
		);
	}
	const length = countCodePoints(prompt);
	if (length > LIMITS.promptMaxCodePoints) {
		throw new ParameterError(
			field,
			`${field} is ${length} characters long; StepFun accepts at most ${LIMITS.promptMaxCodePoints}. Shorten it.`,
		);
	}
	return prompt;
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/**
 * A numeric parameter as a finite number; undefined when unset. Accepts numbers and decimal text
 * (a Form or Webhook field), never booleans, hex or other notations that Number() would read.
 */
export function readNumber(field: string, value: unknown): number | undefined {
	if (value === undefined || value === null || value === '') return undefined;
	const n =
		typeof value === 'number'
			? value
			: typeof value === 'string' && DECIMAL.test(value.trim())
				? Number(value.trim())
				: NaN;
	if (!Number.isFinite(n)) {
		throw new ParameterError(
			field,
			`${field} must be a number, but it is ${describeValue(value)}.`,
		);
	}
	return n;
}

export function validateSize(model: string, size: unknown): string | undefined {
	if (size === undefined || size === null || size === '') return undefined;
	const value = String(size).trim().replace(/\s+/g, '').replace('×', 'x').toLowerCase();
	const spec = MODELS[model];
	if (spec) {
		if (!spec.sizes.includes(value)) {
			throw new ParameterError(
				'Size',
				`Size "${String(size)}" is not available for ${model}. Valid sizes: ${spec.sizes.join(', ')}.`,
			);
		}
	} else if (!/^\d+x\d+$/.test(value)) {
		throw new ParameterError(
			'Size',
			`Size "${String(size)}" is not of the form WIDTHxHEIGHT, e.g. 1024x1024.`,
		);
	}
	return value;
}

export function checkInteger(
	field: string,
	value: unknown,
	min: number,
	max: number,
): number | undefined {
	const n = readNumber(field, value);
	if (n === undefined) return undefined;
	if (!Number.isInteger(n) || n < min || n > max) {
		throw new ParameterError(
			field,
			`${field} must be a whole number from ${min} to ${max}, got ${String(value)}.`,
		);
	}
	return n;
}

export function checkNumber(
	field: string,
	value: unknown,
	min: number,
	max: number,
): number | undefined {
	const n = readNumber(field, value);
	if (n === undefined) return undefined;
	if (n < min || n > max) {
		throw new ParameterError(
			field,
			`${field} must be a number from ${min} to ${max}, got ${String(value)}.`,
		);
	}
	return n;
}

/** Validates the tuning options; unset values stay unset so the API's defaults apply. */
export function validateTuning(model: string, raw: Record<string, unknown>): TuningOptions {
	const spec = MODELS[model];
	const tuning: TuningOptions = {};
	const seed = checkInteger('Seed', raw.seed, LIMITS.seedMin, LIMITS.seedMax);
	if (seed !== undefined) tuning.seed = seed;
	const steps = checkInteger('Steps', raw.steps, LIMITS.stepsMin, LIMITS.stepsMax);
	if (steps !== undefined) tuning.steps = steps;
	const cfgScale = checkNumber('CFG Scale', raw.cfgScale, LIMITS.cfgScaleMin, LIMITS.cfgScaleMax);
	if (cfgScale !== undefined) tuning.cfgScale = cfgScale;
	if (raw.negativePrompt !== undefined && raw.negativePrompt !== '') {
		if (spec && !spec.supportsNegativePrompt) {
			throw new ParameterError(
				'Negative Prompt',
				`${model} does not support a Negative Prompt. Remove it.`,
			);
		}
		tuning.negativePrompt = validatePrompt(raw.negativePrompt, 'Negative Prompt');
	}
	if (raw.textMode !== undefined && raw.textMode !== null && raw.textMode !== '') {
		if (spec && !spec.supportsTextMode) {
			throw new ParameterError('Text Mode', `${model} does not support Text Mode. Remove it.`);
		}
		if (typeof raw.textMode !== 'boolean') {
			throw new ParameterError(
				'Text Mode',
				`Text Mode must be true or false, got ${String(raw.textMode)}.`,
			);
		}
		tuning.textMode = raw.textMode;
	}
	return tuning;
}

/** The JSON body for POST /images/generations: exactly the fields the user set, as the seed's curl sends them. */
export function buildGenerationBody(
	req: GenerateRequest,
): Record<string, string | number | boolean> {
	const body: Record<string, string | number | boolean> = {
		model: req.model,
		prompt: req.prompt,
		response_format: req.responseFormat,
	};
	if (req.size !== undefined) body.size = req.size;
	Object.assign(body, tuningFields(req.tuning));
	return body;
}

/**
 * The text fields of the multipart body for POST /images/edits, in the seed's curl order.
 * The edit operation puts the image file part right after `model`; numbers and booleans travel as strings.
 */
export function buildEditFields(req: EditRequest): Array<[string, string]> {
	const fields: Array<[string, string]> = [
		['model', req.model],
		['prompt', req.prompt],
		['response_format', req.responseFormat],
	];
	for (const [name, value] of Object.entries(tuningFields(req.tuning)))
		fields.push([name, String(value)]);
	return fields;
}

function tuningFields(t: TuningOptions): Record<string, number | boolean | string> {
	const out: Record<string, number | boolean | string> = {};
	if (t.cfgScale !== undefined) out.cfg_scale = t.cfgScale;
	if (t.steps !== undefined) out.steps = t.steps;
	if (t.seed !== undefined) out.seed = t.seed;
	if (t.textMode !== undefined) out.text_mode = t.textMode;
	if (t.negativePrompt !== undefined) out.negative_prompt = t.negativePrompt;
	return out;
}
