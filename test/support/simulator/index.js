// @ts-check
'use strict';
// StepFun image API simulator: a real HTTP server implementing /work/shared/docs/stepfun-image-api.md,
// with fault knobs. Plain CommonJS, Node built-ins only. This module starts the server and holds the
// public API; the request handling lives in handle.js and the modules it requires.

const http = require('http');
const { MODELS, DEFAULT_API_KEY, DEFAULT_HOST, DEFAULT_MAX_BODY_BYTES } = require('./contract');
const { errorBody } = require('./errors');
const { DEFAULT_FAULTS, FAULT_KEYS, normaliseFaults } = require('./faults');
const { statsOf } = require('./recorder');
const { createState, createSleeps } = require('./state');
const { handle } = require('./handle');
const { storeFile } = require('./routes/files');
const { makePng, renderPattern, encodePngFromScanlines } = require('./png');
const { imageInfo, sniffImage } = require('./images');

/** @typedef {import('./recorder').JsonValue} JsonValue */
/** @typedef {import('./faults').ScriptEntry} ScriptEntry */
/** @typedef {import('./faults').SimulatorFaults} SimulatorFaults */
/** @typedef {import('./recorder').RecordedFile} RecordedFile */
/** @typedef {import('./recorder').RecordedRequest} RecordedRequest */
/** @typedef {import('./recorder').SimulatorStats} SimulatorStats */
/** @typedef {import('./contract').ModelSpec} ModelSpec */
/** @typedef {import('./images').ImageInfo} ImageInfo */
/** @typedef {import('./label').LabelSpec} LabelSpec */

/**
 * @typedef {object} SimulatorSettings
 * @property {string} [apiKey] Default 'sk-simulator'.
 * @property {string} [host] Default '127.0.0.1'.
 * @property {number} [port] Default 0 (ephemeral).
 * @property {number} [randomSeed] Seed for the PRNGs (fault draws, jitter, random image seeds).
 *   Default 1.
 * @property {number} [maxBodyBytes] Request bodies larger than this → 413. Default 64 MiB.
 */
/** @typedef {SimulatorSettings & SimulatorFaults} SimulatorOptions */

const OPTION_KEYS = new Set(['apiKey', 'host', 'port', 'randomSeed', 'maxBodyBytes']);

/**
 * @typedef {object} SimulatorAddress
 * @property {string} url 'http://127.0.0.1:PORT'
 * @property {string} stepPlanBaseUrl `${url}/step_plan/v1`
 * @property {string} openPlatformBaseUrl `${url}/v1`
 * @property {number} port
 * @property {string} apiKey
 */
/**
 * @typedef {object} SimulatorRecords
 * @property {RecordedRequest[]} requests All recorded requests (API and /files), in arrival order.
 * @property {Required<SimulatorFaults>} faults Current fault knobs (script = remaining entries).
 */
/**
 * @typedef {object} SimulatorControls
 * @property {() => RecordedRequest[]} apiRequests Recorded requests excluding /files.
 * @property {() => RecordedRequest[]} fileRequests Recorded /files requests.
 * @property {(data: Buffer, contentType?: string) => string} hostFile Serves `data` under /files
 *   (no auth), like a result, and returns its URL: an input image for Edit from a URL.
 * @property {(f: SimulatorFaults) => Required<SimulatorFaults>} setFaults Merge new knobs; a new
 *   `script` replaces the remaining queue.
 * @property {() => void} reset Clear requests, stored files and counters; knobs back to the start
 *   options.
 * @property {() => SimulatorStats} stats
 * @property {() => Promise<void>} close
 */
/**
 * A running simulator.
 * @typedef {SimulatorAddress & Readonly<SimulatorRecords> & SimulatorControls} Simulator
 */

/**
 * Start a simulator on host:port (default 127.0.0.1, an ephemeral port).
 * @param {SimulatorOptions} [options]
 * @returns {Promise<Simulator>}
 */
async function startSimulator(options = {}) {
	const start = { ...options };
	const apiKey = start.apiKey ?? DEFAULT_API_KEY;
	const host = start.host ?? DEFAULT_HOST;
	const port = start.port ?? 0;
	const randomSeed = start.randomSeed ?? 1;
	/** @type {Record<string, unknown>} */
	const startFaults = {};
	for (const [k, v] of Object.entries(start)) {
		if (OPTION_KEYS.has(k)) continue;
		if (!FAULT_KEYS.has(k)) throw new TypeError(`simulator: unknown option "${k}"`);
		startFaults[k] = v;
	}
	normaliseFaults(startFaults);

	/** @type {import('./state').SimulatorContext} */
	const ctx = {
		apiKey,
		maxBodyBytes: start.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
		url: '',
		state: createState(startFaults, randomSeed),
		closed: false,
		inFlight: 0,
		open: 0,
		...createSleeps(),
	};

	/** @type {Set<import('net').Socket>} */
	const sockets = new Set();
	const server = http.createServer((req, res) => {
		handle(ctx, req, res).catch((err) => {
			try {
				if (!res.headersSent) {
					res.writeHead(500, { 'content-type': 'application/json' });
					res.end(JSON.stringify(errorBody(500, `simulator bug: ${err && err.message}`)));
				} else res.destroy();
			} catch {
				/* ignore */
			}
		});
	});
	server.on('connection', (s) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	server.keepAliveTimeout = 5000;

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => {
			server.off('error', reject);
			resolve(undefined);
		});
	});
	const addr = /** @type {import('net').AddressInfo} */ (server.address());
	const hostForUrl = host.includes(':') ? `[${host}]` : host;
	const url = `http://${hostForUrl}:${addr.port}`;
	ctx.url = url;

	/** @type {Simulator} */
	const sim = {
		url,
		stepPlanBaseUrl: `${url}/step_plan/v1`,
		openPlatformBaseUrl: `${url}/v1`,
		port: addr.port,
		apiKey,
		get requests() {
			return ctx.state.requests;
		},
		get faults() {
			return { ...ctx.state.faults, script: ctx.state.scriptQueue.slice() };
		},
		setFaults(f) {
			const n = normaliseFaults(f || {});
			Object.assign(ctx.state.faults, n);
			if (n.script) ctx.state.scriptQueue = n.script.slice();
			return sim.faults;
		},
		reset() {
			ctx.state = createState(startFaults, randomSeed);
		},
		stats() {
			return statsOf(ctx.state.counters, ctx.open);
		},
		apiRequests() {
			return ctx.state.requests.filter((r) => !r.isFile);
		},
		fileRequests() {
			return ctx.state.requests.filter((r) => r.isFile);
		},
		hostFile(data, contentType = 'application/octet-stream') {
			return storeFile(ctx, data, contentType);
		},
		async close() {
			if (ctx.closed) return;
			ctx.closed = true;
			ctx.wakeAll();
			const done = new Promise((resolve) => server.close(() => resolve(undefined)));
			if (server.closeAllConnections) server.closeAllConnections();
			for (const s of sockets) s.destroy();
			await done;
		},
	};
	return sim;
}

module.exports = {
	startSimulator,
	MODELS,
	DEFAULT_FAULTS,
	// helpers re-exported for tests and tooling
	makePng,
	renderPattern,
	encodePngFromScanlines,
	imageInfo,
	sniffImage,
};
