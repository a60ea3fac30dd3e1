// @ts-check
'use strict';
// POST /images/generations: the JSON request body.

const { invalid } = require('../errors');
const { typeName } = require('../validate');

/** @typedef {import('../recorder').RecordedRequest} RecordedRequest */
/** @typedef {import('../validate').Params} Params */

/**
 * The parameters of a generation request (an application/json object). Records the parsed body.
 * @param {import('http').IncomingMessage} req
 * @param {Buffer} body
 * @param {RecordedRequest} record
 * @returns {Params}
 */
function readGenerationParams(req, body, record) {
	const ct = (req.headers['content-type'] || '').toLowerCase();
	if (!/^application\/json\s*(;|$)/.test(ct)) {
		throw invalid(
			`Content-Type must be application/json, got ${JSON.stringify(req.headers['content-type'] || '')}`,
		);
	}
	let params;
	try {
		params = JSON.parse(body.toString('utf8'));
	} catch {
		throw invalid('request body is not valid JSON');
	}
	record.json = params;
	if (typeName(params) !== 'object') throw invalid('request body must be a JSON object');
	return params;
}

module.exports = { readGenerationParams };
