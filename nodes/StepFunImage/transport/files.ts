// Image downloads from plain URLs (result URLs; input image URLs). Never with the API key: these
// are file hosts, not the API. Same bounds as API calls: http(s) only, Timeout, size cap, retries.
import type { IExecuteFunctions } from 'n8n-workflow';

import { networkWords } from '../helpers/errors';
import { ResponseTooLargeError } from '../helpers/failures';
import { ImageFormatError, TruncatedImageError } from '../helpers/image';
import { BufferSink, type KeptImage, type SinkFactory } from '../helpers/imageSink';
import { readInto } from '../helpers/response';
import { CancelledError, retryDelay, sleepAbortable } from '../helpers/scheduler';
import type { ErrorFactory } from './errors';
import { contentLength, exchange, NetworkFailure } from './http';
import { MAX_ANSWER_BYTES, MAX_DOWNLOAD_REDIRECTS } from './limits';

export interface DownloadSettings {
	timeoutMs: number;
	maxRetries: number;
	signal?: AbortSignal;
	isStopping: (itemIndex: number) => boolean;
}

interface Target {
	/** What is downloaded, for messages: "the generated image". */
	what: string;
	/** What to do when it fails for good. */
	hint: string;
}

const RESULT: Target = {
	what: 'the generated image',
	hint: 'Result URLs are temporary. Run the item again, or set Options → Result Format to "Binary (Image in Response)" so the image comes inside the API response.',
};

const RETRYABLE = new Set([408, 425, 429, 500, 502, 503, 504]);

export class FileDownloader {
	constructor(
		private readonly ctx: IExecuteFunctions,
		private readonly errors: ErrorFactory,
		private readonly settings: DownloadSettings,
	) {}

	/** Downloads a result URL the API returned and checks it is a complete image. */
	async resultImage(url: string, itemIndex: number, sinks?: SinkFactory): Promise<KeptImage> {
		return await this.image(url, itemIndex, RESULT, sinks);
	}

	/**
	 * Downloads an image URL with retries into `sinks` (a Buffer unless told otherwise); `target`
	 * names it in errors.
	 */
	async image(
		url: string,
		itemIndex: number,
		target: Target,
		sinks: SinkFactory = (_index, hint) => new BufferSink(hint),
	): Promise<KeptImage> {
		const protocol = protocolOf(url);
		if (protocol !== 'http:' && protocol !== 'https:') {
			const problem = protocol
				? `only http:// and https:// URLs can be downloaded, got "${protocol}"`
				: 'the URL is not valid';
			throw this.errors.download(target.what, url, problem, itemIndex, target.hint);
		}
		for (let attempt = 1; ; attempt++) {
			if (this.settings.isStopping(itemIndex)) throw new CancelledError();
			const outcome = await this.fetch(url, sinks).catch(failedDownload);
			if ('info' in outcome) return outcome;
			const again = outcome.retryable && attempt <= this.settings.maxRetries;
			if (again && !this.settings.isStopping(itemIndex)) {
				await sleepAbortable(retryDelay(attempt), this.settings.signal);
				continue;
			}
			const tries = attempt > 1 ? ` Gave up after ${attempt} attempts.` : '';
			const hint = `${target.hint}${tries}`;
			throw this.errors.download(
				target.what,
				url,
				outcome.problem,
				itemIndex,
				hint,
				outcome.status,
			);
		}
	}

	/** One GET within the Timeout; the image is checked while it arrives. */
	private async fetch(url: string, sinks: SinkFactory): Promise<KeptImage | Failed> {
		return await exchange(
			this.ctx,
			{ method: 'GET', url, maxRedirects: MAX_DOWNLOAD_REDIRECTS },
			{ authenticated: false, timeoutMs: this.settings.timeoutMs, signal: this.settings.signal },
			async (response) => {
				const status = response.statusCode;
				if (status < 200 || status >= 300) {
					return { status, problem: `HTTP ${status}`, retryable: RETRYABLE.has(status) };
				}
				const limits = { maxBytes: MAX_ANSWER_BYTES, sizeHint: contentLength(response.headers) };
				return await readInto(response.body, limits, sinks);
			},
		);
	}
}

interface Failed {
	problem: string;
	retryable: boolean;
	status?: number;
}

/** Why a download failed, and whether another try could help; a cancel is thrown on. */
function failedDownload(error: unknown): Failed {
	if (error instanceof NetworkFailure)
		return { problem: networkWords(error.code), retryable: true };
	if (error instanceof TruncatedImageError) {
		return { problem: `the download ended early (${error.message})`, retryable: true };
	}
	if (error instanceof ImageFormatError) {
		return { problem: `the file is not a usable image: ${error.message}`, retryable: false };
	}
	if (error instanceof ResponseTooLargeError) return { problem: error.message, retryable: false };
	throw error;
}

function protocolOf(url: string): string | undefined {
	try {
		return new URL(url).protocol;
	} catch {
		return undefined;
	}
}
