// One HTTP request, start to finish: recorded and routed (/files, the API prefixes); for the API the
// method, auth and rate-limit gates, the scripted or random fault, the latency, and the answer (whole,
// cut in half, or a reset connection), each outcome recorded and counted.
import type http from 'node:http';

import { ApiError, EXTRA_MODEL_CREATED, MODELS, PREFIXES, ROUTES, errorBody } from './contract.cjs';
import { cannedAnswer, drawFault, latencyOf, rateLimit } from './faults.cjs';
import { processImages, type ApiResult } from './images.cjs';
import { countStatus, createRecord, type RecordedRequest as Rec } from './state.cjs';
import type { SimulatorContext as Ctx } from './state.cjs';

type Req = http.IncomingMessage;
type Res = http.ServerResponse;
type Done = () => void;
type Received = { body?: Buffer; tooLarge?: boolean; aborted?: boolean };

/** The whole body (bytes beyond maxBodyBytes are counted, not kept). */
function readBody(req: Req, record: Rec, maxBodyBytes: number) {
	return new Promise<Received>((resolve) => {
		const chunks: Buffer[] = [];
		let size = 0;
		req.on('data', (c: Buffer) => ((size += c.length) <= maxBodyBytes ? chunks.push(c) : 0));
		req.on('end', () => {
			record.rawBodySize = size;
			resolve(size > maxBodyBytes ? { tooLarge: true } : { body: Buffer.concat(chunks, size) });
		});
		req.on('error', () => resolve({ aborted: true }));
		req.on('aborted', () => resolve({ aborted: true }));
	});
}

/** A Buffer as is, a string as text, anything else as JSON; 'truncate': half, then the line drops. */
function send(ctx: Ctx, res: Res, record: Rec, answer: ApiResult, truncate?: boolean) {
	const { status, body } = answer;
	Object.assign(record, { status, finishedAt: Date.now() });
	countStatus(ctx, status, record.isFile);
	if (ctx.closed || res.destroyed || res.socket?.destroyed) return void (record.clientGone = true);
	const raw = Buffer.isBuffer(body);
	const payload = raw ? body : Buffer.from(typeof body === 'string' ? body : JSON.stringify(body));
	const text = typeof body === 'string' ? 'text/plain; charset=utf-8' : 'application/json';
	const type = raw ? 'application/octet-stream' : text;
	const headers = Object.entries(answer.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]);
	const defaults = { 'content-type': type, 'content-length': String(payload.length) };
	Object.assign(defaults, { 'x-trace-id': record.traceId });
	res.writeHead(status, { ...defaults, ...Object.fromEntries(headers) });
	if (!truncate) return void res.end(record.method === 'HEAD' ? undefined : payload);
	record.fault ??= 'truncate';
	const half = payload.subarray(0, Math.max(1, Math.floor(payload.length / 2)));
	res.write(half, () => setImmediate(() => res.socket?.destroy()));
}

/** Drops the connection without an answer (recorded as status null). */
function resetSocket(ctx: Ctx, req: Req, record: Rec) {
	Object.assign(record, { status: null, finishedAt: Date.now() });
	record.fault ??= 'reset';
	countStatus(ctx, null, record.isFile);
	req.socket.destroy();
}

/** GET/HEAD /files/<name>: no auth, latency or faults, but expiry (urlExpired, fileTtlMs). */
async function serveFile(ctx: Ctx, req: Req, res: Res, record: Rec, url: URL) {
	record.isFile = true;
	ctx.state.counters.files++;
	if ((await readBody(req, record, ctx.maxBodyBytes)).aborted) return resetSocket(ctx, req, record);
	if (req.method !== 'GET' && req.method !== 'HEAD') {
		const body = errorBody(405, 'Method not allowed', 'method_not_allowed');
		return send(ctx, res, record, { status: 405, body, headers: { allow: 'GET, HEAD' } });
	}
	const { faults, files } = ctx.state;
	const file = files.get(url.pathname.slice('/files/'.length));
	const old = file && faults.fileTtlMs > 0 && Date.now() - file.createdAt > faults.fileTtlMs;
	if (!file || old || faults.urlExpired) {
		const body = errorBody(404, 'File not found or expired', 'not_found');
		return send(ctx, res, record, { status: 404, body });
	}
	const headers = { 'content-type': file.contentType, 'cache-control': 'private, max-age=0' };
	send(ctx, res, record, { status: 200, body: file.data, headers });
}

