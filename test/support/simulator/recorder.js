// @ts-check
'use strict';
// The request log and the counters behind stats(): one RecordedRequest per HTTP request (API and
// /files), in arrival order.

const crypto = require('crypto');

/**
 * Whatever JSON.parse returns.
 * @typedef {ReturnType<typeof JSON.parse>} JsonValue
 */

/**
 * @typedef {object} RecordedFile
 * @property {string} field
 * @property {string} filename
 * @property {string | undefined} contentType
 * @property {number} size
 * @property {string} sha256
 * @property {Buffer} data
 * @property {'png' | 'jpeg' | 'webp'} [format] Set for the edit image once sniffed.
 * @property {number} [width]
 * @property {number} [height]
 */

/**
 * @typedef {object} RecordedRequest
 * @property {number} id
 * @property {string} method
 * @property {string} path
 * @property {Record<string, string>} query
 * @property {Record<string, string | string[] | undefined>} headers Lower-cased header names.
 * @property {string | undefined} authorization
 * @property {string | undefined} contentType
 * @property {JsonValue} json Parsed JSON body (typed like JSON.parse's result).
 * @property {Record<string, string>} fields
 * @property {RecordedFile[]} files
 * @property {number} rawBodySize
 * @property {number | null | undefined} status Status answered; null when the socket was reset;
 *   undefined while in flight.
 * @property {string} traceId
 * @property {number} receivedAt
 * @property {number | undefined} finishedAt
 * @property {string | null} fault 'script' | 'reset' | 'truncate' | 'hang' | 'error' | null
 * @property {boolean} [isFile] true for GET /files/...
 * @property {string} [prefix] '/step_plan/v1' | '/v1' | undefined
 * @property {string} [route] e.g. '/images/generations'
 * @property {number} [seedUsed] Seed reported in data[0].seed (image requests that got that far).
 * @property {{ width: number; height: number }} [output] Output image dimensions.
 * @property {string} [outputSha256] sha256 of the generated PNG.
 * @property {boolean} [clientGone] The client had gone away before the answer was written.
 */

/**
 * @typedef {object} SimulatorStats
 * @property {number} received API requests received (not /files).
 * @property {number} accepted API requests that passed auth and the rate-limit gates.
 * @property {number} rejected429 429 answers (rate limits and scripted 429s).
 * @property {Record<string, number>} byStatus API answers by status ('reset' for connection resets).
 * @property {number} maxInFlight Peak number of authenticated API requests open at once (including ones
 *   then rejected with 429).
 * @property {number} inFlight
 * @property {number} files /files requests.
 * @property {Record<string, number>} filesByStatus
 */

/** @typedef {Omit<SimulatorStats, 'inFlight'>} Counters */

/** @returns {Counters} */
function newCounters() {
	return {
		received: 0,
		accepted: 0,
		rejected429: 0,
		byStatus: {},
		maxInFlight: 0,
		files: 0,
		filesByStatus: {},
	};
}

/**
 * A fresh record for an incoming request.
 * @param {import('http').IncomingMessage} req
 * @param {URL} u the parsed request URL
 * @param {number} id
 * @returns {RecordedRequest}
 */
function createRecord(req, u, id) {
	/** @type {Record<string, string>} */
	const query = {};
	for (const [k, v] of u.searchParams) query[k] = v;
	return {
		id,
		method: /** @type {string} */ (req.method),
		path: u.pathname,
		query,
		headers: { ...req.headers },
		authorization: req.headers.authorization,
		contentType: req.headers['content-type'],
		json: undefined,
		fields: {},
		files: [],
		rawBodySize: 0,
		status: undefined,
		traceId: crypto.randomBytes(16).toString('hex'),
		receivedAt: Date.now(),
		finishedAt: undefined,
		fault: null,
	};
}

/**
 * Count an answer (`null` = connection reset).
 * @param {Counters} counters
 * @param {number | null} status
 * @param {boolean | undefined} isFile
 */
function countStatus(counters, status, isFile) {
	const key = status === null ? 'reset' : String(status);
	const m = isFile ? counters.filesByStatus : counters.byStatus;
	m[key] = (m[key] || 0) + 1;
	if (status === 429 && !isFile) counters.rejected429++;
}

/**
 * A snapshot for stats().
 * @param {Counters} counters
 * @param {number} inFlight authenticated API requests not yet answered
 * @returns {SimulatorStats}
 */
function statsOf(counters, inFlight) {
	return {
		received: counters.received,
		accepted: counters.accepted,
		rejected429: counters.rejected429,
		byStatus: { ...counters.byStatus },
		maxInFlight: counters.maxInFlight,
		inFlight,
		files: counters.files,
		filesByStatus: { ...counters.filesByStatus },
	};
}

module.exports = { newCounters, createRecord, countStatus, statsOf };
