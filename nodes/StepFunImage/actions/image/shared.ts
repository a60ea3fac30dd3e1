// Fields and helpers both operations use: model, tuning, output options and result handling.
import type {
	IBinaryData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { inspectImage } from '../../helpers/image';
import { DEFAULT_MODEL } from '../../helpers/models';
import {
	ParameterError,
	validateModel,
	validatePrompt,
	validateTuning,
	type ResponseFormat,
	type TuningOptions,
} from '../../helpers/request';
import {
	MalformedResponseError,
	parseImageResponse,
	type ReturnedImage,
} from '../../helpers/response';
import {
	downloadImage,
	unusableResponseError,
	type ApiResult,
	type CallContext,
} from '../../transport';
import type { RunContext } from '../router';

export const CUSTOM_MODEL = 'custom';

export function modelFields(operation: 'generate' | 'edit'): INodeProperties[] {
	const models =
		operation === 'generate'
			? [
					{
						name: 'step-image-edit-2',
						value: 'step-image-edit-2',
						description: 'Fast text-to-image and image editing model (default)',
					},
					{
						name: 'step-2x-large',
						value: 'step-2x-large',
						description:
							'Larger text-to-image model with more sizes; no Text Mode or Negative Prompt',
					},
					{ name: 'Custom Model ID', value: CUSTOM_MODEL, description: 'Type any model ID' },
				]
			: [
					{
						name: 'step-image-edit-2',
						value: 'step-image-edit-2',
						description: 'Edits one image of up to 4096×4096 pixels (default)',
					},
					{ name: 'Custom Model ID', value: CUSTOM_MODEL, description: 'Type any model ID' },
				];
	return [
		{
			displayName: 'Model',
			name: 'model',
			type: 'options',
			options: models,
			default: DEFAULT_MODEL,
			description: 'The StepFun image model to use',
			displayOptions: { show: { operation: [operation] } },
		},
		{
			displayName: 'Model ID',
			name: 'customModel',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'e.g. step-image-edit-3',
			description:
				'Any model ID the endpoint accepts, for models added or renamed after this node was released',
			displayOptions: { show: { operation: [operation], model: [CUSTOM_MODEL] } },
		},
	];
}

/** Tuning fields; those a model does not support are hidden for it. Unset fields are not sent. */
export function tuningFields(operation: 'generate' | 'edit'): INodeProperties {
	return {
		displayName: 'Image Settings',
		name: 'imageOptions',
		type: 'collection',
		placeholder: 'Add Setting',
		default: {},
		displayOptions: { show: { operation: [operation] } },
		options: [
			{
				displayName: 'CFG Scale',
				name: 'cfgScale',
				type: 'number',
				default: 1,
				typeOptions: { minValue: 1, maxValue: 10, numberPrecision: 1 },
				description:
					'How strictly the image follows the prompt (1.0–10.0). step-image-edit-2 defaults to 1.0, step-2x-large to 6.',
			},
			{
				displayName: 'Negative Prompt',
				name: 'negativePrompt',
				type: 'string',
				default: '',
				typeOptions: { rows: 2 },
				description:
					'What the image should not contain (up to 512 characters). step-image-edit-2 ignores it while CFG Scale is 1.0.',
				displayOptions: { show: { '/model': ['step-image-edit-2', CUSTOM_MODEL] } },
			},
			{
				displayName: 'Seed',
				name: 'seed',
				type: 'number',
				default: 1,
				typeOptions: { minValue: 0, maxValue: 2147483647 },
				description:
					'Same seed and settings give the same image (0–2147483647). Leave unset for a random seed; the seed used is returned in the output.',
			},
			{
				displayName: 'Steps',
				name: 'steps',
				type: 'number',
				default: 8,
				typeOptions: { minValue: 1, maxValue: 50 },
				description:
					'Number of sampling steps (1–50). step-image-edit-2 defaults to 8, step-2x-large to 50.',
			},
			{
				displayName: 'Text Mode',
				name: 'textMode',
				type: 'boolean',
				default: true,
				description: 'Whether to optimise text rendered inside the image (signs, labels, posters)',
				displayOptions: { show: { '/model': ['step-image-edit-2', CUSTOM_MODEL] } },
			},
		],
	};
}

export function outputOptionFields(operation: 'generate' | 'edit'): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: { operation: [operation] } },
		options: [
			{
				displayName: 'Concurrency',
				name: 'concurrency',
				type: 'number',
				default: 5,
				typeOptions: { minValue: 1, maxValue: 100 },
				description:
					'How many requests run at once across all input items. 5 fits a new StepFun account (5 concurrent, 10 per minute); raise it on higher account tiers. Results always keep the input order.',
			},
			{
				displayName: 'File Name',
				name: 'fileName',
				type: 'string',
				default: '',
				placeholder: 'e.g. {{ $json.sku }}',
				description:
					'Name of the output file. The extension of the real image format is added when missing. Leave empty for an automatic name.',
			},
			{
				displayName: 'Include Input Fields',
				name: 'includeInputFields',
				type: 'boolean',
				default: false,
				description: "Whether to keep the input item's JSON fields in the output item",
			},
			{
				displayName: 'Max Rate-Limit Wait (Seconds)',
				name: 'rateLimitWait',
				type: 'number',
				default: 300,
				typeOptions: { minValue: 0 },
				description:
					'How long one item may keep waiting and retrying when StepFun answers 429 (rate limited) before it fails',
			},
			{
				displayName: 'Max Retries',
				name: 'maxRetries',
				type: 'number',
				default: 4,
				typeOptions: { minValue: 0, maxValue: 20 },
				description:
					'Retries per item for server errors (500, 502, 503, 504), timeouts and dropped connections. Invalid requests, bad keys, balance and moderation errors are never retried.',
			},
			{
				displayName: 'Put Output File in Field',
				name: 'binaryPropertyOutput',
				type: 'string',
				default: 'data',
				description: 'The name of the output binary field to put the image in',
			},
			{
				displayName: 'Result Format',
				name: 'resultFormat',
				type: 'options',
				default: 'binary',
				options: [
					{
						name: 'Binary (Image in Response)',
						value: 'binary',
						description: 'The API returns the image itself (base64); nothing else to download',
					},
					{
						name: 'Binary (Download From URL)',
						value: 'binaryFromUrl',
						description:
							'The API returns a temporary URL; the node downloads it at once, without sending your API key to that host',
					},
					{
						name: 'URL Only',
						value: 'url',
						description:
							'Return just the temporary URL (it expires after hours or days): no binary output',
					},
				],
			},
			{
				displayName: 'Timeout (Seconds)',
				name: 'timeout',
				type: 'number',
				default: 120,
				typeOptions: { minValue: 1 },
				description:
					'How long to wait for one API answer before retrying it (image calls can take tens of seconds)',
			},
		],
	};
}

