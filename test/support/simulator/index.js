'use strict';
// StepFun image API simulator: a real HTTP server implementing /shared/docs/stepfun-image-api.md.
// Plain CommonJS, Node built-ins only. See index.d.ts for the public API.

const http = require('http');
const crypto = require('crypto');
const { makePng, renderPattern, encodePngFromScanlines } = require('./png');
const { imageInfo, sniffImage } = require('./images');
const { getBoundary, parseMultipart, MultipartError } = require('./multipart');

const PREFIXES = ['/step_plan/v1', '/v1'];
const MAX_PROMPT = 512;
const MAX_SEED = 2147483647;
const MAX_EDIT_DIM = 4096;
const MAX_FILES_KEPT = 256;

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

const DEFAULT_FAULTS = Object.freeze({
	latencyMs: 0,
	latencyJitterMs: 0,
	maxConcurrent: 0,
	rpm: 0,
	rpmWindowMs: 60000,
	retryAfter: false,
	errorRate: 0,
	errorStatuses: [500, 502, 503, 504],
	resetRate: 0,
	truncateRate: 0,
	hangRate: 0,
	hangMs: 30000,
	script: [],
	blockedPrompts: [],
	filteredPrompts: [],
	retiredModels: [],
	retiredEndpoint: 0,
	insufficientBalance: false,
	malformed: null,
	urlExpired: false,
	fileTtlMs: 0,
	extraModels: [],
});
const FAULT_KEYS = new Set(Object.keys(DEFAULT_FAULTS));
const OPTION_KEYS = new Set(['apiKey', 'host', 'port', 'randomSeed', 'maxBodyBytes']);

const ERROR_BY_STATUS = {
	400: ['Bad request', 'request_params_invalid'],
	401: ['Incorrect API key provided', 'invalid_api_key'],
	402: ['Insufficient account balance', 'insufficient_balance'],
	403: ['Forbidden', 'permission_denied'],
	404: ['Not found', 'not_found'],
	408: ['Request timeout', 'timeout'],
	429: ['Too many requests', 'rate_limit_exceeded'],
	451: ['The request was rejected by content moderation', 'censorship_blocked'],
	500: ['Internal server error', 'server_error'],
	502: ['Bad gateway', 'bad_gateway'],
	503: ['Service unavailable', 'service_unavailable'],
	504: ['Gateway timeout', 'gateway_timeout'],
};

function errorBody(status, message, type) {
	const d = ERROR_BY_STATUS[status] || ['Error', 'server_error'];
	return { error: { message: message || d[0], type: type || d[1] } };
}

class ApiError extends Error {
	constructor(status, message, type, headers) {
		super(message);
		this.status = status;
		this.type = type;
		this.headers = headers;
	}
}
const invalid = (message) => new ApiError(400, message, 'request_params_invalid');

