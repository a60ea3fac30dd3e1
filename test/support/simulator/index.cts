// The StepFun simulator: a real HTTP server playing the image API (contract.cts) with fault knobs
// (faults.cts), for the tests, the demo and the benchmark. Request handling: handle.cts and images.cts.
import http from 'node:http';
import type net from 'node:net';

import { DEFAULT_API_KEY, DEFAULT_MAX_BODY_BYTES, errorBody } from './contract.cjs';
import {
	FAULT_KEYS,
	normaliseFaults,
	type Faults,
	type ScriptEntry,
	type SimulatorFaults,
} from './faults.cjs';
import { handle } from './handle.cjs';
import {
	createSleeps,
	createState,
	storeFile,
	type RecordedRequest,
	type SimulatorContext,
	type SimulatorStats,
} from './state.cjs';

export { MODELS } from './contract.cjs';
export { DEFAULT_FAULTS } from './faults.cjs';
export type { ScriptEntry, SimulatorFaults };
export type { RecordedFile, RecordedRequest, SimulatorStats } from './state.cjs';
export { imageInfo, sniffImage, type ImageInfo } from './image-info.cjs';
export { encodePngFromScanlines, makePng, renderPattern } from './png.cjs';

export interface SimulatorOptions extends SimulatorFaults {
	/** Default 'sk-simulator'. */
	apiKey?: string;
	/** Default 127.0.0.1. */
	host?: string;
	/** Default 0 (any free port). */
	port?: number;
	/** Seeds the PRNGs (fault draws, jitter, random image seeds). Default 1. */
	randomSeed?: number;
	/** Request bodies larger than this → 413. Default 64 MiB. */
	maxBodyBytes?: number;
	/** Draws an answer's image instead of makePng (the benchmark reuses one per size). */
	renderImage?: SimulatorContext['renderImage'];
}

export interface Simulator {
	/** 'http://127.0.0.1:PORT' */
	url: string;
	/** `${url}/step_plan/v1` */
	stepPlanBaseUrl: string;
	/** `${url}/v1` */
	openPlatformBaseUrl: string;
	port: number;
	apiKey: string;
	/** Every recorded request (API and /files), in arrival order. */
	readonly requests: RecordedRequest[];
	/** The knobs now (script: the entries left). */
	readonly faults: Faults;
	apiRequests(): RecordedRequest[];
	fileRequests(): RecordedRequest[];
	/** Serves `data` under /files (no auth) like a result, and returns its URL: an Edit input by URL. */
	hostFile(data: Buffer, contentType?: string): string;
	/** Merges new knobs; a new `script` replaces the entries left. */
	setFaults(f: SimulatorFaults): Faults;
	/** Forgets requests, files and counters; the knobs go back to the start options. */
	reset(): void;
	stats(): SimulatorStats;
	close(): Promise<void>;
}

const SETTINGS = new Set(['apiKey', 'host', 'port', 'randomSeed', 'maxBodyBytes', 'renderImage']);

export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
	const { apiKey = DEFAULT_API_KEY, host = '127.0.0.1', port = 0, randomSeed = 1 } = options;
	const startFaults: Record<string, unknown> = {};
	for (const [k, v] of Object.entries(options)) {
		if (SETTINGS.has(k)) continue;
		if (!FAULT_KEYS.has(k)) throw new TypeError(`simulator: unknown option "${k}"`);
		startFaults[k] = v;
	}
	normaliseFaults(startFaults);
	const ctx: SimulatorContext = {
		apiKey,
		maxBodyBytes: options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES,
		renderImage: options.renderImage,
		url: '',
		state: createState(startFaults, randomSeed),
		closed: false,
		inFlight: 0,
		open: 0,
		...createSleeps(),
	};
	const sockets = new Set<net.Socket>();
	const server = http.createServer((req, res) => {
		handle(ctx, req, res).catch((error: unknown) => {
			if (res.headersSent) return void res.destroy();
			res.writeHead(500, { 'content-type': 'application/json' });
			res.end(JSON.stringify(errorBody(500, `simulator bug: ${(error as Error)?.message}`)));
		});
	});
	server.on('connection', (s) => {
		sockets.add(s);
		s.on('close', () => sockets.delete(s));
	});
	server.keepAliveTimeout = 5000;
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, () => (server.off('error', reject), resolve()));
	});
	const address = server.address() as net.AddressInfo;
	const url = `http://${host.includes(':') ? `[${host}]` : host}:${address.port}`;
	ctx.url = url;
	const sim: Simulator = {
		url,
		stepPlanBaseUrl: `${url}/step_plan/v1`,
		openPlatformBaseUrl: `${url}/v1`,
		port: address.port,
		apiKey,
		get requests() {
			return ctx.state.requests;
		},
		get faults() {
			return { ...ctx.state.faults, script: ctx.state.scriptQueue.slice() };
		},
		apiRequests: () => ctx.state.requests.filter((r) => !r.isFile),
		fileRequests: () => ctx.state.requests.filter((r) => r.isFile),
		hostFile: (data, contentType = 'application/octet-stream') => storeFile(ctx, data, contentType),
		setFaults(f) {
			const knobs = normaliseFaults(f ?? {});
			Object.assign(ctx.state.faults, knobs);
			if (knobs.script) ctx.state.scriptQueue = (knobs.script as ScriptEntry[]).slice();
			return sim.faults;
		},
		reset: () => void (ctx.state = createState(startFaults, randomSeed)),
		stats: () => ({ ...structuredClone(ctx.state.counters), inFlight: ctx.open }),
		async close() {
			if (ctx.closed) return;
			ctx.closed = true;
			ctx.wakeAll();
			const done = new Promise<void>((resolve) => server.close(() => resolve()));
			server.closeAllConnections();
			for (const s of sockets) s.destroy();
			await done;
		},
	};
	return sim;
}
