// @ts-check
'use strict';
// POST /images/generations and /images/edits after auth, rate limits and scripted faults: validation,
// the content knobs (retiredEndpoint, insufficientBalance, blocked/filtered prompts), the seed, the
// generated PNG (with its label) and the answer, including the `malformed` variants.

const crypto = require('crypto');
const png = require('../png');
const { MAX_SEED } = require('../contract');
const { ApiError } = require('../errors');
const { modelSpec, checkPrompt, validateCommon, generationSize } = require('../validate');
const { readGenerationParams } = require('./generations');
const { readEditParts, checkEditImage } = require('./edits');
const { storeFile } = require('./files');

/** @typedef {import('../state').SimulatorContext} SimulatorContext */
/** @typedef {import('../recorder').RecordedRequest} RecordedRequest */
/** @typedef {{ status: number; body: unknown; headers?: Record<string, string> }} ApiResult */

/**
 * @param {SimulatorContext} ctx
 * @param {'/images/generations' | '/images/edits'} route
 * @param {import('http').IncomingMessage} req
 * @param {Buffer} body
 * @param {RecordedRequest} record
 * @returns {ApiResult}
 */
function processImages(ctx, route, req, body, record) {
	const { faults } = ctx.state;
	if (faults.retiredEndpoint === 404) {
		throw new ApiError(404, `Unknown path ${req.method} ${record.path}`, 'not_found');
	}
	if (faults.retiredEndpoint === 503) {
		throw new ApiError(503, 'Service unavailable', 'service_unavailable');
	}
	const isEdit = route === '/images/edits';
	const { params, image } = isEdit
		? readEditParts(req, body, record)
		: { params: readGenerationParams(req, body, record), image: undefined };

	const spec = modelSpec(params.model, faults, isEdit);
	const prompt = checkPrompt('prompt', params.prompt, true);
	let size = isEdit ? undefined : generationSize(params, spec);
	const common = validateCommon(params, spec, params.model, isEdit ? 'edit' : 'generate', isEdit);
	if (isEdit) size = checkEditImage(image);
	const { width, height } = /** @type {{ width: number; height: number }} */ (size);
	if (faults.insufficientBalance) {
		throw new ApiError(402, 'Insufficient account balance', 'insufficient_balance');
	}
	if ((faults.blockedPrompts || []).some((s) => s && prompt.includes(s))) {
		throw new ApiError(451, 'The request was rejected by content moderation', 'censorship_blocked');
	}

	let seed = common.seed;
	if (seed === undefined || (seed === 0 && spec.seedZeroIsRandom)) {
		seed = 1 + Math.floor(ctx.state.seedRand() * MAX_SEED);
	}
	record.seedUsed = seed;
	record.output = { width, height };

	const id = crypto.randomBytes(16).toString('hex');
	const created = Math.floor(Date.now() / 1000);
	if ((faults.filteredPrompts || []).some((s) => s && prompt.includes(s))) {
		return {
			status: 200,
			body: { id, created, data: [{ finish_reason: 'content_filtered', seed }] },
		};
	}

	const key = isEdit
		? `edit\0${image?.sha256}\0${prompt}\0${seed}`
		: `gen\0${params.model}\0${seed}\0${prompt}`;
	// png.makePng looked up per call: the benchmark's simulator process memoizes it.
	const label = { operation: isEdit ? 'edit' : 'generate', seed, prompt };
	const output = png.makePng(width, height, key, 1, label);
	record.outputSha256 = crypto.createHash('sha256').update(output).digest('hex');
	return imageAnswer(ctx, id, created, seed, output, common.responseFormat);
}

/**
 * The 200 answer carrying `output`, or its `malformed` variant.
 * @param {SimulatorContext} ctx
 * @param {string} id
 * @param {number} created
 * @param {number} seed
 * @param {Buffer} output
 * @param {'url' | 'b64_json'} responseFormat
 * @returns {ApiResult}
 */
function imageAnswer(ctx, id, created, seed, output, responseFormat) {
	const malformed = ctx.state.faults.malformed;
	if (malformed === 'not-json') {
		return {
			status: 200,
			body: '<html><body>upstream gateway returned garbage',
			headers: { 'content-type': 'application/json' },
		};
	}
	if (malformed === 'no-data') return { status: 200, body: { id, created } };
	/** @type {{ finish_reason: string; seed: number; b64_json?: string; url?: string }} */
	const item = { finish_reason: 'success', seed };
	if (responseFormat === 'b64_json') {
		item.b64_json =
			malformed === 'empty-b64'
				? ''
				: malformed === 'bad-b64'
					? '!!not*base64**' + output.subarray(0, 16).toString('hex')
					: output.toString('base64');
	} else if (malformed === 'empty-b64') {
		item.url = '';
	} else if (malformed === 'bad-b64') {
		item.url = storeFile(ctx, Buffer.from('this is not an image'), 'image/png');
	} else {
		item.url = storeFile(ctx, output, 'image/png');
	}
	return { status: 200, body: { id, created, data: [item] } };
}

module.exports = { processImages };
