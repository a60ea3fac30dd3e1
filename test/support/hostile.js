// @ts-check
'use strict';
/**
 * Hostile endpoints for the client's safety tests: small HTTP(S) servers on 127.0.0.1 whose every
 * answer a test scripts (redirects, echoed keys, bombs, trickles, silence), plus the probes those
 * tests measure with (peak memory, live timers). Node built-ins live here because the strict n8n
 * lint forbids them in .ts files.
 */
const fs = require('node:fs');
const http = require('node:http');
const https = require('node:https');
const path = require('node:path');
const zlib = require('node:zlib');

const TLS_DIR = path.join(__dirname, '..', 'fixtures', 'tls');

/**
 * @typedef {{ method: string, path: string, url: string, headers: import('node:http').IncomingHttpHeaders, body: Buffer, key: string | undefined }} HostileRequest
 * @typedef {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, request: HostileRequest) => void | Promise<void>} HostileHandler
 */

/**
 * Starts a server on 127.0.0.1 (a random port). Each request is recorded, with the Bearer key it
 * carried, before `handler` answers it. `close()` also stops any timer a handler started with
 * `server.every()` and destroys open sockets (so a never-ending body ends with the test).
 * @param {HostileHandler} handler
 * @param {{ tls?: boolean }} [options]
 */
async function startHostileServer(handler, options = {}) {
	/** @type {HostileRequest[]} */
	const requests = [];
	const sockets = new Set();
	/** @type {Set<NodeJS.Timeout>} */
	const timers = new Set();
	let current = handler;
	/** @type {import('node:http').RequestListener} */
	const listener = (req, res) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const auth = String(req.headers.authorization ?? '');
			/** @type {HostileRequest} */
			const record = {
				method: String(req.method),
				url: String(req.url),
				path: String(req.url).split('?')[0],
				headers: req.headers,
				body: Buffer.concat(chunks),
				key: auth.startsWith('Bearer ') ? auth.slice(7) : undefined,
			};
			requests.push(record);
			Promise.resolve()
				.then(() => current(req, res, record))
				.catch(() => res.destroy());
		});
	};
	const server = options.tls
		? https.createServer(
				{
					key: fs.readFileSync(path.join(TLS_DIR, 'localhost-key.pem')),
					cert: fs.readFileSync(path.join(TLS_DIR, 'localhost-cert.pem')),
				},
				listener,
			)
		: http.createServer(listener);
	server.on(options.tls ? 'secureConnection' : 'connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(undefined)));
	const address = server.address();
	const port = typeof address === 'object' && address ? address.port : 0;
	const origin = `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`;
	return {
		origin,
		port,
		requests,
		/** @param {HostileHandler} next */
		setHandler(next) {
			current = next;
		},
		/**
		 * Calls `fn` every `ms` until it returns false or the server closes.
		 * @param {number} ms
		 * @param {() => boolean | void} fn
		 */
		every(ms, fn) {
			const timer = setInterval(() => {
				if (fn() === false) {
					clearInterval(timer);
					timers.delete(timer);
				}
			}, ms);
			timers.add(timer);
		},
		async close() {
			for (const timer of timers) clearInterval(timer);
			timers.clear();
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => server.close(() => resolve(undefined)));
		},
	};
}

/**
 * A gzip body that decodes to `prefix`, then `unit` repeated to about `decodedBytes`, then
 * `suffix`, made of concatenated gzip members so a gigabyte costs a few kilobytes to build.
 * @param {string} prefix
 * @param {string} unit
 * @param {number} decodedBytes
 * @param {string} [suffix]
 */
function gzipBomb(prefix, unit, decodedBytes, suffix = '') {
	const block = 16 * 1024 * 1024;
	const member = zlib.gzipSync(
		Buffer.from(unit.repeat(Math.ceil(block / unit.length)).slice(0, block)),
		{
			level: 9,
		},
	);
	const parts = [zlib.gzipSync(Buffer.from(prefix))];
	for (let made = 0; made < decodedBytes; made += block) parts.push(member);
	parts.push(zlib.gzipSync(Buffer.from(suffix)));
	return Buffer.concat(parts);
}

/**
 * @param {Buffer} body
 * @param {'gzip' | 'deflate' | 'br'} encoding
 */
function compress(body, encoding) {
	if (encoding === 'gzip') return zlib.gzipSync(body);
	if (encoding === 'deflate') return zlib.deflateSync(body);
	return zlib.brotliCompressSync(body);
}

/**
 * Runs `run` while sampling the process's resident memory every 5 ms; reports the highest growth
 * over the level before it started, and the wall time.
 * @template T
 * @param {() => Promise<T>} run
 * @returns {Promise<{ result: T, peakGrowthBytes: number, ms: number }>}
 */
async function measurePeak(run) {
	const before = process.memoryUsage().rss;
	let peak = before;
	const sampler = setInterval(() => {
		peak = Math.max(peak, process.memoryUsage().rss);
	}, 5);
	const started = Date.now();
	try {
		const result = await run();
		peak = Math.max(peak, process.memoryUsage().rss);
		return { result, peakGrowthBytes: peak - before, ms: Date.now() - started };
	} finally {
		clearInterval(sampler);
	}
}

/** Live timers in this process (setTimeout/setInterval handles not yet fired or cleared). */
function activeTimers() {
	return process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
}

/**
 * @param {number} ms
 * @returns {Promise<void>}
 */
function sleep(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

module.exports = {
	startHostileServer,
	gzipBomb,
	compress,
	measurePeak,
	activeTimers,
	sleep,
};
