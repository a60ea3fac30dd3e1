// The StepFun API client: the only door to HTTP. Operations hand it a request and get back finished
// images (body parsed, URL results downloaded, every image checked, content_filtered turned into
// its error), or a node error that names the item and holds nothing unredacted from the network.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { BaseUrl } from '../helpers/endpoints';
import { RETRYABLE_STATUSES } from '../helpers/errors';
import { TruncatedResponseError } from '../helpers/failures';
import { inspectImage } from '../helpers/image';
import { BufferSink, type KeptImage, type SinkFactory } from '../helpers/imageSink';
import { createRedactor } from '../helpers/redact';
import { CancelledError, retryDelay, sleepAbortable } from '../helpers/scheduler';
import type { GovernorLease } from '../helpers/governor';
import { failureOf, parseRetryAfter, readAnswer, resolveUrl, type Outcome } from './answer';
import { ErrorFactory } from './errors';
import { FileDownloader } from './files';
import { exchange, NetworkFailure } from './http';
import { MAX_API_REDIRECTS } from './limits';
import { StorageSink } from './storage';

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
	/** True once an item may not start new attempts: a lower item failed for good, or a cancel. */
	isStopping: (itemIndex: number) => boolean;
}

export interface ImageCall {
	itemIndex: number;
	model: string;
	/** Image bytes (downloaded from a result URL when needed), or only the URL. */
	want: 'bytes' | 'url';
	/**
	 * Stream each image straight into n8n's binary storage under this file name, instead of
	 * keeping it in memory (only where the binary mode allows it: filesystem).
	 */
	storeAs?: (extension: string, index: number) => string;
}

/** An edit's multipart body: a Blob that streams the input image (see actions/image/input.ts). */
export type Upload = Blob;

export interface FinishedImage {
	/** The checked image (in memory, or already stored), unless only the URL was wanted. */
	image?: KeptImage;
	/** The result URL when the API sent one (redacted). */
	url?: string;
	seed?: number;
	finishReason: string;
}

export interface ImageResult {
	images: FinishedImage[];
	id?: string;
	created?: number;
	traceId?: string;
	attempts: number;
	durationMs: number;
}

