// @ts-check
'use strict';
/** A local HTTP server for tests (127.0.0.1, random port) that records every request. */

const http = require('node:http');

/**
 * @typedef {object} RecordedRequest
 * @property {string} method
 * @property {string} url
 * @property {string} path
 * @property {Record<string, string | string[] | undefined>} headers
 * @property {Buffer} body
 */

/**
 * Minimal view of node's http request object, so .ts tests need no 'http' import.
 * @typedef {object} TestServerRequest
 * @property {string} [method]
 * @property {string} [url]
 * @property {Record<string, string | string[] | undefined>} headers
 */

/**
 * Minimal view of node's http response object, so .ts tests need no 'http' import.
 * @typedef {object} TestServerResponse
 * @property {number} statusCode
 * @property {boolean} headersSent
 * @property {(name: string, value: string | number | readonly string[]) => unknown} setHeader
 * @property {(status: number, headers?: Record<string, string | number>) => unknown} writeHead
 * @property {(body?: string | Uint8Array) => unknown} end
 * @property {() => unknown} destroy
 * @property {(event: 'close', listener: () => void) => unknown} on
 */

/**
 * @callback TestServerHandler
 * @param {TestServerRequest} req
 * @param {TestServerResponse} res
 * @param {Buffer} body The raw request body.
 * @param {RecordedRequest} record
 * @returns {void | Promise<void>}
 */

/**
 * @typedef {object} TestServer
 * @property {string} url e.g. http://127.0.0.1:34567
 * @property {number} port
 * @property {RecordedRequest[]} requests
 * @property {(handler: TestServerHandler) => void} setHandler
 * @property {() => Promise<void>} close
 */

/**
 * Starts an HTTP server on 127.0.0.1. `handler(req, res, body)` may be async; `body` is the raw
 * request body as a Buffer. Every request is recorded in `server.requests`
 * ({ method, url, path, headers, body }). Call `close()` when done. The default handler answers
 * 200 `{ ok: true }`.
 * @param {TestServerHandler} [handler]
 * @returns {Promise<TestServer>}
 */
async function startTestServer(handler) {
	/** @type {RecordedRequest[]} */
	const requests = [];
	/** @type {Set<import('node:net').Socket>} */
	const sockets = new Set();
	/** @type {TestServerHandler} */
	let currentHandler = handler ?? ((req, res) => sendJson(res, 200, { ok: true }));
	const server = http.createServer((req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			// A server's IncomingMessage always has method and url.
			const url = /** @type {string} */ (req.url);
			/** @type {RecordedRequest} */
			const record = {
				method: /** @type {string} */ (req.method),
				url,
				path: url.split('?')[0],
				headers: req.headers,
				body,
			};
			requests.push(record);
			Promise.resolve()
				.then(() => currentHandler(req, res, body, record))
				.catch((error) => {
					if (!res.headersSent) sendJson(res, 500, { error: String(error?.message ?? error) });
					else res.destroy();
				});
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await /** @type {Promise<void>} */ (
		new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
	);
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		requests,
		setHandler(next) {
			currentHandler = next;
		},
		async close() {
			for (const socket of sockets) socket.destroy();
			await /** @type {Promise<void>} */ (new Promise((resolve) => server.close(() => resolve())));
		},
	};
}

/**
 * @param {TestServerResponse} res
 * @param {number} status
 * @param {unknown} body Serialized as JSON.
 */
function sendJson(res, status, body) {
	const payload = Buffer.from(JSON.stringify(body));
	res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': payload.length });
	res.end(payload);
}

module.exports = { startTestServer, sendJson };
