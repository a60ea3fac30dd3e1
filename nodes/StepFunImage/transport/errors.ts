// Node errors for everything the API or a file host does wrong. Every text that came from the
// network goes through the redactor here, and only these safe fields reach the error: never the
// request options (they hold the Authorization header) nor the raw response.
import type { IExecuteFunctions, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { describeFailure, type ApiFailure } from '../helpers/errors';
import type { Redactor } from '../helpers/redact';

export class ErrorFactory {
	constructor(
		private readonly ctx: IExecuteFunctions,
		readonly redact: Redactor,
	) {}

	/** An HTTP, redirect or network failure of an API call, after the retries it was allowed. */
	api(failure: ApiFailure, itemIndex: number): NodeApiError {
		const safe: ApiFailure = {
			...failure,
			errorType: this.redact(failure.errorType, 100),
			errorMessage: this.redact(failure.errorMessage, 300),
			traceId: this.redact(failure.traceId, 200),
			redirectTo: failure.redirectTo === undefined ? undefined : this.url(failure.redirectTo),
		};
		const described = describeFailure(safe);
		return this.build(
			{
				status: failure.status ?? null,
				type: safe.errorType ?? null,
				message: safe.errorMessage ?? null,
				traceId: safe.traceId ?? null,
				// Not named `code`: NodeApiError would swap our message for its generic one.
				networkError: failure.networkCode ?? null,
			},
			described.message,
			described.description,
			itemIndex,
			failure.status,
		);
	}

	/** The API answered, but without a usable image: not retried, the answer would be the same. */
	unusable(reason: string, itemIndex: number, traceId?: string): NodeApiError {
		const trace = this.redact(traceId, 200);
		return this.build(
			{ traceId: trace ?? null },
			`Unusable response from the StepFun API: ${reason}`,
			`The endpoint answered without a usable image. Check that the credential's Base URL points at a StepFun-compatible API.${trace ? ` Trace ID: ${trace}.` : ''}`,
			itemIndex,
		);
	}

	/** finish_reason content_filtered: the safety review removed the image. */
	moderation(finishReason: string, itemIndex: number, traceId?: string): NodeApiError {
		const trace = this.redact(traceId, 200);
		const reason = this.redact(finishReason, 60) ?? 'content_filtered';
		return this.build(
			{ finish_reason: reason, traceId: trace ?? null },
			`Blocked by StepFun content moderation (finish_reason: ${reason})`,
			`The result was filtered by the safety review, so there is no image. Rephrase the prompt or use another image.${trace ? ` Trace ID: ${trace}.` : ''}`,
			itemIndex,
		);
	}

	/** A file download (a result URL, or an input image URL) failed for good. */
	download(
		what: string,
		url: string,
		problem: string,
		itemIndex: number,
		hint: string,
		status?: number,
	): NodeApiError {
		return this.build(
			{ status: status ?? null, url: this.url(url) },
			`Could not download ${what} from ${this.host(url)}: ${problem}`,
			hint,
			itemIndex,
			status,
		);
	}

	/** A URL made safe to show: no credentials in it, no query (signed URLs carry tokens there), redacted. */
	url(value: string): string {
		try {
			const url = new URL(value);
			return this.redact(`${url.origin}${url.pathname}`, 200) ?? 'an empty address';
		} catch {
			return `"${this.redact(value, 100) ?? ''}"`;
		}
	}

	private host(value: string): string {
		try {
			const host = new URL(value).host;
			if (host) return this.redact(host, 100) ?? 'the file host';
		} catch {
			// described below
		}
		return 'an invalid address';
	}

	private build(
		response: JsonObject,
		message: string,
		description: string,
		itemIndex: number,
		status?: number,
	): NodeApiError {
		return new NodeApiError(this.ctx.getNode(), response, {
			message: `${this.redact(message, 1000)} [item ${itemIndex}]`,
			description: this.redact(description, 2000),
			httpCode: status ? String(status) : undefined,
			itemIndex,
		});
	}
}
