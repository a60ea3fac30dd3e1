// @ts-check
'use strict';
// Reading request bodies and writing answers (whole, truncated, or a reset connection), recording the
// outcome of each on its RecordedRequest and in the counters.

const { countStatus } = require('./recorder');

/** @typedef {import('./recorder').RecordedRequest} RecordedRequest */
/** @typedef {import('./state').SimulatorContext} SimulatorContext */
/** @typedef {import('http').IncomingMessage} IncomingMessage */
/** @typedef {import('http').ServerResponse} ServerResponse */

/**
 * A received body: the bytes, or why there are none.
 * @typedef {{ body?: Buffer; tooLarge?: boolean; aborted?: boolean }} ReceivedBody
 */

/**
 * Read the whole body (bytes beyond maxBodyBytes are counted, not kept). Records rawBodySize.
 * @param {IncomingMessage} req
 * @param {RecordedRequest} record
 * @param {number} maxBodyBytes
 * @returns {Promise<ReceivedBody>}
 */
function readBody(req, record, maxBodyBytes) {
	return new Promise((resolve) => {
		/** @type {Buffer[]} */
		const chunks = [];
		let size = 0;
		let tooLarge = false;
		req.on('data', (/** @type {Buffer} */ c) => {
			size += c.length;
			if (size > maxBodyBytes) tooLarge = true;
			else chunks.push(c);
		});
		req.on('end', () => {
			record.rawBodySize = size;
			resolve(tooLarge ? { tooLarge: true } : { body: Buffer.concat(chunks, size) });
		});
		req.on('error', () => resolve({ aborted: true }));
		req.on('aborted', () => resolve({ aborted: true }));
	});
}

/**
 * @param {Record<string, string> | undefined} h
 * @returns {Record<string, string>}
 */
function lowerKeys(h) {
	/** @type {Record<string, string>} */
	const o = {};
	for (const [k, v] of Object.entries(h || {})) o[k.toLowerCase()] = v;
	return o;
}

/**
 * Send an answer: a Buffer as is, a string as text, anything else as JSON. `mode` 'truncate' sends the
 * headers and half the body, then destroys the socket.
 * @param {SimulatorContext} ctx
 * @param {ServerResponse} res
 * @param {RecordedRequest} record
 * @param {number} status
 * @param {unknown} body
 * @param {Record<string, string>} [headers]
 * @param {'truncate'} [mode]
 */
function send(ctx, res, record, status, body, headers = {}, mode) {
	if (ctx.closed || res.destroyed || res.socket?.destroyed) {
		record.status = status;
		record.finishedAt = Date.now();
		record.clientGone = true;
		countStatus(ctx.state.counters, status, record.isFile);
		return;
	}
	let payload;
	let contentType = 'application/json';
	if (Buffer.isBuffer(body)) {
		payload = body;
		contentType = headers['content-type'] || 'application/octet-stream';
	} else if (typeof body === 'string') {
		payload = Buffer.from(body, 'utf8');
		contentType = headers['content-type'] || 'text/plain; charset=utf-8';
	} else {
		payload = Buffer.from(JSON.stringify(body), 'utf8');
	}
	const h = {
		'content-type': contentType,
		'content-length': String(payload.length),
		'x-trace-id': record.traceId,
		...lowerKeys(headers),
	};
	record.status = status;
	record.finishedAt = Date.now();
	countStatus(ctx.state.counters, status, record.isFile);
	res.writeHead(status, h);
	if (mode === 'truncate') {
		record.fault = record.fault || 'truncate';
		const part = payload.subarray(0, Math.max(1, Math.floor(payload.length / 2)));
		res.write(part, () => {
			setImmediate(() => res.socket && res.socket.destroy());
		});
		return;
	}
	if (record.method === 'HEAD') res.end();
	else res.end(payload);
}

/**
 * Destroy the connection without an answer (recorded as status null).
 * @param {SimulatorContext} ctx
 * @param {IncomingMessage} req
 * @param {RecordedRequest} record
 */
function resetSocket(ctx, req, record) {
	record.status = null;
	record.fault = record.fault || 'reset';
	record.finishedAt = Date.now();
	countStatus(ctx.state.counters, null, record.isFile);
	req.socket.destroy();
}

module.exports = { readBody, send, resetSocket, lowerKeys };