export interface BatchSettings {
	concurrency: number;
	maxRetries: number;
	timeoutMs: number;
	rateLimitWaitMs: number;
}

/** Batch-wide settings come from the first item: they describe the run, not one image. */
export function readBatchSettings(ctx: IExecuteFunctions): BatchSettings {
	const options = ctx.getNodeParameter('options', 0, {}) as IDataObject;
	const num = (value: unknown, fallback: number, min: number) => {
		const n = Number(value ?? fallback);
		return Number.isFinite(n) ? Math.max(min, n) : fallback;
	};
	return {
		concurrency: Math.floor(num(options.concurrency, 5, 1)),
		maxRetries: Math.floor(num(options.maxRetries, 4, 0)),
		timeoutMs: num(options.timeout, 120, 1) * 1000,
		rateLimitWaitMs: num(options.rateLimitWait, 300, 0) * 1000,
	};
}

export interface ItemParameters {
	model: string;
	prompt: string;
	tuning: TuningOptions;
	options: IDataObject;
	resultFormat: 'binary' | 'binaryFromUrl' | 'url';
	responseFormat: ResponseFormat;
}

/** Reads model, tuning and output options for one item, validating what can be checked locally. */
export function readItemParameters(ctx: IExecuteFunctions, itemIndex: number): ItemParameters {
	const picked = ctx.getNodeParameter('model', itemIndex, DEFAULT_MODEL) as string;
	const model = guard(ctx, itemIndex, () =>
		validateModel(
			picked === CUSTOM_MODEL ? ctx.getNodeParameter('customModel', itemIndex, '') : picked,
		),
	);
	const prompt = guard(ctx, itemIndex, () =>
		validatePrompt(ctx.getNodeParameter('prompt', itemIndex)),
	);
	const rawTuning = ctx.getNodeParameter('imageOptions', itemIndex, {}) as IDataObject;
	const tuning = guard(ctx, itemIndex, () => validateTuning(model, rawTuning));
	const options = ctx.getNodeParameter('options', itemIndex, {}) as IDataObject;
	const resultFormat = (options.resultFormat as ItemParameters['resultFormat']) ?? 'binary';
	return {
		model,
		prompt,
		tuning,
		options,
		resultFormat,
		responseFormat: resultFormat === 'binary' ? 'b64_json' : 'url',
	};
}

