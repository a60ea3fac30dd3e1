// @ts-check
'use strict';
// The StepFun image API contract the simulator implements (/work/shared/docs/stepfun-image-api.md):
// base-URL prefixes, routes, limits and the models. The fields, their checks and the models' sizes
// come from the node's own parameter table (nodes/StepFunImage/domain), so the two cannot drift.

const { API_FIELDS } = require('../../../nodes/StepFunImage/domain/apiFields');
const NODE = require('../../../nodes/StepFunImage/domain/models');

/** Base-URL prefixes: Step Plan and the open platform. */
const PREFIXES = ['/step_plan/v1', '/v1'];

/**
 * API routes (below a prefix) and the one method each accepts.
 * @type {Readonly<Record<string, string>>}
 */
const ROUTES = Object.freeze({
	'/models': 'GET',
	'/images/generations': 'POST',
	'/images/edits': 'POST',
});

/** Prompt length limit, in Unicode code points. */
const MAX_PROMPT = API_FIELDS.prompt.check.maxCodePoints;
const MAX_SEED = API_FIELDS.seed.check.max;
/** Largest width or height of an edit input image. */
const MAX_EDIT_DIM = 4096;
/** Generated images kept for /files downloads (oldest dropped first). */
const MAX_FILES_KEPT = 256;

const DEFAULT_API_KEY = 'sk-simulator';
const DEFAULT_HOST = '127.0.0.1';
const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
/** `created` reported by /models for ids without a spec (extraModels). */
const EXTRA_MODEL_CREATED = 1767225600;

/**
 * @typedef {object} ModelSpec
 * @property {import('../../../nodes/StepFunImage/domain/models').KnownModel} id the model whose
 *   fields it takes (a model of extraModels behaves as EXTRA_MODEL_LIKE)
 * @property {readonly string[]} sizes
 * @property {string} defaultSize
 * @property {boolean} edits
 * @property {boolean} seedZeroIsRandom
 * @property {number} created
 */

/** What the API says of a model beyond the node's table: when /models lists it, how seed 0 works. */
const LISTED = {
	'step-image-edit-2': { created: 1751328000, seedZeroIsRandom: false },
	'step-2x-large': { created: 1735689600, seedZeroIsRandom: true },
};

/** @type {Record<string, ModelSpec>} */
const MODELS = Object.fromEntries(
	Object.entries(NODE.MODELS).map(([id, spec]) => [
		id,
		{
			id: /** @type {ModelSpec['id']} */ (id),
			sizes: spec.sizes,
			defaultSize: spec.defaultSize,
			edits: /** @type {readonly string[]} */ (spec.operations).includes('edit'),
			...LISTED[/** @type {keyof typeof LISTED} */ (id)],
		},
	]),
);

/** Model whose capabilities extraModels ids get. */
const EXTRA_MODEL_LIKE = 'step-image-edit-2';

module.exports = {
	PREFIXES,
	ROUTES,
	MAX_PROMPT,
	MAX_SEED,
	MAX_EDIT_DIM,
	MAX_FILES_KEPT,
	DEFAULT_API_KEY,
	DEFAULT_HOST,
	DEFAULT_MAX_BODY_BYTES,
	EXTRA_MODEL_CREATED,
	EXTRA_MODEL_LIKE,
	MODELS,
};