function mulberry32(seed) {
	let a = seed >>> 0;
	return () => {
		a = (a + 0x6d2b79f5) >>> 0;
		let t = a;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function normaliseFaults(f) {
	const out = {};
	for (const [k, v] of Object.entries(f)) {
		if (!FAULT_KEYS.has(k)) throw new TypeError(`simulator: unknown fault knob "${k}"`);
		out[k] = Array.isArray(v) ? v.slice() : v;
	}
	return out;
}

const codePoints = (s) => {
	let n = 0;
	for (const _ of s) n++;
	return n;
};

function typeName(v) {
	return v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v;
}

// ---------------------------------------------------------------------------------------------------------
// Parameter validation. `params` holds typed values (JSON) or strings (multipart, `form: true`).

function modelSpec(model, faults, forEdits) {
	if (model === undefined) throw invalid('model is required');
	if (typeof model !== 'string') throw invalid(`model must be a string, got ${typeName(model)}`);
	if (model === '') throw invalid('model is required');
	const retired = (faults.retiredModels || []).includes(model);
	let spec = MODELS[model];
	if (!spec && (faults.extraModels || []).includes(model)) spec = MODELS['step-image-edit-2'];
	if (!spec || retired) throw invalid(`model ${model} not supported`);
	if (forEdits && !spec.edits) throw invalid(`model ${model} not supported for edits`);
	return spec;
}

function checkPrompt(field, v, required) {
	if (v === undefined) {
		if (required) throw invalid(`${field} is required`);
		return undefined;
	}
	if (typeof v !== 'string') throw invalid(`${field} must be a string, got ${typeName(v)}`);
	if (required && v.trim() === '') throw invalid(`${field} must not be empty`);
	const n = codePoints(v);
	if (n > MAX_PROMPT) throw invalid(`${field} must be at most ${MAX_PROMPT} characters, got ${n}`);
	return v;
}

function toInt(field, v, min, max, form) {
	const msg = `${field} must be an integer between ${min} and ${max}`;
	if (form) {
		if (typeof v !== 'string' || !/^-?\d{1,15}$/.test(v)) throw invalid(`${msg}, got ${JSON.stringify(v)}`);
		v = Number(v);
	} else if (typeof v !== 'number' || !Number.isInteger(v)) {
		throw invalid(`${msg}, got ${typeName(v) === 'number' ? v : typeName(v)}`);
	}
	if (v < min || v > max) throw invalid(`${msg}, got ${v}`);
	return v;
}

function toNumber(field, v, min, max, form) {
	const msg = `${field} must be a number between ${min.toFixed(1)} and ${max.toFixed(1)}`;
	if (form) {
		if (typeof v !== 'string' || !/^-?\d{1,10}(\.\d{1,10})?$/.test(v)) throw invalid(`${msg}, got ${JSON.stringify(v)}`);
		v = Number(v);
	} else if (typeof v !== 'number' || !Number.isFinite(v)) {
		throw invalid(`${msg}, got ${typeName(v)}`);
	}
	if (v < min || v > max) throw invalid(`${msg}, got ${v}`);
	return v;
}

function toBool(field, v, form) {
	if (form) {
		if (v === 'true') return true;
		if (v === 'false') return false;
		throw invalid(`${field} must be a boolean ("true" or "false"), got ${JSON.stringify(v)}`);
	}
	if (typeof v !== 'boolean') throw invalid(`${field} must be a boolean, got ${typeName(v)}`);
	return v;
}

/** Validate the optional parameters shared by generations and edits. Returns normalised values. */
function validateCommon(params, spec, modelId, form) {
	const out = {};
	const has = (k) => params[k] !== undefined;
	if (has('n')) {
		const n = form ? (params.n === '1' ? 1 : NaN) : params.n;
		if (n !== 1) throw invalid(`n must be 1, got ${JSON.stringify(params.n)}`);
	}
	out.responseFormat = 'url';
	if (has('response_format')) {
		const rf = params.response_format;
		if (rf !== 'url' && rf !== 'b64_json') {
			throw invalid(`response_format must be one of "url", "b64_json", got ${JSON.stringify(rf)}`);
		}
		out.responseFormat = rf;
	}
	out.seed = has('seed') ? toInt('seed', params.seed, 0, MAX_SEED, form) : undefined;
	out.steps = has('steps') ? toInt('steps', params.steps, 1, 50, form) : spec.defaultSteps;
	out.cfgScale = has('cfg_scale') ? toNumber('cfg_scale', params.cfg_scale, 1, 10, form) : spec.defaultCfg;
	if (has('negative_prompt')) {
		if (!spec.negativePrompt) throw invalid(`negative_prompt is not supported by model ${modelId}`);
		out.negativePrompt = checkPrompt('negative_prompt', params.negative_prompt, false);
	}
	if (has('text_mode')) {
		if (!spec.textMode) throw invalid(`text_mode is not supported by model ${modelId}`);
		out.textMode = toBool('text_mode', params.text_mode, form);
	} else if (spec.textMode) out.textMode = false;
	return out;
}

function parseSize(s) {
	const m = /^(\d+)x(\d+)$/.exec(s);
	return { width: Number(m[1]), height: Number(m[2]) };
}

// ---------------------------------------------------------------------------------------------------------

/**
 * Start a simulator. See index.d.ts.
 */
async function startSimulator(options = {}) {
	const start = { ...options };
	const apiKey = start.apiKey ?? 'sk-simulator';
	const host = start.host ?? '127.0.0.1';
	const port = start.port ?? 0;
	const randomSeed = start.randomSeed ?? 1;
	const maxBodyBytes = start.maxBodyBytes ?? 64 * 1024 * 1024;
	const startFaults = {};
	for (const [k, v] of Object.entries(start)) {
		if (OPTION_KEYS.has(k)) continue;
		if (!FAULT_KEYS.has(k)) throw new TypeError(`simulator: unknown option "${k}"`);
		startFaults[k] = v;
	}
	normaliseFaults(startFaults);

	let faults;
	let scriptQueue;
	let faultRand;
	let seedRand;
	let requests;
	let counters;
	let rpmLog;
	let files; // name -> {data, contentType, createdAt}
	let nextId;
	let inFlight = 0; // authenticated API requests holding a concurrency slot
	let open = 0; // authenticated API requests not yet answered (incl. ones being rejected)

	function resetState() {
		faults = { ...DEFAULT_FAULTS, ...normaliseFaults(startFaults) };
		scriptQueue = (faults.script || []).slice();
		faultRand = mulberry32(randomSeed);
		seedRand = mulberry32((randomSeed ^ 0x9e3779b9) >>> 0);
		requests = [];
		counters = { received: 0, accepted: 0, rejected429: 0, byStatus: {}, maxInFlight: 0, files: 0, filesByStatus: {} };
		rpmLog = [];
		files = new Map();
		nextId = 1;
	}
	resetState();

	const sockets = new Set();
	const sleepers = new Set();
	let closed = false;

	function sleep(ms) {
		if (!(ms > 0)) return Promise.resolve();
		return new Promise((resolve) => {
			const s = { resolve };
			s.timer = setTimeout(() => {
				sleepers.delete(s);
				resolve();
			}, ms);
			sleepers.add(s);
		});
	}

	function randomSeedValue() {
		return 1 + Math.floor(seedRand() * MAX_SEED);
	}

	const server = http.createServer((req, res) => {
		handle(req, res).catch((err) => {
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
			resolve();
		});
	});
	const addr = server.address();
	const hostForUrl = host.includes(':') ? `[${host}]` : host;
	const url = `http://${hostForUrl}:${addr.port}`;

	function readBody(req, record) {
		return new Promise((resolve) => {
			const chunks = [];
			let size = 0;
			let tooLarge = false;
			req.on('data', (c) => {
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

	function statusCount(status, isFile) {
		const key = status === null ? 'reset' : String(status);
		const m = isFile ? counters.filesByStatus : counters.byStatus;
		m[key] = (m[key] || 0) + 1;
		if (status === 429 && !isFile) counters.rejected429++;
	}

	/** Send a response; `mode` may be 'truncate'. */
	function send(res, record, status, body, headers = {}, mode) {
		if (closed || res.destroyed || res.socket?.destroyed) {
			record.status = status;
			record.finishedAt = Date.now();
			record.clientGone = true;
			statusCount(status, record.isFile);
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
		statusCount(status, record.isFile);
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

	function resetSocket(req, record) {
		record.status = null;
		record.fault = record.fault || 'reset';
		record.finishedAt = Date.now();
		statusCount(null, record.isFile);
		req.socket.destroy();
	}

	function storeFile(data, contentType) {
		const name = `${crypto.randomBytes(12).toString('hex')}.png`;
		files.set(name, { data, contentType, createdAt: Date.now() });
		while (files.size > MAX_FILES_KEPT) files.delete(files.keys().next().value);
		return `${url}/files/${name}`;
	}

	async function handle(req, res) {
		const receivedAt = Date.now();
		const u = new URL(req.url, 'http://simulator.invalid');
		const query = {};
		for (const [k, v] of u.searchParams) query[k] = v;
		const record = {
			id: nextId++,
			method: req.method,
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
			receivedAt,
			finishedAt: undefined,
			fault: null,
		};
		requests.push(record);

		// ---- file host (no auth, no latency, no faults except expiry)
		if (u.pathname.startsWith('/files/')) {
			record.isFile = true;
			counters.files++;
			const got = await readBody(req, record);
			if (got.aborted) return resetSocket(req, record);
			if (req.method !== 'GET' && req.method !== 'HEAD') {
				return send(res, record, 405, errorBody(405, 'Method not allowed', 'method_not_allowed'), { allow: 'GET, HEAD' });
			}
			const name = u.pathname.slice('/files/'.length);
			const f = files.get(name);
			const expired = faults.urlExpired || (f && faults.fileTtlMs > 0 && Date.now() - f.createdAt > faults.fileTtlMs);
			if (!f || expired) return send(res, record, 404, errorBody(404, 'File not found or expired', 'not_found'));
			return send(res, record, 200, f.data, { 'content-type': f.contentType, 'cache-control': 'private, max-age=0' });
		}

		// ---- API routing
		counters.received++;
		const prefix = PREFIXES.find((p) => u.pathname === p || u.pathname.startsWith(`${p}/`));
		const route = prefix ? u.pathname.slice(prefix.length) : undefined;
		record.prefix = prefix;
		record.route = route;
		const known = { '/models': 'GET', '/images/generations': 'POST', '/images/edits': 'POST' };
		if (!prefix || !known[route]) {
			const got = await readBody(req, record);
			if (got.aborted) return resetSocket(req, record);
			return send(res, record, 404, errorBody(404, `Unknown path ${req.method} ${u.pathname}`, 'not_found'));
		}
		if (req.method !== known[route]) {
			const got = await readBody(req, record);
			if (got.aborted) return resetSocket(req, record);
			return send(res, record, 405, errorBody(405, `Method ${req.method} not allowed on ${u.pathname}`, 'method_not_allowed'), { allow: known[route] });
		}

		// ---- auth
		const auth = req.headers.authorization;
		const m = auth && /^Bearer (.+)$/i.exec(auth);
		if (!m || m[1] !== apiKey) {
			const got = await readBody(req, record);
			if (got.aborted) return resetSocket(req, record);
			return send(res, record, 401, errorBody(401));
		}

		// ---- rate limits (decided at arrival)
		inFlight++;
		open++;
		counters.maxInFlight = Math.max(counters.maxInFlight, open);
		let released = false;
		const release = () => {
			if (!released) {
				released = true;
				inFlight--;
			}
		};
		try {
			let limited;
			if (faults.maxConcurrent > 0 && inFlight > faults.maxConcurrent) {
				limited = new ApiError(429, 'Too many concurrent requests', 'rate_limit_exceeded', faults.retryAfter ? { 'retry-after': '1' } : undefined);
			} else if (faults.rpm > 0) {
				const now = Date.now();
				const windowMs = faults.rpmWindowMs || 60000;
				while (rpmLog.length && rpmLog[0] <= now - windowMs) rpmLog.shift();
				if (rpmLog.length >= faults.rpm) {
					const wait = Math.max(1, Math.ceil((rpmLog[0] + windowMs - now) / 1000));
					limited = new ApiError(429, `Rate limit reached: ${faults.rpm} requests per minute`, 'rate_limit_exceeded',
						faults.retryAfter ? { 'retry-after': String(wait) } : undefined);
				} else rpmLog.push(now);
			}
			if (limited) {
				release();
				const got = await readBody(req, record);
				if (got.aborted) return resetSocket(req, record);
				peekJson(req, got, record);
				return send(res, record, 429, errorBody(429, limited.message, limited.type), limited.headers);
			}
			counters.accepted++;

			const got = await readBody(req, record);
			if (got.aborted) return resetSocket(req, record);
			peekJson(req, got, record);

			// ---- deterministic script, then random faults (drawn in a fixed order)
			let action = null;
			if (scriptQueue.length) {
				action = scriptQueue.shift();
				if (action) record.fault = 'script';
			}
			if (!action) {
				const r = () => faultRand();
				if (faults.resetRate > 0 && r() < faults.resetRate) action = { reset: true, random: true };
				else if (faults.truncateRate > 0 && r() < faults.truncateRate) action = { truncate: true, random: true };
				else if (faults.hangRate > 0 && r() < faults.hangRate) action = { hangMs: faults.hangMs, random: true };
				else if (faults.errorRate > 0 && r() < faults.errorRate) {
					const list = faults.errorStatuses && faults.errorStatuses.length ? faults.errorStatuses : [500];
					action = { status: list[Math.floor(r() * list.length)], random: true };
				}
				if (action) record.fault = action.reset ? 'reset' : action.truncate ? 'truncate' : action.hangMs ? 'hang' : 'error';
			}

			// latency
			const latency = (faults.latencyMs || 0) + (faults.latencyJitterMs > 0 ? faultRand() * faults.latencyJitterMs : 0);
			await sleep(latency);
			if (action && action.hangMs) await sleep(action.hangMs);
			if (closed) return;

			if (action && action.reset) return resetSocket(req, record);
			if (action && action.status !== undefined && !(action.status === 200 && action.body === undefined)) {
				const st = action.status;
				let hdrs = action.headers || {};
				if (st === 429 && faults.retryAfter && !Object.keys(hdrs).some((k) => k.toLowerCase() === 'retry-after')) {
					hdrs = { ...hdrs, 'retry-after': '1' };
				}
				const body = action.body !== undefined ? action.body : errorBody(st);
				return send(res, record, st, body, hdrs, action.truncate ? 'truncate' : undefined);
			}

			let result;
			try {
				result = await processApi(route, req, got, record);
			} catch (err) {
				if (!(err instanceof ApiError)) throw err;
				result = { status: err.status, body: errorBody(err.status, err.message, err.type), headers: err.headers };
			}
			if (closed) return;
			return send(res, record, result.status, result.body, result.headers, action && action.truncate ? 'truncate' : undefined);
		} finally {
			release();
			open--;
		}
	}

	// Record the JSON body even for requests answered by a fault, so tests can tell items apart.
	function peekJson(req, got, record) {
		if (!/^application\/json/i.test(req.headers['content-type'] || '') || !got.body) return;
		try {
			record.json = JSON.parse(got.body.toString('utf8'));
		} catch {
			// processApi answers invalid JSON with a 400 when the request gets that far.
		}
	}

	async function processApi(route, req, got, record) {
		if (got.tooLarge) throw new ApiError(413, `Request body larger than ${maxBodyBytes} bytes`, 'request_too_large');
		if (route === '/models') {
			const ids = [...Object.keys(MODELS), ...(faults.extraModels || [])].filter((id) => !(faults.retiredModels || []).includes(id));
			return {
				status: 200,
				body: { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: MODELS[id]?.created ?? 1767225600, owned_by: 'stepfun' })) },
			};
		}
		if (faults.retiredEndpoint === 404) throw new ApiError(404, `Unknown path ${req.method} ${record.path}`, 'not_found');
		if (faults.retiredEndpoint === 503) throw new ApiError(503, 'Service unavailable', 'service_unavailable');

		const ct = (req.headers['content-type'] || '').toLowerCase();
		let params;
		let form = false;
		let image;
		if (route === '/images/generations') {
			if (!/^application\/json\s*(;|$)/.test(ct)) {
				throw invalid(`Content-Type must be application/json, got ${JSON.stringify(req.headers['content-type'] || '')}`);
			}
			try {
				params = JSON.parse(got.body.toString('utf8'));
			} catch {
				throw invalid('request body is not valid JSON');
			}
			record.json = params;
			if (typeName(params) !== 'object') throw invalid('request body must be a JSON object');
		} else {
			if (!/^multipart\/form-data\s*(;|$)/.test(ct)) {
				throw invalid(`Content-Type must be multipart/form-data, got ${JSON.stringify(req.headers['content-type'] || '')}`);
			}
			const boundary = getBoundary(req.headers['content-type']);
			if (!boundary) throw invalid('multipart/form-data without boundary');
			let parts;
			try {
				parts = parseMultipart(got.body, boundary);
			} catch (e) {
				if (e instanceof MultipartError) throw invalid(`malformed multipart body: ${e.message}`);
				throw e;
			}
			params = {};
			form = true;
			const dup = [];
			for (const p of parts) {
				if (p.filename !== undefined) {
					const data = Buffer.from(p.data); // copy: do not retain the whole body
					record.files.push({
						field: p.name,
						filename: p.filename,
						contentType: p.contentType,
						size: data.length,
						sha256: crypto.createHash('sha256').update(data).digest('hex'),
						data,
					});
				} else {
					const v = p.data.toString('utf8');
					if (Object.prototype.hasOwnProperty.call(record.fields, p.name)) dup.push(p.name);
					record.fields[p.name] = v;
					params[p.name] = v;
				}
			}
			if (dup.length) throw invalid(`field ${dup[0]} sent more than once`);
			const imageFiles = record.files.filter((f) => f.field === 'image');
			const other = record.files.find((f) => f.field !== 'image');
			if (other) throw invalid(`unexpected file field ${other.field}; only image is accepted`);
			if (params.image !== undefined) throw invalid('image must be a file part, not a text field');
			if (imageFiles.length > 1) throw invalid('only one image may be sent');
			image = imageFiles[0];
		}

		const spec = modelSpec(params.model, faults, route === '/images/edits');
		const prompt = checkPrompt('prompt', params.prompt, true);
		let width;
		let height;
		if (route === '/images/generations') {
			let size = spec.defaultSize;
			if (params.size !== undefined) {
				if (typeof params.size !== 'string') throw invalid(`size must be a string, got ${typeName(params.size)}`);
				if (!spec.sizes.includes(params.size)) {
					throw invalid(`size ${params.size} not supported by model ${params.model}; supported: ${spec.sizes.join(', ')}`);
				}
				size = params.size;
			}
			({ width, height } = parseSize(size));
		}
		const common = validateCommon(params, spec, params.model, form);
		if (route === '/images/edits') {
			if (!image) throw invalid('image is required (one file part named image)');
			if (image.size === 0) throw invalid('image is empty');
			if (!sniffImage(image.data)) throw invalid('unsupported image format; send PNG, JPEG or WebP');
			let info;
			try {
				info = imageInfo(image.data);
			} catch (e) {
				throw invalid(`image could not be read: ${e.message}`);
			}
			image.format = info.format;
			image.width = info.width;
			image.height = info.height;
			if (!(info.width > 0 && info.height > 0)) throw invalid('image has zero width or height');
			if (info.width > MAX_EDIT_DIM || info.height > MAX_EDIT_DIM) {
				throw invalid(`image is ${info.width}x${info.height}; maximum is ${MAX_EDIT_DIM}x${MAX_EDIT_DIM}`);
			}
			width = info.width;
			height = info.height;
		}
		if (faults.insufficientBalance) throw new ApiError(402, 'Insufficient account balance', 'insufficient_balance');
		if ((faults.blockedPrompts || []).some((s) => s && prompt.includes(s))) {
			throw new ApiError(451, 'The request was rejected by content moderation', 'censorship_blocked');
		}

		let seed = common.seed;
		if (seed === undefined || (seed === 0 && spec.seedZeroIsRandom)) seed = randomSeedValue();
		record.seedUsed = seed;
		record.output = { width, height };

		const id = crypto.randomBytes(16).toString('hex');
		const created = Math.floor(Date.now() / 1000);
		if ((faults.filteredPrompts || []).some((s) => s && prompt.includes(s))) {
			return { status: 200, body: { id, created, data: [{ finish_reason: 'content_filtered', seed }] } };
		}

		const key = route === '/images/generations'
			? `gen\0${params.model}\0${seed}\0${prompt}`
			: `edit\0${image.sha256}\0${prompt}\0${seed}`;
		const png = makePng(width, height, key);
		record.outputSha256 = crypto.createHash('sha256').update(png).digest('hex');

		const malformed = faults.malformed;
		if (malformed === 'not-json') {
			return { status: 200, body: '<html><body>upstream gateway returned garbage', headers: { 'content-type': 'application/json' } };
		}
		if (malformed === 'no-data') return { status: 200, body: { id, created } };
		const item = { finish_reason: 'success', seed };
		if (common.responseFormat === 'b64_json') {
			item.b64_json = malformed === 'empty-b64' ? '' : malformed === 'bad-b64' ? '!!not*base64**' + png.subarray(0, 16).toString('hex') : png.toString('base64');
		} else if (malformed === 'empty-b64') {
			item.url = '';
		} else if (malformed === 'bad-b64') {
			item.url = storeFile(Buffer.from('this is not an image'), 'image/png');
		} else {
			item.url = storeFile(png, 'image/png');
		}
		return { status: 200, body: { id, created, data: [item] } };
	}

	const sim = {
		url,
		stepPlanBaseUrl: `${url}/step_plan/v1`,
		openPlatformBaseUrl: `${url}/v1`,
		port: addr.port,
		apiKey,
		get requests() {
			return requests;
		},
		get faults() {
			return { ...faults, script: scriptQueue.slice() };
		},
		setFaults(f) {
			const n = normaliseFaults(f || {});
			Object.assign(faults, n);
			if (n.script) scriptQueue = n.script.slice();
			return sim.faults;
		},
		reset() {
			resetState();
		},
		stats() {
			return {
				received: counters.received,
				accepted: counters.accepted,
				rejected429: counters.rejected429,
				byStatus: { ...counters.byStatus },
				maxInFlight: counters.maxInFlight,
				inFlight: open,
				files: counters.files,
				filesByStatus: { ...counters.filesByStatus },
			};
		},
		apiRequests() {
			return requests.filter((r) => !r.isFile);
		},
		fileRequests() {
			return requests.filter((r) => r.isFile);
		},
		async close() {
			if (closed) return;
			closed = true;
			for (const s of sleepers) {
				clearTimeout(s.timer);
				s.resolve();
			}
			sleepers.clear();
			const done = new Promise((resolve) => server.close(() => resolve()));
			if (server.closeAllConnections) server.closeAllConnections();
			for (const s of sockets) s.destroy();
			await done;
		},
	};
	return sim;
}

function lowerKeys(h) {
	const o = {};
	for (const [k, v] of Object.entries(h || {})) o[k.toLowerCase()] = v;
	return o;
}

module.exports = {
	startSimulator,
	MODELS,
	DEFAULT_FAULTS,
	// helpers re-exported for tests
	makePng,
	renderPattern,
	encodePngFromScanlines,
	imageInfo,
	sniffImage,
};
