// Parameter checks for /images/generations and /images/edits, from the node's parameter table (each
// field's endpoints, models, type and range). Values are typed (JSON) or strings (multipart, `form`);
// every failure is a 400 request_params_invalid that names the field.
import {
	API_FIELD_LIST,
	modelTakes,
	type Check,
} from '../../../nodes/StepFunImage/domain/apiFields';
import { EXTRA_MODEL_LIKE, MAX_PROMPT, MODELS, invalid, type ModelSpec } from './contract.cjs';
import type { Faults } from './faults.cjs';

export type Params = Record<string, unknown>;

export const typeName = (v: unknown) =>
	v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
/** Length in Unicode code points (what the API's character limits count). */
export const codePoints = (s: string) => Array.from(s).length;

/** A supported model's spec (extraModels count as step-image-edit-2; retiredModels are unsupported). */
export function modelSpec(model: unknown, faults: Faults, forEdits: boolean): ModelSpec {
	if (model === undefined || model === '') throw invalid('model is required');
	if (typeof model !== 'string') throw invalid(`model must be a string, got ${typeName(model)}`);
	let spec = Object.hasOwn(MODELS, model) ? MODELS[model] : undefined;
	if (!spec && faults.extraModels.includes(model)) spec = MODELS[EXTRA_MODEL_LIKE];
	if (!spec || faults.retiredModels.includes(model)) throw invalid(`model ${model} not supported`);
	if (forEdits && !spec.edits) throw invalid(`model ${model} not supported for edits`);
	return spec;
}

export function checkPrompt(field: string, v: unknown, required: true, max?: number): string;
export function checkPrompt(
	field: string,
	v: unknown,
	required: boolean,
	max?: number,
): string | undefined;
export function checkPrompt(field: string, v: unknown, required: boolean, max = MAX_PROMPT) {
	if (v === undefined) {
		if (required) throw invalid(`${field} is required`);
		return undefined;
	}
	if (typeof v !== 'string') throw invalid(`${field} must be a string, got ${typeName(v)}`);
	if (required && v.trim() === '') throw invalid(`${field} must not be empty`);
	const n = codePoints(v);
	if (n > max) throw invalid(`${field} must be at most ${max} characters, got ${n}`);
	return v;
}

/** A number in [min, max]: a JSON number, or (form) a string of the given shape. */
function toNumber(
	field: string,
	v: unknown,
	range: { min: number; max: number; integer: boolean },
	form: boolean,
) {
	const { min, max, integer } = range;
	const what = integer
		? `an integer between ${min} and ${max}`
		: `a number between ${min.toFixed(1)} and ${max.toFixed(1)}`;
	const msg = `${field} must be ${what}`;
	if (form) {
		const shape = integer ? /^-?\d{1,15}$/ : /^-?\d{1,10}(\.\d{1,10})?$/;
		if (typeof v !== 'string' || !shape.test(v)) throw invalid(`${msg}, got ${JSON.stringify(v)}`);
		v = Number(v);
	} else if (typeof v !== 'number' || !(integer ? Number.isInteger(v) : Number.isFinite(v))) {
		throw invalid(`${msg}, got ${integer && typeof v === 'number' ? v : typeName(v)}`);
	}
	const n = v as number;
	if (n < min || n > max) throw invalid(`${msg}, got ${n}`);
	return n;
}

function toBool(field: string, v: unknown, form: boolean): boolean {
	if (!form) {
		if (typeof v !== 'boolean') throw invalid(`${field} must be a boolean, got ${typeName(v)}`);
		return v;
	}
	if (v === 'true' || v === 'false') return v === 'true';
	throw invalid(`${field} must be a boolean ("true" or "false"), got ${JSON.stringify(v)}`);
}

/** One field's value checked as its row says. */
export function checkField(name: string, check: Check, v: unknown, form: boolean): unknown {
	switch (check.kind) {
		case 'integer':
		case 'number':
			return toNumber(name, v, { ...check, integer: check.kind === 'integer' }, form);
		case 'boolean':
			return toBool(name, v, form);
		case 'text':
			return checkPrompt(name, v, false, check.maxCodePoints);
		case 'choice':
			if (typeof v === 'string' && check.values.includes(v)) return v;
			throw invalid(
				`${name} must be one of ${check.values.map((c) => JSON.stringify(c)).join(', ')}, got ${JSON.stringify(v)}`,
			);
		default:
			throw invalid(`${name} cannot be checked here`);
	}
}

/**
 * The optional fields of the table that the operation takes (model, prompt and size are checked on their
 * own): a field the model does not take is refused, the others must have the row's type and range. `n` is
 * not in the table (the node never sends it): the API takes only 1.
 */
export function validateCommon(
	params: Params,
	spec: ModelSpec,
	modelId: unknown,
	operation: 'generate' | 'edit',
	form: boolean,
) {
	if (params.n !== undefined && (form ? params.n !== '1' : params.n !== 1)) {
		throw invalid(`n must be 1, got ${JSON.stringify(params.n)}`);
	}
	const values: Record<string, unknown> = {};
	for (const field of API_FIELD_LIST) {
		const v = params[field.wire];
		if (v === undefined || ['model', 'prompt', 'size'].includes(field.wire)) continue;
		if (!field.operations.includes(operation)) continue; // as the API: ignored there
		if (!modelTakes(field, spec.id))
			throw invalid(`${field.wire} is not supported by model ${modelId}`);
		values[field.wire] = checkField(field.wire, field.check, v, form);
	}
	return {
		responseFormat: (values.response_format ?? 'url') as 'url' | 'b64_json',
		seed: values.seed as number | undefined,
	};
}

/** The generation size: the model's default, or one of its sizes. */
export function generationSize(params: Params, spec: ModelSpec) {
	let size = spec.defaultSize;
	if (params.size !== undefined) {
		if (typeof params.size !== 'string')
			throw invalid(`size must be a string, got ${typeName(params.size)}`);
		if (!spec.sizes.includes(params.size)) {
			throw invalid(
				`size ${params.size} not supported by model ${params.model}; supported: ${spec.sizes.join(', ')}`,
			);
		}
		size = params.size;
	}
	const [width, height] = size.split('x').map(Number);
	return { width, height };
}
