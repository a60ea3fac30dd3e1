// @ts-check
'use strict';
// Parameter validation for /images/generations and /images/edits. `params` holds typed values (JSON) or
// strings (multipart, `form: true`); every failure is a 400 request_params_invalid naming the field.

const { MODELS, MAX_PROMPT, MAX_SEED, EXTRA_MODEL_LIKE } = require('./contract');
const { invalid } = require('./errors');

/** @typedef {import('./contract').ModelSpec} ModelSpec */
/** @typedef {import('./faults').SimulatorFaults} SimulatorFaults */
/** @typedef {Record<string, unknown>} Params */

/**
 * @typedef {object} CommonParams Normalised optional parameters shared by generations and edits.
 * @property {'url' | 'b64_json'} responseFormat
 * @property {number | undefined} seed
 * @property {number} steps
 * @property {number} cfgScale
 * @property {string} [negativePrompt]
 * @property {boolean} [textMode]
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
	let spec = MODELS[model];
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
 * @returns {R extends true ? string : string | undefined}
 */
function checkPrompt(field, v, required) {
	if (v === undefined) {
		if (required) throw invalid(`${field} is required`);
		return /** @type {R extends true ? string : string | undefined} */ (undefined);
	}
	if (typeof v !== 'string') throw invalid(`${field} must be a string, got ${typeName(v)}`);
	if (required && v.trim() === '') throw invalid(`${field} must not be empty`);
	const n = codePoints(v);
	if (n > MAX_PROMPT) throw invalid(`${field} must be at most ${MAX_PROMPT} characters, got ${n}`);
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
 * Validate the optional parameters shared by generations and edits. Returns normalised values.
 * @param {Params} params
 * @param {ModelSpec} spec
 * @param {unknown} modelId
 * @param {boolean} form
 * @returns {CommonParams}
 */
function validateCommon(params, spec, modelId, form) {
	/** @param {string} k */
	const has = (k) => params[k] !== undefined;
	if (has('n')) {
		const n = form ? (params.n === '1' ? 1 : NaN) : params.n;
		if (n !== 1) throw invalid(`n must be 1, got ${JSON.stringify(params.n)}`);
	}
	/** @type {CommonParams['responseFormat']} */
	let responseFormat = 'url';
	if (has('response_format')) {
		const rf = params.response_format;
		if (rf !== 'url' && rf !== 'b64_json') {
			throw invalid(`response_format must be one of "url", "b64_json", got ${JSON.stringify(rf)}`);
		}
		responseFormat = rf;
	}
	/** @type {CommonParams} */
	const out = {
		responseFormat,
		seed: has('seed') ? toInt('seed', params.seed, 0, MAX_SEED, form) : undefined,
		steps: has('steps') ? toInt('steps', params.steps, 1, 50, form) : spec.defaultSteps,
		cfgScale: has('cfg_scale')
			? toNumber('cfg_scale', params.cfg_scale, 1, 10, form)
			: spec.defaultCfg,
	};
	if (has('negative_prompt')) {
		if (!spec.negativePrompt) throw invalid(`negative_prompt is not supported by model ${modelId}`);
		out.negativePrompt = checkPrompt('negative_prompt', params.negative_prompt, false);
	}
	if (has('text_mode')) {
		if (!spec.textMode) throw invalid(`text_mode is not supported by model ${modelId}`);
		out.textMode = toBool('text_mode', params.text_mode, form);
	} else if (spec.textMode) out.textMode = false;
	return out;
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
	validateCommon,
	generationSize,
	parseSize,
};