export async function handle(ctx: Ctx, req: Req, res: Res) {
	const url = new URL(req.url!, 'http://simulator.invalid');
	const record = createRecord(req, url, ctx.state.nextId++);
	ctx.state.requests.push(record);
	if (url.pathname.startsWith('/files/')) return serveFile(ctx, req, res, record, url);
	ctx.state.counters.received++;
	const prefix = PREFIXES.find((p) => url.pathname === p || url.pathname.startsWith(`${p}/`));
	const route = prefix ? url.pathname.slice(prefix.length) : undefined;
	Object.assign(record, { prefix, route });
	const refuse = async (status: number, body: unknown, headers?: Record<string, string>) => {
		const { aborted } = await readBody(req, record, ctx.maxBodyBytes);
		if (aborted) return resetSocket(ctx, req, record);
		send(ctx, res, record, { status, body, headers });
	};
	if (route === undefined || !Object.hasOwn(ROUTES, route)) {
		return refuse(404, errorBody(404, `Unknown path ${req.method} ${url.pathname}`, 'not_found'));
	}
	if (req.method !== ROUTES[route]) {
		const message = `Method ${req.method} not allowed on ${url.pathname}`;
		return refuse(405, errorBody(405, message, 'method_not_allowed'), { allow: ROUTES[route] });
	}
	if (/^Bearer (.+)$/i.exec(req.headers.authorization ?? '')?.[1] !== ctx.apiKey) {
		return refuse(401, errorBody(401));
	}
	ctx.inFlight++;
	ctx.open++;
	ctx.state.counters.maxInFlight = Math.max(ctx.state.counters.maxInFlight, ctx.open);
	let holding = true; // a concurrency slot, until the answer or a 429
	const release = () => {
		if (holding) ctx.inFlight--;
		holding = false;
	};
	try {
		await answerApi(ctx, req, res, record, route, release);
	} finally {
		release();
		ctx.open--;
	}
}

/** An authenticated API request: the rate limits (at arrival), the fault, the latency, the answer. */
async function answerApi(ctx: Ctx, req: Req, res: Res, record: Rec, route: string, release: Done) {
	const limited = rateLimit(ctx.state.faults, ctx.inFlight, ctx.state.rpmLog, Date.now());
	if (limited) release();
	else ctx.state.counters.accepted++;
	const got = await readBody(req, record, ctx.maxBodyBytes);
	if (got.aborted) return resetSocket(ctx, req, record);
	// The JSON body is recorded even when a fault answers: tests tell items apart by it.
	if (/^application\/json/i.test(req.headers['content-type'] ?? '') && got.body) {
		try {
			record.json = JSON.parse(got.body.toString('utf8'));
		} catch {
			// the images route answers invalid JSON with a 400 when the request gets that far
		}
	}
	if (limited) {
		const body = errorBody(429, limited.message, limited.type);
		return send(ctx, res, record, { status: 429, body, headers: limited.headers });
	}
	const action = drawFault(ctx.state, record);
	await ctx.sleep(latencyOf(ctx.state));
	if (action?.hangMs) await ctx.sleep(action.hangMs);
	if (ctx.closed) return;
	if (action?.reset) return resetSocket(ctx, req, record);
	const canned = action && cannedAnswer(action, ctx.state.faults);
	if (canned) return send(ctx, res, record, canned, action.truncate);
	let result: ApiResult;
	try {
		if (got.tooLarge || !got.body) {
			const message = `Request body larger than ${ctx.maxBodyBytes} bytes`;
			throw new ApiError(413, message, 'request_too_large');
		}
		const call = { route, req, body: got.body, record };
		result = route === '/models' ? listModels(ctx) : processImages(ctx, call);
	} catch (error) {
		if (!(error instanceof ApiError)) throw error;
		const { status, message, type, headers } = error;
		result = { status, body: errorBody(status, message, type), headers };
	}
	if (!ctx.closed) send(ctx, res, record, result, action?.truncate);
}

/** GET /models: the models plus extraModels, minus retiredModels. */
function listModels(ctx: Ctx): ApiResult {
	const { extraModels, retiredModels } = ctx.state.faults;
	const ids = [...Object.keys(MODELS), ...extraModels].filter((id) => !retiredModels.includes(id));
	const created = (id: string) => MODELS[id]?.created ?? EXTRA_MODEL_CREATED;
	const model = (id: string) => ({ id, object: 'model', created: created(id) });
	const data = ids.map((id) => ({ ...model(id), owned_by: 'stepfun' }));
	return { status: 200, body: { object: 'list', data } };
}
