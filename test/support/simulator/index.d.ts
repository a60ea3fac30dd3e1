// Type declarations for the StepFun image API simulator (test/simulator/index.js).

/** Whatever JSON.parse returns. */
export type JsonValue = ReturnType<typeof JSON.parse>;

export type ScriptEntry =
	| null
	| {
			/** HTTP status to answer (200 without `body` = behave normally). */
			status: number;
			/** JSON-serialised if an object; sent raw if a string. Default: an error body for the status. */
			body?: unknown;
			headers?: Record<string, string>;
			/** Also truncate this answer. */
			truncate?: boolean;
	  }
	| { reset: true }
	| { truncate: true }
	| { hangMs: number };

export interface SimulatorFaults {
	/** Delay before answering each API request (not /files). */
	latencyMs?: number;
	/** Extra random delay 0..latencyJitterMs. */
	latencyJitterMs?: number;
	/** API requests in flight beyond this → immediate 429 "Too many concurrent requests". 0 = off. */
	maxConcurrent?: number;
	/** Accepted requests per sliding window (rpmWindowMs) beyond this → 429. 0 = off. */
	rpm?: number;
	/** Sliding window for rpm, default 60000. */
	rpmWindowMs?: number;
	/** 429 answers carry Retry-After (integer seconds ≥ 1). Default false (never seen from the real API). */
	retryAfter?: boolean;
	/** Probability 0..1 of a random server error. */
	errorRate?: number;
	/** Statuses drawn for errorRate, default [500, 502, 503, 504]. */
	errorStatuses?: number[];
	/** Probability of destroying the socket without an answer. */
	resetRate?: number;
	/** Probability of sending headers + half the body, then destroying the socket. */
	truncateRate?: number;
	/** Probability of answering only after hangMs. */
	hangRate?: number;
	/** Default 30000. */
	hangMs?: number;
	/** Consumed in order, one entry per API request that passes auth and rate limits. */
	script?: ScriptEntry[];
	/** Prompt containing one of these → 451 censorship_blocked. */
	blockedPrompts?: string[];
	/** Prompt containing one of these → 200 with finish_reason "content_filtered" and no image. */
	filteredPrompts?: string[];
	/** These model ids → 400 "model <id> not supported" (and hidden from /models). */
	retiredModels?: string[];
	/** Every /images/* request answers 404 or persistent 503. 0 = off. */
	retiredEndpoint?: 0 | 404 | 503;
	/** Images requests (valid ones) → 402 insufficient_balance. */
	insufficientBalance?: boolean;
	/** 200 image responses with a defect. */
	malformed?: null | 'no-data' | 'empty-b64' | 'not-json' | 'bad-b64';
	/** /files/* answers 404. */
	urlExpired?: boolean;
	/** /files/* answers 404 once the file is older than this. 0 = never. */
	fileTtlMs?: number;
	/** Additional model ids accepted with step-image-edit-2's capabilities (e.g. a "renamed" model). */
	extraModels?: string[];
}

export interface SimulatorOptions extends SimulatorFaults {
	/** Default 'sk-simulator'. */
	apiKey?: string;
	/** Default '127.0.0.1'. */
	host?: string;
	/** Default 0 (ephemeral). */
	port?: number;
	/** Seed for the PRNGs (fault draws, jitter, random image seeds). Default 1. */
	randomSeed?: number;
	/** Request bodies larger than this → 413. Default 64 MiB. */
	maxBodyBytes?: number;
}

export interface RecordedFile {
	field: string;
	filename: string;
	contentType: string | undefined;
	size: number;
	sha256: string;
	data: Buffer;
	/** Set for the edit image once sniffed. */
	format?: 'png' | 'jpeg' | 'webp';
	width?: number;
	height?: number;
}

export interface RecordedRequest {
	id: number;
	method: string;
	path: string;
	query: Record<string, string>;
	/** Lower-cased header names. */
	headers: Record<string, string | string[] | undefined>;
	authorization: string | undefined;
	contentType: string | undefined;
	/** Parsed JSON body (typed like JSON.parse's result). */
	json: JsonValue;
	fields: Record<string, string>;
	files: RecordedFile[];
	rawBodySize: number;
	/** Status answered; null when the socket was reset; undefined while in flight. */
	status: number | null | undefined;
	traceId: string;
	receivedAt: number;
	finishedAt: number | undefined;
	/** 'script' | 'reset' | 'truncate' | 'hang' | 'error' | null */
	fault: string | null;
	/** true for GET /files/... */
	isFile?: boolean;
	/** '/step_plan/v1' | '/v1' | undefined */
	prefix?: string;
	/** e.g. '/images/generations' */
	route?: string;
	/** Seed reported in data[0].seed (image requests that got that far). */
	seedUsed?: number;
	/** Output image dimensions. */
	output?: { width: number; height: number };
	/** sha256 of the generated PNG. */
	outputSha256?: string;
	/** The client had gone away before the answer was written. */
	clientGone?: boolean;
}

export interface SimulatorStats {
	/** API requests received (not /files). */
	received: number;
	/** API requests that passed auth and the rate-limit gates. */
	accepted: number;
	/** 429 answers (rate limits and scripted 429s). */
	rejected429: number;
	/** API answers by status ('reset' for connection resets). */
	byStatus: Record<string, number>;
	/** Peak number of authenticated API requests open at once (including ones then rejected with 429). */
	maxInFlight: number;
	inFlight: number;
	/** /files requests. */
	files: number;
	filesByStatus: Record<string, number>;
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
	/** All recorded requests (API and /files), in arrival order. */
	readonly requests: RecordedRequest[];
	/** Recorded requests excluding /files. */
	apiRequests(): RecordedRequest[];
	/** Recorded /files requests. */
	fileRequests(): RecordedRequest[];
	/** Current fault knobs (script = remaining entries). */
	readonly faults: Required<SimulatorFaults>;
	/** Merge new knobs; a new `script` replaces the remaining queue. */
	setFaults(f: SimulatorFaults): Required<SimulatorFaults>;
	/** Clear requests, stored files and counters; knobs back to the start options. */
	reset(): void;
	stats(): SimulatorStats;
	close(): Promise<void>;
}

export function startSimulator(options?: SimulatorOptions): Promise<Simulator>;

export interface ModelSpec {
	sizes: string[];
	defaultSize: string;
	defaultSteps: number;
	defaultCfg: number;
	negativePrompt: boolean;
	textMode: boolean;
	edits: boolean;
	seedZeroIsRandom: boolean;
	created: number;
}
export const MODELS: Record<string, ModelSpec>;
export const DEFAULT_FAULTS: Readonly<Required<SimulatorFaults>>;

/** Deterministic RGB PNG of the given size (same key → same bytes). */
export function makePng(width: number, height: number, key?: string, level?: number): Buffer;
export function renderPattern(width: number, height: number, key: string): Buffer;
export function encodePngFromScanlines(width: number, height: number, scanlines: Buffer, level?: number): Buffer;

export interface ImageInfo {
	format: 'png' | 'jpeg' | 'webp';
	mimeType: string;
	width: number;
	height: number;
	progressive?: boolean;
	sof?: number;
	webp?: 'VP8' | 'VP8L' | 'VP8X';
}
/** Header-only info; undefined for non-PNG/JPEG/WebP bytes; throws on an unreadable header. */
export function imageInfo(buf: Buffer | Uint8Array): ImageInfo | undefined;
export function sniffImage(buf: Buffer | Uint8Array): 'png' | 'jpeg' | 'webp' | undefined;
