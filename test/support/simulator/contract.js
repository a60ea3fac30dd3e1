// @ts-check
'use strict';
// The StepFun image API contract the simulator implements (/work/shared/docs/stepfun-image-api.md):
// base-URL prefixes, routes, limits and the models with their capabilities.

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

/** Prompt and negative_prompt length limit, in Unicode code points. */
const MAX_PROMPT = 512;
const MAX_SEED = 2147483647;
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
 * @property {string[]} sizes
 * @property {string} defaultSize
 * @property {number} defaultSteps
 * @property {number} defaultCfg
 * @property {boolean} negativePrompt
 * @property {boolean} textMode
 * @property {boolean} edits
 * @property {boolean} seedZeroIsRandom
 * @property {number} created
 */

/** @type {Record<string, ModelSpec>} */
const MODELS = {
	'step-image-edit-2': {
		sizes: ['1024x1024', '768x1360', '896x1184', '1360x768', '1184x896'],
		defaultSize: '1024x1024',
		defaultSteps: 8,
		defaultCfg: 1.0,
		negativePrompt: true,
		textMode: true,
		edits: true,
		seedZeroIsRandom: false,
		created: 1751328000,
	},
	'step-2x-large': {
		sizes: ['256x256', '512x512', '768x768', '1024x1024', '1280x800', '800x1280'],
		defaultSize: '1024x1024',
		defaultSteps: 50,
		defaultCfg: 6,
		negativePrompt: false,
		textMode: false,
		edits: false,
		seedZeroIsRandom: true,
		created: 1735689600,
	},
};

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
