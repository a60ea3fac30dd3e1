// Checking what the user set, before anything is sent: pure, no n8n context. Each check names the
// field and what it got; the API fields' checks come from their rows in apiFields.ts.
import {
	API_FIELD_LIST,
	API_FIELDS,
	modelTakes,
	type ApiField,
	type WireFields,
} from './apiFields';
import { ParameterError } from './failures';
import { modelSpec } from './models';

export function countCodePoints(text: string): number {
	// A string iterates by code point: '😀' counts 1 here, 2 in text.length.
	return Array.from(text).length;
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

export function validateModel(model: unknown): string {
	const id = typeof model === 'string' ? model.trim() : '';
	if (!id) throw new ParameterError('Model', 'Model is empty: pick a model or type a model ID.');
	return id;
}

// Whitespace, control and format characters (zero-width space/joiners, BOM, soft hyphen…) and the
// blank-looking letters: a prompt made only of these shows nothing to the model.
const INVISIBLE = /^[\s\p{Cc}\p{Cf}\p{Zs}\u115f\u1160\u2800\u3164\uffa0]*$/u;

/** A prompt (or another text field): text, not only invisible characters, within its length. */
export function validatePrompt(
	prompt: unknown,
	field = API_FIELDS.prompt.label,
	maxCodePoints = API_FIELDS.prompt.check.maxCodePoints,
): string {
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
	if (length > maxCodePoints) {
		throw new ParameterError(
			field,
			`${field} is ${length} characters long; StepFun accepts at most ${maxCodePoints}. Shorten it.`,
		);
	}
	return prompt;
}

const DECIMAL = /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i;

/**
 * A numeric parameter in a range; undefined when unset. Accepts numbers and decimal text (a Form or
 * Webhook field), never booleans, hex or other notations that Number() would read.
 */
export function checkRange(
	field: string,
	value: unknown,
	range: { min: number; max: number; integer?: boolean },
): number | undefined {
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
	if ((range.integer && !Number.isInteger(n)) || n < range.min || n > range.max) {
		const kind = range.integer ? 'a whole number' : 'a number';
		throw new ParameterError(
			field,
			`${field} must be ${kind} from ${range.min} to ${range.max}, got ${String(value)}.`,
		);
	}
	return n;
}

/** A size the model offers (any WIDTHxHEIGHT for a typed model ID); undefined for the model's default. */
export function validateSize(model: string, size: unknown): string | undefined {
	if (size === undefined || size === null || size === '') return undefined;
	const value = String(size).trim().replace(/\s+/g, '').replace('×', 'x').toLowerCase();
	const spec = modelSpec(model);
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

/**
 * The Image Settings the user added, checked and keyed by their wire names. Unset values stay unset
 * so the API's defaults apply; a setting the model does not take is refused.
 */
export function readSettings(model: string, raw: Record<string, unknown>): WireFields {
	const settings: WireFields = {};
	for (const field of API_FIELD_LIST) {
		if (!field.setting) continue;
		const value = raw[field.setting.name];
		if (value === undefined || value === null || value === '') continue;
		if (!modelTakes(field, model)) {
			throw new ParameterError(
				field.label,
				`${model} does not support ${field.named ?? field.label}. Remove it.`,
			);
		}
		settings[field.wire] = checkSetting(field, value);
	}
	return settings;
}

function checkSetting(field: ApiField, value: unknown): string | number | boolean {
	const { check, label } = field;
	switch (check.kind) {
		case 'integer':
		case 'number':
			return checkRange(label, value, { ...check, integer: check.kind === 'integer' })!;
		case 'boolean':
			if (typeof value !== 'boolean') {
				throw new ParameterError(label, `${label} must be true or false, got ${String(value)}.`);
			}
			return value;
		case 'text':
			return validatePrompt(value, label, check.maxCodePoints);
		default:
			throw new ParameterError(label, `${label} cannot be an Image Setting.`);
	}
}
