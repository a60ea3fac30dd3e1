// @ts-check
'use strict';
// The file host behind response_format "url": generated images stored in memory and served under
// /files/<name> without auth, latency or faults (except expiry: urlExpired, fileTtlMs).

const crypto = require('crypto');
const { MAX_FILES_KEPT } = require('../contract');
const { errorBody } = require('../errors');
const { readBody, send, resetSocket } = require('../respond');

/** @typedef {import('../state').SimulatorContext} SimulatorContext */
/** @typedef {import('../recorder').RecordedRequest} RecordedRequest */

/**
 * Keep `data` for download (the oldest files go beyond MAX_FILES_KEPT); returns its URL.
 * @param {SimulatorContext} ctx
 * @param {Buffer} data
 * @param {string} contentType
 * @returns {string}
 */
function storeFile(ctx, data, contentType) {
	const { files } = ctx.state;
	const name = `${crypto.randomBytes(12).toString('hex')}.png`;
	files.set(name, { data, contentType, createdAt: Date.now() });
	while (files.size > MAX_FILES_KEPT)
		files.delete(/** @type {string} */ (files.keys().next().value));
	return `${ctx.url}/files/${name}`;
}

/**
 * Answer GET/HEAD /files/<name>.
 * @param {SimulatorContext} ctx
 * @param {import('http').IncomingMessage} req
 * @param {import('http').ServerResponse} res
 * @param {RecordedRequest} record
 * @param {URL} u
 */
async function serveFile(ctx, req, res, record, u) {
	record.isFile = true;
	ctx.state.counters.files++;
	const got = await readBody(req, record, ctx.maxBodyBytes);
	if (got.aborted) return resetSocket(ctx, req, record);
	if (req.method !== 'GET' && req.method !== 'HEAD') {
		const body = errorBody(405, 'Method not allowed', 'method_not_allowed');
		return send(ctx, res, record, 405, body, { allow: 'GET, HEAD' });
	}
	const { faults, files } = ctx.state;
	const f = files.get(u.pathname.slice('/files/'.length));
	const expired =
		faults.urlExpired || (f && faults.fileTtlMs > 0 && Date.now() - f.createdAt > faults.fileTtlMs);
	if (!f || expired) {
		return send(ctx, res, record, 404, errorBody(404, 'File not found or expired', 'not_found'));
	}
	return send(ctx, res, record, 200, f.data, {
		'content-type': f.contentType,
		'cache-control': 'private, max-age=0',
	});
}

module.exports = { storeFile, serveFile };
