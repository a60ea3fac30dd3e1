// The step Generate and Edit share: an item's images (one request each, "Number of Images"), each
// request built once, handed to the client with the operation's body or upload, and turned into
// output items paired to the item.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { WireFields } from '../../domain/apiFields';
import type { Operation } from '../../domain/models';
import { imageRequest, type ImageRequest, type ItemAsk } from '../../domain/request';
import type { ImageResult, StepFunClient } from '../../transport/client';
import type { ImageOutcome } from '../errors';
import type { ItemParameters } from './parameters';

/** What an operation hands the shared step for one item. */
export interface ImageJob {
	operation: Operation;
	itemIndex: number;
	params: ItemParameters;
	/** Fields the operation adds to the item's (Generate's size). */
	fields?: WireFields;
	/** The output file's default name, without extension. */
	baseName: string;
	/** Operation facts for each output item (the size asked for, the input image). */
	extraJson?: IDataObject;
	/** Hands one image's request to the client with the operation's body or upload. */
	send(request: ImageRequest): Promise<ImageResult>;
}

/** Runs the item's images at once; returns each image's output items, or its failure, in order. */
export async function runImages(
	ctx: IExecuteFunctions,
	client: StepFunClient,
	job: ImageJob,
): Promise<ImageOutcome[]> {
	const { params } = job;
	const ask: ItemAsk = {
		operation: job.operation,
		itemIndex: job.itemIndex,
		fields: { ...params.fields, ...job.fields },
		resultFormat: params.resultFormat,
		images: params.images,
		fileName: params.options.fileName,
		baseName: job.baseName,
	};
	const settled = await Promise.allSettled(
		Array.from({ length: ask.images }, async (_, variant) => {
			const request = imageRequest(ask, variant);
			return await outputItems(ctx, client, job, request, await job.send(request));
		}),
	);
	return settled.map((s, variant) =>
		s.status === 'fulfilled' ? { items: s.value } : { error: s.reason, variant: variant + 1 },
	);
}

/** One output item per image, paired to its input item. */
async function outputItems(
	ctx: IExecuteFunctions,
	client: StepFunClient,
	job: ImageJob,
	request: ImageRequest,
	result: ImageResult,
): Promise<INodeExecutionData[]> {
	const { params } = job;
	const { itemIndex, fields } = request;
	const outputField = String(params.options.binaryPropertyOutput || 'data');
	const inputJson = params.options.includeInputFields
		? (ctx.getInputData()[itemIndex]?.json ?? {})
		: {};
	const items: INodeExecutionData[] = [];
	for (const [index, image] of result.images.entries()) {
		const json: IDataObject = {
			...inputJson,
			operation: request.operation,
			model: fields.model,
			prompt: fields.prompt,
			seed: image.seed ?? fields.seed ?? null,
			finishReason: image.finishReason,
			id: result.id ?? null,
			created: result.created ?? null,
			traceId: result.traceId ?? null,
			durationMs: result.durationMs,
			attempts: result.attempts,
			variant: request.variant + 1,
			...job.extraJson,
		};
		// The temporary URL stays with a downloaded image too: an AI Agent can show it to the user.
		if (image.url && request.resultFormat !== 'binary') json.url = image.url;
		const { file } = image;
		if (!file) {
			items.push({ json, pairedItem: { item: itemIndex } });
			continue;
		}
		const binary = await client.store.store(file, request.fileName(file.info.extension, index));
		items.push({
			json: {
				...json,
				width: file.info.width,
				height: file.info.height,
				mimeType: file.info.mimeType,
				fileName: binary.fileName ?? null,
				fileSize: file.size,
			},
			binary: { [outputField]: binary },
			pairedItem: { item: itemIndex },
		});
	}
	return items;
}