export class StepFunClient {
	readonly errors: ErrorFactory;
	readonly files: FileDownloader;
	private readonly signal: AbortSignal | undefined;

	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly settings: ClientSettings,
	) {
		this.signal = ctx.getExecutionCancelSignal?.();
		this.errors = new ErrorFactory(ctx, createRedactor(settings.apiKey));
		this.files = new FileDownloader(ctx, this.errors, { ...settings, signal: this.signal });
	}

	async generate(body: IDataObject, call: ImageCall): Promise<ImageResult> {
		return await this.finish(await this.post('/images/generations', body, call), call);
	}

	async edit(upload: Upload, call: ImageCall): Promise<ImageResult> {
		return await this.finish(await this.post('/images/edits', upload, call), call);
	}

	/** Where the images of a call go while they arrive. */
	private sinks(call: ImageCall): SinkFactory {
		const { storeAs } = call;
		if (!storeAs) return (_index, sizeHint) => new BufferSink(sizeHint);
		return (index) => new StorageSink(this.ctx, (extension) => storeAs(extension, index));
	}

	/** Sends with retries and the shared rate limits until the API answers with a result. */
	private async post(path: string, body: IDataObject | Upload, call: ImageCall) {
		const { governor, rateLimitWaitMs, maxRetries } = this.settings;
		const started = Date.now();
		let attempts = 0;
		let retries = 0;
		let waited = 0;
		for (;;) {
			if (this.settings.isStopping(call.itemIndex)) throw new CancelledError();
			const ticket = await governor.acquire();
			if (this.settings.isStopping(call.itemIndex)) {
				governor.release(ticket, 'unsent');
				throw new CancelledError();
			}
			attempts++;
			const outcome = await this.attempt(path, body, call).catch((error: unknown) => {
				governor.release(ticket, 'failed');
				throw error;
			});
			if (outcome.kind === 'ok') {
				governor.release(ticket, 'success');
				return { ...outcome, attempts, durationMs: Date.now() - started };
			}
			if (outcome.kind === 'unusable') {
				governor.release(ticket, 'failed');
				throw this.errors.unusable(outcome.reason, call.itemIndex, outcome.traceId);
			}
			const failure = failureOf(outcome, {
				model: call.model,
				baseUrl: this.settings.baseUrl.href,
				attempts,
			});
			if (outcome.kind === 'status' && outcome.status === 429) {
				const asked = parseRetryAfter(outcome.retryAfter);
				const delay = governor.release(ticket, 'rateLimited', asked);
				if (waited + delay <= rateLimitWaitMs) {
					waited += delay;
					await sleepAbortable(delay, this.signal);
					continue;
				}
			} else {
				governor.release(ticket, 'failed');
				const retryable =
					outcome.kind === 'network' ||
					(outcome.kind === 'status' && RETRYABLE_STATUSES.has(outcome.status));
				if (retryable && retries < maxRetries) {
					retries++;
					await sleepAbortable(retryDelay(retries), this.signal);
					continue;
				}
			}
			throw this.errors.api(failure, call.itemIndex);
		}
	}

	/**
	 * One attempt within one Timeout. Same-origin 307/308 redirects are followed (the key stays at
	 * the Base URL's origin); any other redirect is returned as the answer, never followed.
	 */
	private async attempt(
		path: string,
		body: IDataObject | Upload,
		call: ImageCall,
	): Promise<Outcome> {
		const sinks = this.sinks(call);
		const upload = body instanceof Blob ? body : undefined;
		const { baseUrl, timeoutMs } = this.settings;
		const deadline = Date.now() + timeoutMs;
		let url = `${baseUrl.href}${path}`;
		for (let hop = 0; ; hop++) {
			const outcome = await exchange(
				this.ctx,
				// A Blob body carries its own Content-Type (multipart, with its boundary) and length.
				upload
					? {
							method: 'POST',
							url,
							body: upload as unknown as IDataObject,
							disableFollowRedirect: true,
						}
					: { method: 'POST', url, body, json: true, disableFollowRedirect: true },
				{
					authenticated: true,
					timeoutMs: Math.max(1, deadline - Date.now()),
					signal: this.signal,
				},
				async (response) => await readAnswer(response, sinks),
			).catch((error: unknown): Outcome => {
				if (error instanceof NetworkFailure) return { kind: 'network', code: error.code };
				if (error instanceof TruncatedResponseError) return { kind: 'network', code: 'ECONNRESET' };
				throw error;
			});
			if (outcome.kind !== 'redirect' || hop >= MAX_API_REDIRECTS) return outcome;
			const next = resolveUrl(outcome.location, url);
			const sameOrigin = next !== undefined && new URL(next).origin === baseUrl.origin;
			if (!sameOrigin || (outcome.status !== 307 && outcome.status !== 308)) return outcome;
			url = next;
		}
	}

	/** Turns the parsed answer into checked images, downloading URL results when bytes are wanted. */
	private async finish(
		answer: Extract<Outcome, { kind: 'ok' }> & { attempts: number; durationMs: number },
		call: ImageCall,
	): Promise<ImageResult> {
		const { redact } = this.errors;
		const { parsed, traceId } = answer;
		const images: FinishedImage[] = [];
		for (const [index, image] of parsed.images.entries()) {
			if (image.finishReason === 'content_filtered') {
				throw this.errors.moderation(image.finishReason, call.itemIndex, traceId);
			}
			const finished: FinishedImage = {
				url: redact(image.url, 8192),
				seed: image.seed,
				finishReason: redact(image.finishReason, 60) ?? 'success',
			};
			if (call.want === 'bytes') {
				if (image.kept) {
					finished.image = image.kept;
				} else if (image.bytes) {
					const checked = inspectImage(image.bytes, false);
					if (!checked.info) {
						const reason = `the returned image is unusable: ${checked.problem}`;
						throw this.errors.unusable(reason, call.itemIndex, traceId);
					}
					finished.image = { info: checked.info, size: image.bytes.length, bytes: image.bytes };
				} else if (image.url) {
					const sinks = this.sinks(call);
					finished.image = await this.files.resultImage(image.url, call.itemIndex, sinks);
				} else {
					const reason = `image ${index + 1} has neither image data nor a URL`;
					throw this.errors.unusable(reason, call.itemIndex, traceId);
				}
			} else if (!image.url) {
				throw this.errors.unusable(`image ${index + 1} has no URL`, call.itemIndex, traceId);
			}
			images.push(finished);
		}
		return {
			images,
			id: redact(parsed.id, 200),
			created: parsed.created,
			traceId: redact(traceId, 200),
			attempts: answer.attempts,
			durationMs: answer.durationMs,
		};
	}
}
