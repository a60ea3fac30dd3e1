// The StepFun API client: the only door to HTTP. An operation hands it one image's request with its
// JSON body or multipart upload, and gets back the finished images (decoded or downloaded, checked,
// content_filtered turned into its failure), or a Failure in which every text from the network is
// redacted. Files (result URLs, input image URLs) come through the same door, never with the key.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { parseUrl, type BaseUrl } from '../domain/endpoints';
import {
	downloadFailed,
	Failure,
	moderated,
	networkWords,
	unusableAnswer,
} from '../domain/failures';
import { createRedactor, safeHost, safeUrl, type Redactor } from '../domain/redact';
import type { ImageRequest } from '../domain/request';
import { bufferSinks, type ImageFile, type ImageStore, type SinkFactory } from '../image/sinks';
import { exchange, NetworkFailure, type RawResponse } from './http';
import type { ImageAnswer, ResultImage } from './imageJson';
import type { GovernorLease } from './lease';
import { MAX_API_REDIRECTS, MAX_DOWNLOAD_REDIRECTS } from './limits';
import { AccountRefusal } from './refusal';
import { downloadProblem, readAnswer, readDownload, type Problem } from './response';
import { retrying, type RetryPolicy } from './retry';
import { judgeAttempt, redactFailure, type Attempted } from './verdict';

export interface ClientSettings {
	baseUrl: BaseUrl;
	/** Only used to scrub the key from every text that comes back. */
	apiKey: unknown;
	timeoutMs: number;
	/** Retries for 5xx, timeouts and connection failures. */
	maxRetries: number;
	/** How long one item may keep waiting out 429s before giving up. */
	rateLimitWaitMs: number;
	/** This execution's lease on the account's shared governor (see accounts.ts). */
	governor: GovernorLease;
	/** Where the execution's images go (in memory or streamed into n8n's storage). */
	store: ImageStore;
	/** True once an item may not start new attempts: a lower item failed for good, or a cancel. */
	isStopping: (itemIndex: number) => boolean;
}

/** What an operation hands over besides the request: a JSON body, or the edit's multipart upload. */
export type Payload = { json: IDataObject } | { upload: Blob };

/** One request's answer: its images in the one shape the output is built from. */
export interface ImageResult {
	images: ResultImage[];
	id?: string;
	created?: number;
	traceId?: string;
	attempts: number;
	durationMs: number;
}

/** A file to download: what it is, for messages, and what to do when it fails for good. */
export interface DownloadTarget {
	what: string;
	hint: string;
}

const RESULT: DownloadTarget = {
	what: 'the generated image',
	hint: 'Result URLs are temporary. Run the item again, or set Options → Result Format to "Binary (Image in Response)" so the image comes inside the API response.',
};

/** API redirects are judged by the client (attempt()), never followed by the HTTP layer. */
const NO_REDIRECTS = { disableFollowRedirect: true } as const;

