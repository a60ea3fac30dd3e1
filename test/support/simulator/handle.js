// @ts-check
'use strict';
// One HTTP request, start to finish: record it, route it (/files, the API prefixes), then for the API
// the method, auth and rate-limit gates, the scripted or random fault, the latency, and the answer.

const { PREFIXES, ROUTES } = require('./contract');
const { ApiError, errorBody } = require('./errors');
const { drawFault, latencyOf, cannedAnswer } = require('./faults');
const { rateLimit } = require('./limits');
const { createRecord } = require('./recorder');
const { readBody, send, resetSocket } = require('./respond');
const { serveFile } = require('./routes/files');
const { listModels } = require('./routes/models');
const { processImages } = require('./routes/images');

/** @typedef {import('./state').SimulatorContext} SimulatorContext */
/** @typedef {import('./recorder').RecordedRequest} RecordedRequest */
/** @typedef {import('./respond').ReceivedBody} ReceivedBody */
/** @typedef {import('http').IncomingMessage} IncomingMessage */
/** @typedef {import('http').ServerResponse} ServerResponse */

/**
 * @param {SimulatorContext} ctx
 * @param {IncomingMessage} req
 * @param {ServerResponse} res
 * @returns {Promise<void>}
 */
async function handle(ctx, req, res) {
	const u = new URL(/** @type {string} */ (req.url), 'http://simulator.invalid');
	const record = createRecord(req, u, ctx.state.nextId++);
	ctx.state.requests.push(record);
	if (u.pathname.startsWith('/files/')) return serveFile(ctx, req, res, record, u);

	ctx.state.counters.received++;
	const prefix = PREFIXES.find((p) => u.pathname === p || u.pathname.startsWith(`${p}/`));
	const route = prefix ? u.pathname.slice(prefix.length) : undefined;
	record.prefix = prefix;
	record.route = route;
	/** Read (and drop) the body, then answer; a reset if the client aborts. */
	const refuse = async (
		/** @type {number} */ status,
		/** @type {unknown} */ body,
		headers = {},
	) => {
		const got = await readBody(req, record, ctx.maxBodyBytes);
		if (got.aborted) return resetSocket(ctx, req, record);
		return send(ctx, res, record, status, body, headers);
	};
	if (!prefix || route === undefined || !Object.hasOwn(ROUTES, route)) {
		return refuse(404, errorBody(404, `Unknown path ${req.method} ${u.pathname}`, 'not_found'));
	}
	if (req.method !== ROUTES[route]) {
		const message = `Method ${req.method} not allowed on ${u.pathname}`;
		return refuse(405, errorBody(405, message, 'method_not_allowed'), { allow: ROUTES[route] });
	}
	const auth = req.headers.authorization;
	const m = auth && /^Bearer (.+)$/i.exec(auth);
	if (!m || m[1] !== ctx.apiKey) return refuse(401, errorBody(401));
	return handleApi(ctx, req, res, record, route);
}

/**
 * An authenticated API request: rate limits (decided at arrival), fault, latency, answer.
 * @param {SimulatorContext} ctx
 * @param {IncomingMessage} req
 * @param {ServerResponse} res
 * @param {RecordedRequest} record
 * @param {string} route
 */
async function handleApi(ctx, req, res, record, route) {
	ctx.inFlight++;
	ctx.open++;
	const { counters } = ctx.state;
	counters.maxInFlight = Math.max(counters.maxInFlight, ctx.open);
	let released = false;
	const release = () => {
		if (!released) {
			released = true;
			ctx.inFlight--;
		}
	};
	try {
		const limited = rateLimit(ctx.state.faults, ctx.inFlight, ctx.state.rpmLog, Date.now());
		if (limited) {
			release();
			const got = await readBody(req, record, ctx.maxBodyBytes);
			if (got.aborted) return resetSocket(ctx, req, record);
			peekJson(req, got, record);
			const body = errorBody(429, limited.message, limited.type);
			return send(ctx, res, record, 429, body, limited.headers);
		}
		ctx.state.counters.accepted++;

		const got = await readBody(req, record, ctx.maxBodyBytes);
		if (got.aborted) return resetSocket(ctx, req, record);
		peekJson(req, got, record);

		const action = drawFault(ctx.state, record);
		await ctx.sleep(latencyOf(ctx.state));
		if (action && action.hangMs) await ctx.sleep(action.hangMs);
		if (ctx.closed) return;

		if (action && action.reset) return resetSocket(ctx, req, record);
		const canned = action && cannedAnswer(action, ctx.state.faults);
		const mode = action && action.truncate ? 'truncate' : undefined;
		if (canned) return send(ctx, res, record, canned.status, canned.body, canned.headers, mode);

		let result;
		try {
			result = processApi(ctx, route, req, got, record);
		} catch (err) {
			if (!(err instanceof ApiError)) throw err;
			const body = errorBody(err.status, err.message, err.type);
			result = { status: err.status, body, headers: err.headers };
		}
		if (ctx.closed) return;
		return send(ctx, res, record, result.status, result.body, result.headers, mode);
	} finally {
		release();
		ctx.open--;
	}
}

/**
 * Record the JSON body even for requests answered by a fault, so tests can tell items apart.
 * @param {IncomingMessage} req
 * @param {ReceivedBody} got
 * @param {RecordedRequest} record
 */
function peekJson(req, got, record) {
	if (!/^application\/json/i.test(req.headers['content-type'] || '') || !got.body) return;
	try {
		record.json = JSON.parse(got.body.toString('utf8'));
	} catch {
		// processApi answers invalid JSON with a 400 when the request gets that far.
	}
}

/**
 * The answer to an API request that got past the faults; throws ApiError for error answers.
 * @param {SimulatorContext} ctx
 * @param {string} route
 * @param {IncomingMessage} req
 * @param {ReceivedBody} got
 * @param {RecordedRequest} record
 * @returns {import('./routes/images').ApiResult}
 */
function processApi(ctx, route, req, got, record) {
	if (got.tooLarge || !got.body) {
		const message = `Request body larger than ${ctx.maxBodyBytes} bytes`;
		throw new ApiError(413, message, 'request_too_large');
	}
	if (route === '/models') return listModels(ctx.state.faults);
	const imagesRoute = /** @type {'/images/generations' | '/images/edits'} */ (route);
	return processImages(ctx, imagesRoute, req, got.body, record);
}

module.exports = { handle };
