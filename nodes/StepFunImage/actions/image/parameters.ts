// Reading the node's parameters: per item (model, prompt, settings, output options) and per run
// (concurrency, retries, time limits). The checks are domain/validate.ts's; they name the field.
import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import { API_FIELDS, type WireFields } from '../../domain/apiFields';
import { ParameterError } from '../../domain/failures';
import { DEFAULT_MODEL, LIMITS } from '../../domain/models';
import { RESULT_FORMATS, type ResultFormat } from '../../domain/request';
import { checkRange, readSettings, validateModel, validatePrompt } from '../../domain/validate';
import { MAX_TIMER_MS } from '../../transport/wait';
import { isAgentTool } from '../tool';
import { CUSTOM_MODEL } from './fields';

export interface ItemParameters {
	/** model, prompt and the Image Settings, checked, by wire name. */
	fields: WireFields & { model: string; prompt: string };
	options: IDataObject;
	resultFormat: ResultFormat;
	/** Images for this item ("Number of Images"), one request each. */
	images: number;
}

export interface BatchSettings {
	concurrency: number;
	maxRetries: number;
	timeoutMs: number;
	rateLimitWaitMs: number;
}

/** Run-wide settings come from the first item: they describe the run, not one image. */
export function readBatchSettings(ctx: IExecuteFunctions): BatchSettings {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const seconds = (field: string, value: unknown, fallback: number, min: number) =>
		// Beyond what a timer holds (about 24.8 days) a wait would fire at once: clamp it.
		Math.min(MAX_TIMER_MS, (checkRange(field, value, { min, max: Infinity }) ?? fallback) * 1000);
	const whole = (field: string, value: unknown, min: number, max: number) =>
		checkRange(field, value, { min, max, integer: true });
	return {
		concurrency: whole('Concurrency', options.concurrency, 1, 100) ?? 5,
		maxRetries: whole('Max Retries', options.maxRetries, 0, 20) ?? 4,
		timeoutMs: seconds('Timeout (Seconds)', options.timeout, 120, 0.001),
		rateLimitWaitMs: seconds('Max Rate-Limit Wait (Seconds)', options.rateLimitWait, 300, 0),
	};
}

/** Reads model, prompt, image settings and output options for one item, checking what can be checked here. */
export function readItemParameters(ctx: IExecuteFunctions, itemIndex: number): ItemParameters {
	const picked = ctx.getNodeParameter('model', itemIndex, DEFAULT_MODEL) as string;
	const model = validateModel(
		picked === CUSTOM_MODEL ? ctx.getNodeParameter('customModel', itemIndex, '') : picked,
	);
	const prompt = validatePrompt(ctx.getNodeParameter('prompt', itemIndex, ''));
	const raw = ctx.getNodeParameter('imageOptions', itemIndex, {}) as IDataObject;
	const settings = readSettings(model, raw);
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	let resultFormat = (options.resultFormat ?? 'binary') as ResultFormat;
	if (!RESULT_FORMATS.includes(resultFormat)) {
		throw new ParameterError(
			API_FIELDS.response_format.label,
			`Result Format must be one of ${RESULT_FORMATS.join(', ')}, got ${JSON.stringify(resultFormat)}.`,
		);
	}
	// An AI Agent only sees the JSON of a tool's result (it drops the binary): it needs a URL.
	if (resultFormat === 'binary' && isAgentTool(ctx)) resultFormat = 'binaryFromUrl';
	const images = checkRange(
		'Number of Images',
		ctx.getNodeParameter('numberOfImages', itemIndex, 1),
		{ min: 1, max: LIMITS.maxImagesPerItem, integer: true },
	);
	return {
		fields: { ...settings, model, prompt },
		options,
		resultFormat,
		images: images ?? 1,
	};
}
