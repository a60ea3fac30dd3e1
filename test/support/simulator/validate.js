// @ts-check
'use strict';
// Parameter validation for /images/generations and /images/edits, from the node's parameter table
// (each field's endpoints, models, type and range). `params` holds typed values (JSON) or strings
// (multipart, `form: true`); every failure is a 400 request_params_invalid naming the field.

const { API_FIELD_LIST, modelTakes } = require('../../../nodes/StepFunImage/domain/apiFields');
const { MODELS, MAX_PROMPT, EXTRA_MODEL_LIKE } = require('./contract');
const { invalid } = require('./errors');

/** @typedef {import('./contract').ModelSpec} ModelSpec */
/** @typedef {import('./faults').SimulatorFaults} SimulatorFaults */
/** @typedef {Record<string, unknown>} Params */

/**
 * @typedef {object} CommonParams The optional parameters the answer depends on.
 * @property {'url' | 'b64_json'} responseFormat
 * @property {number | undefined} seed
 */

/** @param {unknown} v */
function typeName(v) {
	return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

/**
 * Length in Unicode code points (what the API's character limits count).
 * @param {string} s
 */
const codePoints = (s) => Array.from(s).length;

/**
 * The spec of a supported model (extraModels count as step-image-edit-2; retiredModels are unsupported).
 * @param {unknown} model
 * @param {SimulatorFaults} faults
 * @param {boolean} forEdits
 * @returns {ModelSpec}
 */
function modelSpec(model, faults, forEdits) {
	if (model === undefined) throw invalid('model is required');
	if (typeof model !== 'string') throw invalid(`model must be a string, got ${typeName(model)}`);
	if (model === '') throw invalid('model is required');
	const retired = (faults.retiredModels || []).includes(model);
	let spec = Object.prototype.hasOwnProperty.call(MODELS, model) ? MODELS[model] : undefined;
	if (!spec && (faults.extraModels || []).includes(model)) spec = MODELS[EXTRA_MODEL_LIKE];
	if (!spec || retired) throw invalid(`model ${model} not supported`);
	if (forEdits && !spec.edits) throw invalid(`model ${model} not supported for edits`);
	return spec;
}

/**
 * @template {boolean} R
 * @param {string} field
 * @param {unknown} v
 * @param {R} required
 * @param {number} [max] code points
 * @returns {R extends true ? string : string | undefined}
 */
function checkPrompt(field, v, required, max = MAX_PROMPT) {
	if (v === undefined) {
		if (required) throw invalid(`${field} is required`);
		return /** @type {R extends true ? string : string | undefined} */ (undefined);
	}
	if (typeof v !== 'string') throw invalid(`${field} must be a string, got ${typeName(v)}`);
	if (required && v.trim() === '') throw invalid(`${field} must not be empty`);
	const n = codePoints(v);
	if (n > max) throw invalid(`${field} must be at most ${max} characters, got ${n}`);
	return /** @type {R extends true ? string : string | undefined} */ (v);
}

/**
 * @param {string} field
 * @param {unknown} v
 * @param {number} min
 * @param {number} max
 * @param {boolean} form
 * @returns {number}
 */
function toInt(field, v, min, max, form) {
	const msg = `${field} must be an integer between ${min} and ${max}`;
	if (form) {
		if (typeof v !== 'string' || !/^-?\d{1,15}$/.test(v)) {
			throw invalid(`${msg}, got ${JSON.stringify(v)}`);
		}
		v = Number(v);
	} else if (typeof v !== 'number' || !Number.isInteger(v)) {
		throw invalid(`${msg}, got ${typeName(v) === 'number' ? v : typeName(v)}`);
	}
	const n = /** @type {number} */ (v);
	if (n < min || n > max) throw invalid(`${msg}, got ${n}`);
	return n;
}

/**
 * @param {string} field
 * @param {unknown} v
 * @param {number} min
 * @param {number} max
 * @param {boolean} form
 * @returns {number}
 */
function toNumber(field, v, min, max, form) {
	const msg = `${field} must be a number between ${min.toFixed(1)} and ${max.toFixed(1)}`;
	if (form) {
		if (typeof v !== 'string' || !/^-?\d{1,10}(\.\d{1,10})?$/.test(v)) {
			throw invalid(`${msg}, got ${JSON.stringify(v)}`);
		}
		v = Number(v);
	} else if (typeof v !== 'number' || !Number.isFinite(v)) {
		throw invalid(`${msg}, got ${typeName(v)}`);
	}
	const n = /** @type {number} */ (v);
	if (n < min || n > max) throw invalid(`${msg}, got ${n}`);
	return n;
}

/**
 * @param {string} field
 * @param {unknown} v
 * @param {boolean} form
 * @returns {boolean}
 */
function toBool(field, v, form) {
	if (form) {
		if (v === 'true') return true;
		if (v === 'false') return false;
		throw invalid(`${field} must be a boolean ("true" or "false"), got ${JSON.stringify(v)}`);
	}
	if (typeof v !== 'boolean') throw invalid(`${field} must be a boolean, got ${typeName(v)}`);
	return v;
}

/**
 * Validate the optional fields of the table that `operation` takes (model, prompt and size are
 * checked on their own): a field the model does not take is refused, the others must have the row's
 * type and range. `n` is not in the table (the node never sends it): the API takes only 1.
 * @param {Params} params
 * @param {ModelSpec} spec
 * @param {unknown} modelId
 * @param {'generate' | 'edit'} operation
 * @param {boolean} form
 * @returns {CommonParams}
 */
function validateCommon(params, spec, modelId, operation, form) {
	if (params.n !== undefined) {
		const n = form ? (params.n === '1' ? 1 : NaN) : params.n;
		if (n !== 1) throw invalid(`n must be 1, got ${JSON.stringify(params.n)}`);
	}
	/** @type {Record<string, unknown>} */
	const values = {};
	for (const field of API_FIELD_LIST) {
		const v = params[field.wire];
		if (v === undefined || ['model', 'prompt', 'size'].includes(field.wire)) continue;
		if (!field.operations.includes(operation)) continue; // as the API: ignored there
		if (!modelTakes(field, spec.id)) {
			throw invalid(`${field.wire} is not supported by model ${modelId}`);
		}
		values[field.wire] = checkField(field.wire, field.check, v, form);
	}
	return {
		responseFormat: /** @type {CommonParams['responseFormat']} */ (values.response_format ?? 'url'),
		seed: /** @type {number | undefined} */ (values.seed),
	};
}

/**
 * One field's value checked as its row says.
 * @param {string} name
 * @param {import('../../../nodes/StepFunImage/domain/apiFields').Check} check
 * @param {unknown} v
 * @param {boolean} form
 */
function checkField(name, check, v, form) {
	switch (check.kind) {
		case 'integer':
			return toInt(name, v, check.min, check.max, form);
		case 'number':
			return toNumber(name, v, check.min, check.max, form);
		case 'boolean':
			return toBool(name, v, form);
		case 'text':
			return checkPrompt(name, v, false, check.maxCodePoints);
		case 'choice':
			if (typeof v !== 'string' || !check.values.includes(v)) {
				const allowed = check.values.map((c) => JSON.stringify(c)).join(', ');
				throw invalid(`${name} must be one of ${allowed}, got ${JSON.stringify(v)}`);
			}
			return v;
		default:
			throw invalid(`${name} cannot be checked here`);
	}
}

/**
 * The generation size: the model's default, or one of its sizes.
 * @param {Params} params
 * @param {ModelSpec} spec
 * @returns {{ width: number; height: number }}
 */
function generationSize(params, spec) {
	let size = spec.defaultSize;
	if (params.size !== undefined) {
		if (typeof params.size !== 'string') {
			throw invalid(`size must be a string, got ${typeName(params.size)}`);
		}
		if (!spec.sizes.includes(params.size)) {
			throw invalid(
				`size ${params.size} not supported by model ${params.model}; supported: ${spec.sizes.join(', ')}`,
			);
		}
		size = params.size;
	}
	return parseSize(size);
}

/**
 * "WxH" → {width, height} (sizes come from MODELS, so always well-formed).
 * @param {string} s
 */
function parseSize(s) {
	const m = /** @type {RegExpExecArray} */ (/^(\d+)x(\d+)$/.exec(s));
	return { width: Number(m[1]), height: Number(m[2]) };
}

module.exports = {
	typeName,
	codePoints,
	modelSpec,
	checkPrompt,
	toInt,
	toNumber,
	toBool,
	checkField,
	validateCommon,
	generationSize,
	parseSize,
};