/** Runs a validation and turns a ParameterError into an n8n error naming the field and the item. */
export function guard<T>(ctx: IExecuteFunctions, itemIndex: number, fn: () => T): T {
	try {
		return fn();
	} catch (error) {
		const field = error instanceof ParameterError ? error.field : undefined;
		throw new NodeOperationError(ctx.getNode(), `${(error as Error).message} [item ${itemIndex}]`, {
			itemIndex,
			description: field
				? `Fix the "${field}" parameter. No request was sent for this item.`
				: undefined,
		});
	}
}

export interface ResultContext {
	itemIndex: number;
	operation: 'generate' | 'edit';
	params: ItemParameters;
	api: ApiResult;
	run: RunContext;
	call: CallContext;
	/** Default base file name (without extension). */
	baseName: string;
	extraJson?: IDataObject;
}

/** Turns an API response into output items: one per returned image, each paired to its input item. */
export async function buildResultItems(
	ctx: IExecuteFunctions,
	r: ResultContext,
): Promise<INodeExecutionData[]> {
	const { itemIndex, params } = r;
	const parsed = (() => {
		try {
			return parseImageResponse(r.api.body, r.api.images);
		} catch (error) {
			throw malformed(ctx, error, r);
		}
	})();
	const outputField = String(params.options.binaryPropertyOutput || 'data');
	const inputJson = params.options.includeInputFields
		? (ctx.getInputData()[itemIndex]?.json ?? {})
		: {};
	const items: INodeExecutionData[] = [];

	for (const [index, image] of parsed.images.entries()) {
		if (image.finishReason === 'content_filtered') {
			throw new NodeApiError(
				ctx.getNode(),
				{ finish_reason: image.finishReason, traceId: r.api.traceId ?? null },
				{
					message: `Blocked by StepFun content moderation (finish_reason: content_filtered) [item ${itemIndex}]`,
					description: `The result was filtered by the safety review, so there is no image. Rephrase the prompt or use another image.${r.api.traceId ? ` Trace ID: ${r.api.traceId}.` : ''}`,
					itemIndex,
				},
			);
		}
		const json: IDataObject = {
			...inputJson,
			operation: r.operation,
			model: params.model,
			prompt: params.prompt,
			seed: image.seed ?? params.tuning.seed ?? null,
			finishReason: image.finishReason,
			id: parsed.id ?? null,
			created: parsed.created ?? null,
			traceId: r.api.traceId ?? null,
			durationMs: r.api.durationMs,
			attempts: r.api.attempts,
			...r.extraJson,
		};

		if (params.resultFormat === 'url') {
			if (!image.url)
				throw malformed(ctx, new MalformedResponseError(`image ${index + 1} has no URL`), r);
			items.push({ json: { ...json, url: image.url }, pairedItem: { item: itemIndex } });
			continue;
		}

		const bytes = await imageBytes(ctx, r, image, index);
		const { info, problem } = inspectImage(bytes);
		if (!info) {
			throw malformed(
				ctx,
				new MalformedResponseError(`the returned image is unusable: ${problem}`),
				r,
			);
		}
		const fileName = outputFileName(
			params.options.fileName,
			r.baseName,
			info.extension,
			index,
			parsed.images.length,
		);
		const binary: IBinaryData = await ctx.helpers.prepareBinaryData(bytes, fileName, info.mimeType);
		items.push({
			json: {
				...json,
				width: info.width,
				height: info.height,
				mimeType: info.mimeType,
				fileName,
				fileSize: bytes.length,
			},
			binary: { [outputField]: binary },
			pairedItem: { item: itemIndex },
		});
	}
	return items;
}

/** The image's bytes: already decoded by the parser, or downloaded from its URL. */
async function imageBytes(
	ctx: IExecuteFunctions,
	r: ResultContext,
	image: ReturnedImage,
	index: number,
): Promise<Buffer> {
	if (image.bytes) return image.bytes;
	if (image.url) {
		return await downloadImage.call(ctx, r.run.governor, r.run.transport, image.url, r.call);
	}
	throw malformed(
		ctx,
		new MalformedResponseError(`image ${index + 1} has neither image data nor a URL`),
		r,
	);
}

function outputFileName(
	requested: unknown,
	baseName: string,
	extension: string,
	index: number,
	count: number,
): string {
	const name =
		typeof requested === 'string' && requested.trim() !== '' ? requested.trim() : baseName;
	const suffix = count > 1 ? `-${index + 1}` : '';
	const stem = name.replace(/\.(png|jpe?g|webp)$/i, '');
	return `${stem}${suffix}.${extension}`;
}

function malformed(ctx: IExecuteFunctions, error: unknown, r: ResultContext): NodeApiError {
	const reason = error instanceof Error ? error.message : String(error);
	return unusableResponseError(ctx, reason, r.itemIndex, r.api.traceId);
}
