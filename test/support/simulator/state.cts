// A running simulator's state: what every request reads and updates (the knobs, the script, the PRNGs,
// the request log and counters, the stored files), renewed by reset(); the sleeps close() cuts short.
import crypto from 'node:crypto';
import type http from 'node:http';

import { MAX_FILES_KEPT } from './contract.cjs';
import { DEFAULT_FAULTS, mulberry32, normaliseFaults } from './faults.cjs';
import type { Faults, ScriptEntry } from './faults.cjs';
import type { makePng } from './png.cjs';

export interface RecordedFile {
	field: string;
	filename: string;
	contentType: string | undefined;
	size: number;
	sha256: string;
	data: Buffer;
	format?: 'png' | 'jpeg' | 'webp';
	width?: number;
	height?: number;
}

/**
 * One HTTP request (API or /files). `status` is null for a reset connection, undefined while in flight;
 * `fault`: 'script' | 'reset' | 'truncate' | 'hang' | 'error'; `seedUsed`: the seed in data[0].seed;
 * `clientGone`: the client left before the answer was written.
 */
export interface RecordedRequest {
	id: number;
	method: string;
	path: string;
	query: Record<string, string>;
	headers: http.IncomingHttpHeaders;
	authorization: string | undefined;
	contentType: string | undefined;
	json: any;
	fields: Record<string, string>;
	files: RecordedFile[];
	rawBodySize: number;
	status: number | null | undefined;
	traceId: string;
	receivedAt: number;
	finishedAt: number | undefined;
	fault: string | null;
	isFile?: boolean;
	prefix?: string;
	route?: string;
	seedUsed?: number;
	output?: { width: number; height: number };
	outputSha256?: string;
	clientGone?: boolean;
}

/**
 * `received`: API requests (not /files); `accepted`: past auth and the rate limits; `rejected429`: 429s
 * (limits and scripted); `byStatus`: 'reset' for a reset connection; `maxInFlight`: the most
 * authenticated API requests open at once (429s included).
 */
type Counts = 'received' | 'accepted' | 'rejected429' | 'maxInFlight' | 'inFlight' | 'files';
export type SimulatorStats = Record<Counts, number> & Record<'byStatus' | 'filesByStatus', Tally>;
type Tally = Record<string, number>;

/** `rpmLog`: when the rpm gate let requests through; `faultRand`: fault draws and jitter. */
export interface SimulatorState {
	faults: Faults;
	scriptQueue: ScriptEntry[];
	faultRand: () => number;
	seedRand: () => number;
	requests: RecordedRequest[];
	counters: Omit<SimulatorStats, 'inFlight'>;
	rpmLog: number[];
	files: Map<string, { data: Buffer; contentType: string; createdAt: number }>;
	nextId: number;
}

/**
 * What request handling reads and updates. `inFlight`: authenticated requests holding a concurrency
 * slot; `open`: those not answered yet (being refused too); `renderImage`: draws an answer's image
 * (the benchmark reuses one per size); `sleep`: resolves after ms, or at once on close().
 */
export interface SimulatorContext {
	apiKey: string;
	maxBodyBytes: number;
	url: string;
	state: SimulatorState;
	closed: boolean;
	inFlight: number;
	open: number;
	renderImage?: typeof makePng;
	sleep(ms: number): Promise<void>;
	wakeAll(): void;
}

export function createState(startFaults: Partial<Faults>, randomSeed: number): SimulatorState {
	const faults = { ...DEFAULT_FAULTS, ...normaliseFaults(startFaults) } as Faults;
	const counters = { received: 0, accepted: 0, rejected429: 0, maxInFlight: 0, files: 0 };
	return {
		faults,
		scriptQueue: faults.script.slice(),
		faultRand: mulberry32(randomSeed),
		seedRand: mulberry32((randomSeed ^ 0x9e3779b9) >>> 0),
		requests: [],
		counters: { ...counters, byStatus: {}, filesByStatus: {} },
		rpmLog: [],
		files: new Map(),
		nextId: 1,
	};
}

/** Timers that close() can end early. */
export function createSleeps(): Pick<SimulatorContext, 'sleep' | 'wakeAll'> {
	const sleepers = new Map<NodeJS.Timeout, () => void>();
	const sleep = (ms: number) =>
		new Promise<void>((resolve) => {
			if (!(ms > 0)) return resolve();
			const timer = setTimeout(() => sleepers.delete(timer) && resolve(), ms);
			sleepers.set(timer, resolve);
		});
	const wakeAll = () => {
		for (const [timer, resolve] of sleepers) (clearTimeout(timer), resolve());
		sleepers.clear();
	};
	return { sleep, wakeAll };
}

export function createRecord(req: http.IncomingMessage, url: URL, id: number): RecordedRequest {
	const { authorization, 'content-type': contentType } = req.headers;
	const query = Object.fromEntries(url.searchParams);
	const traceId = crypto.randomBytes(16).toString('hex');
	return {
		...{ id, method: req.method!, path: url.pathname, query },
		...{ headers: { ...req.headers }, authorization, contentType, json: undefined, fields: {} },
		...{ files: [], rawBodySize: 0, status: undefined, traceId },
		...{ receivedAt: Date.now(), finishedAt: undefined, fault: null },
	};
}

/** Counts an answer (null: a reset connection). */
export function countStatus(ctx: SimulatorContext, status: number | null, isFile?: boolean) {
	const { counters } = ctx.state;
	const counts = isFile ? counters.filesByStatus : counters.byStatus;
	const key = status === null ? 'reset' : String(status);
	counts[key] = (counts[key] ?? 0) + 1;
	if (status === 429 && !isFile) counters.rejected429++;
}

/** Keeps `data` for download (the oldest beyond MAX_FILES_KEPT go); its URL. */
export function storeFile(ctx: SimulatorContext, data: Buffer, contentType: string): string {
	const { files } = ctx.state;
	const name = `${crypto.randomBytes(12).toString('hex')}.png`;
	files.set(name, { data, contentType, createdAt: Date.now() });
	while (files.size > MAX_FILES_KEPT) files.delete(files.keys().next().value!);
	return `${ctx.url}/files/${name}`;
}
