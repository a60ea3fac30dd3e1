// @ts-check
'use strict';
/** Plain HTTP for talking to n8n (Node's http module, no dependencies). */
const http = require('node:http');
const net = require('node:net');

/**
 * @typedef {object} HttpRequestOptions
 * @property {string} [method] default GET
 * @property {Record<string, string | number | string[]>} [headers]
 * @property {unknown} [body] a Buffer or string is sent as is; anything else as JSON
 * @property {number} [timeoutMs] default 30000
 */

/**
 * @typedef {object} HttpResponse
 * @property {number} status
 * @property {import('node:http').IncomingHttpHeaders} headers
 * @property {any} body the parsed JSON for a JSON content type, else the text
 * @property {string} text
 * @property {Buffer} buffer
 */

/**
 * A free TCP port on 127.0.0.1 (free when asked; another process may take it later).
 * @returns {Promise<number>}
 */
function freePort() {
	return new Promise((resolve, reject) => {
		const srv = net.createServer();
		srv.unref();
		srv.on('error', reject);
		srv.listen(0, '127.0.0.1', () => {
			const { port } = /** @type {net.AddressInfo} */ (srv.address());
			srv.close(() => resolve(port));
		});
	});
}

/**
 * Plain HTTP request with a JSON or raw body. Resolves { status, headers, body, text, buffer }.
 * @param {string} url
 * @param {HttpRequestOptions} [options]
 * @returns {Promise<HttpResponse>}
 */
function httpRequest(url, { method = 'GET', headers = {}, body, timeoutMs = 30000 } = {}) {
	return new Promise((resolve, reject) => {
		const u = new URL(url);
		/** @type {Buffer | string | undefined} */
		let payload;
		const h = { ...headers };
		if (body !== undefined && body !== null) {
			if (Buffer.isBuffer(body) || typeof body === 'string') payload = body;
			else {
				payload = JSON.stringify(body);
				if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) {
					h['content-type'] = 'application/json';
				}
			}
			h['content-length'] = Buffer.byteLength(payload);
		}
		const req = http.request(
			{
				hostname: u.hostname,
				port: u.port,
				path: u.pathname + u.search,
				method,
				headers: h,
				timeout: timeoutMs,
			},
			(res) => {
				/** @type {Buffer[]} */
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => {
					const buf = Buffer.concat(chunks);
					const text = buf.toString('utf8');
					/** @type {unknown} */
					let parsed = text;
					if (/json/.test(res.headers['content-type'] || '')) {
						try {
							parsed = JSON.parse(text);
						} catch {
							/* keep text */
						}
					}
					resolve({
						status: /** @type {number} */ (res.statusCode),
						headers: res.headers,
						body: parsed,
						text,
						buffer: buf,
					});
				});
			},
		);
		req.on('timeout', () =>
			req.destroy(new Error(`timeout after ${timeoutMs} ms: ${method} ${url}`)),
		);
		req.on('error', reject);
		if (payload !== undefined) req.write(payload);
		req.end();
	});
}

module.exports = { freePort, httpRequest };
