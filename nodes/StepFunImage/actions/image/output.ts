// Turns the client's finished images into output items: one per image, paired to its input item.
import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import type { ImageResult } from '../../transport/client';
import type { ItemParameters } from './parameters';

export interface OutputContext {
	itemIndex: number;
	operation: 'generate' | 'edit';
	params: ItemParameters;
	/** Default file name without extension. */
	baseName: string;
	/** Operation-specific fields (size, input image facts). */
	extraJson?: IDataObject;
}

export async function buildOutputItems(
	ctx: IExecuteFunctions,
	result: ImageResult,
	o: OutputContext,
): Promise<INodeExecutionData[]> {
	const { itemIndex, params } = o;
	const outputField = String(params.options.binaryPropertyOutput || 'data');
	const inputJson = params.options.includeInputFields
		? (ctx.getInputData()[itemIndex]?.json ?? {})
		: {};
	const items: INodeExecutionData[] = [];
	for (const [index, image] of result.images.entries()) {
		const json: IDataObject = {
			...inputJson,
			operation: o.operation,
			model: params.model,
			prompt: params.prompt,
			seed: image.seed ?? params.tuning.seed ?? null,
			finishReason: image.finishReason,
			id: result.id ?? null,
			created: result.created ?? null,
			traceId: result.traceId ?? null,
			durationMs: result.durationMs,
			attempts: result.attempts,
			...o.extraJson,
		};
		if (!image.bytes || !image.info) {
			items.push({ json: { ...json, url: image.url }, pairedItem: { item: itemIndex } });
			continue;
		}
		const fileName = outputFileName(
			params.options.fileName,
			o.baseName,
			image.info.extension,
			index,
			result.images.length,
		);
		const binary = await ctx.helpers.prepareBinaryData(image.bytes, fileName, image.info.mimeType);
		items.push({
			json: {
				...json,
				width: image.info.width,
				height: image.info.height,
				mimeType: image.info.mimeType,
				fileName,
				fileSize: image.bytes.length,
			},
			binary: { [outputField]: binary },
			pairedItem: { item: itemIndex },
		});
	}
	return items;
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
