// Reading and checking the node's parameters: per item (model, prompt, settings, output options)
// and per run (concurrency, retries, time limits). Errors name the field and the item.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { DEFAULT_MODEL, LIMITS } from '../../helpers/models';
import {
	checkInteger,
	checkNumber,
	ParameterError,
	validateModel,
	validatePrompt,
	validateTuning,
	type ResponseFormat,
	type TuningOptions,
} from '../../helpers/request';
import { MAX_TIMER_MS } from '../../helpers/scheduler';
import { isAgentTool } from '../tool';
import { CUSTOM_MODEL } from './fields';

export type ResultFormat = 'binary' | 'binaryFromUrl' | 'url';

export interface ItemParameters {
	model: string;
	prompt: string;
	tuning: TuningOptions;
	options: IDataObject;
	resultFormat: ResultFormat;
	responseFormat: ResponseFormat;
	/** Images for this item ("Number of Images"), one request each. */
	variants: number;
}

export interface BatchSettings {
	concurrency: number;
	maxRetries: number;
	timeoutMs: number;
	rateLimitWaitMs: number;
}

const RESULT_FORMATS: ResultFormat[] = ['binary', 'binaryFromUrl', 'url'];

/** Run-wide settings come from the first item: they describe the run, not one image. */
export function readBatchSettings(ctx: IExecuteFunctions): BatchSettings {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	return guard(ctx, 0, () => {
		const seconds = (field: string, value: unknown, fallback: number, min: number) =>
			// Beyond what a timer holds (about 24.8 days) a wait would fire at once: clamp it.
			Math.min(MAX_TIMER_MS, (checkNumber(field, value, min, Infinity) ?? fallback) * 1000);
		return {
			concurrency: checkInteger('Concurrency', options.concurrency, 1, 100) ?? 5,
			maxRetries: checkInteger('Max Retries', options.maxRetries, 0, 20) ?? 4,
			timeoutMs: seconds('Timeout (Seconds)', options.timeout, 120, 0.001),
			rateLimitWaitMs: seconds('Max Rate-Limit Wait (Seconds)', options.rateLimitWait, 300, 0),
		};
	});
}

/** Reads model, prompt, image settings and output options for one item, checking what can be checked here. */
export function readItemParameters(ctx: IExecuteFunctions, itemIndex: number): ItemParameters {
	const picked = ctx.getNodeParameter('model', itemIndex, DEFAULT_MODEL) as string;
	return guard(ctx, itemIndex, () => {
		const model = validateModel(
			picked === CUSTOM_MODEL ? ctx.getNodeParameter('customModel', itemIndex, '') : picked,
		);
		const prompt = validatePrompt(ctx.getNodeParameter('prompt', itemIndex, ''));
		const rawTuning = ctx.getNodeParameter('imageOptions', itemIndex, {}) as IDataObject;
		const tuning = validateTuning(model, rawTuning);
		const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
		let resultFormat = (options.resultFormat ?? 'binary') as ResultFormat;
		if (!RESULT_FORMATS.includes(resultFormat)) {
			throw new ParameterError(
				'Result Format',
				`Result Format must be one of ${RESULT_FORMATS.join(', ')}, got ${JSON.stringify(resultFormat)}.`,
			);
		}
		// An AI Agent only sees the JSON of a tool's result (it drops the binary): it needs a URL.
		if (resultFormat === 'binary' && isAgentTool(ctx)) resultFormat = 'binaryFromUrl';
		const variants = checkInteger(
			'Number of Images',
			ctx.getNodeParameter('numberOfImages', itemIndex, 1),
			1,
			LIMITS.maxImagesPerItem,
		);
		return {
			model,
			prompt,
			tuning,
			options,
			resultFormat,
			responseFormat: resultFormat === 'binary' ? 'b64_json' : 'url',
			variants: variants ?? 1,
		};
	});
}

/** The node runs as an AI Agent's tool (n8n's tool variant of it, `…stepFunImageTool`). */
/** Runs a check and turns a ParameterError into an n8n error naming the field and the item. */
export function guard<T>(ctx: IExecuteFunctions, itemIndex: number, check: () => T): T {
	const result = settle(check);
	if (result.ok) return result.value;
	const { error } = result;
	if (!(error instanceof ParameterError)) throw error;
	throw new NodeOperationError(ctx.getNode(), `${error.message} [item ${itemIndex}]`, {
		itemIndex,
		description: `Fix the "${error.field}" parameter. No request was sent for this item.`,
	});
}

/** Runs `fn` and reports its value or the error it threw. */
export function settle<T>(fn: () => T): { ok: true; value: T } | { ok: false; error: unknown } {
	try {
		return { ok: true, value: fn() };
	} catch (error) {
		return { ok: false, error };
	}
}