export class StepFunClient {
	/** Where the execution's images go; the output items are stored through it too. */
	readonly store: ImageStore;
	private readonly redact: Redactor;
	private readonly signal: AbortSignal | undefined;
	/** The account refused this execution (key rejected, no balance): the rest is not sent. */
	private readonly refusal = new AccountRefusal();

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly settings: ClientSettings,
	) {
		this.signal = ctx.getExecutionCancelSignal?.();
		this.redact = createRedactor(settings.apiKey);
		this.store = settings.store;
	}

	/** Sends one image's request, with retries and the account's rate limits, and finishes its images. */
	async send(request: ImageRequest, payload: Payload): Promise<ImageResult> {
		const started = Date.now();
		const path = request.operation === 'edit' ? '/images/edits' : '/images/generations';
		const policy = this.policy(request.itemIndex, this.settings.governor);
		const { value, attempts } = await retrying(policy, async () => {
			const sinks = this.store.sinks(request.fileName);
			const judging = { model: String(request.fields.model), baseUrl: this.settings.baseUrl.href };
			return judgeAttempt(await this.attempt(path, payload, sinks), {
				...judging,
				redact: this.redact,
			});
		}).catch((error: unknown) => {
			this.refusal.note(error, request.itemIndex);
			throw error;
		});
		const durationMs = Date.now() - started;
		const images = await this.finish(value.answer, request, value.traceId);
		return {
			images,
			id: this.redact(value.answer.id, 200),
			created: value.answer.created,
			traceId: this.redact(value.traceId, 200),
			attempts,
			durationMs,
		};
	}

	/** Downloads an image URL (a result, or an input image) and checks it, into `sinks`. */
	async download(
		url: string,
		itemIndex: number,
		target: DownloadTarget,
		sinks: SinkFactory = bufferSinks,
	): Promise<ImageFile> {
		const refused = this.refusal.notSent(itemIndex);
		if (refused) throw refused;
		const protocol = parseUrl(url)?.protocol;
		if (protocol !== 'http:' && protocol !== 'https:') {
			const words = protocol
				? `only http:// and https:// URLs can be downloaded, got "${protocol}"`
				: 'the URL is not valid';
			throw this.downloadFailure(target, url, { words, attempts: 1 });
		}
		const { value } = await retrying<ImageFile>(this.policy(itemIndex), async () => {
			const fetched = await this.fetch(url, sinks);
			if ('info' in fetched) return { ok: fetched };
			return {
				failed: (attempts) => this.downloadFailure(target, url, { ...fetched, attempts }),
				retry: fetched.retry,
			};
		});
		return value;
	}

	private policy(itemIndex: number, governor?: GovernorLease): RetryPolicy {
		const { maxRetries, rateLimitWaitMs, isStopping } = this.settings;
		const stopping = () => isStopping(itemIndex);
		const refused = () => this.refusal.notSent(itemIndex);
		return { maxRetries, rateLimitWaitMs, signal: this.signal, governor, stopping, refused };
	}

	/**
	 * One attempt within one Timeout. Same-origin 307/308 redirects are followed (the key stays at
	 * the Base URL's origin); any other redirect is returned as the answer, never followed.
	 */
	private async attempt(path: string, payload: Payload, sinks: SinkFactory): Promise<Attempted> {
		const { baseUrl, timeoutMs } = this.settings;
		const deadline = Date.now() + timeoutMs;
		let url = `${baseUrl.href}${path}`;
		for (let hop = 0; ; hop++) {
			const outcome = await exchange(
				this.ctx,
				// A Blob body carries its own Content-Type (multipart, with its boundary) and length.
				'upload' in payload
					? { method: 'POST', url, body: payload.upload as unknown as IDataObject, ...NO_REDIRECTS }
					: { method: 'POST', url, body: payload.json, json: true, ...NO_REDIRECTS },
				{ authenticated: true, timeoutMs: Math.max(1, deadline - Date.now()), signal: this.signal },
				async (response) => await readAnswer(response, sinks),
			).catch((error: unknown): Attempted => {
				if (!(error instanceof NetworkFailure)) throw error;
				// The answer had begun: it was cut off, whatever broke it.
				if (error.answered !== undefined && error.answered < 300) {
					return {
						kind: 'cut',
						reason: `the connection broke while it arrived (${networkWords(error.code)})`,
					};
				}
				return { kind: 'network', code: error.code };
			});
			if (outcome.kind !== 'redirect' || hop >= MAX_API_REDIRECTS) return outcome;
			const next = parseUrl(outcome.location, url);
			const sameOrigin = next !== undefined && next.origin === baseUrl.origin;
			if (!sameOrigin || (outcome.status !== 307 && outcome.status !== 308)) return outcome;
			url = next.href;
		}
	}

	/** Checks the answer's images, downloading URL results when the image itself is wanted. */
	private async finish(
		answer: ImageAnswer,
		request: ImageRequest,
		traceId: string | undefined,
	): Promise<ResultImage[]> {
		const trace = this.redact(traceId, 200);
		const unusable = (reason: string) => this.safe(unusableAnswer(reason, trace));
		const images: ResultImage[] = [];
		for (const [index, image] of answer.images.entries()) {
			const finishReason = this.redact(image.finishReason, 60) ?? 'success';
			if (image.finishReason === 'content_filtered')
				throw this.safe(moderated(finishReason, trace));
			const finished: ResultImage = {
				url: this.redact(image.url, 8192),
				seed: image.seed,
				finishReason,
			};
			if (request.resultFormat !== 'url') {
				if (image.file) finished.file = image.file;
				else if (image.url) {
					const sinks = this.store.sinks(request.fileName);
					const into: SinkFactory = (_first, hint) => sinks(index, hint);
					finished.file = await this.download(image.url, request.itemIndex, RESULT, into);
				} else throw unusable(`image ${index + 1} has neither image data nor a URL`);
			} else if (!image.url) throw unusable(`image ${index + 1} has no URL`);
			images.push(finished);
		}
		return images;
	}

	/** One GET within the Timeout, never with the key; the image is checked while it arrives. */
	private async fetch(url: string, sinks: SinkFactory): Promise<ImageFile | Problem> {
		const request = { method: 'GET' as const, url, maxRedirects: MAX_DOWNLOAD_REDIRECTS };
		const options = {
			authenticated: false,
			timeoutMs: this.settings.timeoutMs,
			signal: this.signal,
		};
		const read = async (response: RawResponse) => await readDownload(response, sinks);
		return await exchange(this.ctx, request, options, read).catch(downloadProblem);
	}

	private downloadFailure(
		target: DownloadTarget,
		url: string,
		problem: { words: string; advice?: string; status?: number; attempts: number },
	): Failure {
		const download = {
			...target,
			host: safeHost(this.redact, url),
			url: safeUrl(this.redact, url),
		};
		return this.safe(downloadFailed(download, problem));
	}

	/** The failure with its whole message and description redacted. */
	private safe(failure: Failure): Failure {
		return redactFailure(this.redact, failure);
	}
}
