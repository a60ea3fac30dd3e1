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
		const kept = image.image;
		if (!kept) {
			items.push({ json: { ...json, url: image.url }, pairedItem: { item: itemIndex } });
			continue;
		}
		const { info } = kept;
		// Stored while it arrived (filesystem mode), or kept in memory until now.
		const binary =
			kept.binary ??
			(await ctx.helpers.prepareBinaryData(
				kept.bytes!,
				outputFileName(params, o.baseName, info.extension, index),
				info.mimeType,
			));
		items.push({
			json: {
				...json,
				width: info.width,
				height: info.height,
				mimeType: info.mimeType,
				fileName: binary.fileName ?? null,
				fileSize: kept.size,
			},
			binary: { [outputField]: binary },
			pairedItem: { item: itemIndex },
		});
	}
	return items;
}

/**
 * The output file's name: Options → File Name (or the operation's default) with the real image
 * extension; a second image of the same answer gets "-2", and so on.
 */
export function outputFileName(
	params: ItemParameters,
	baseName: string,
	extension: string,
	index: number,
): string {
	const requested = params.options.fileName;
	const name =
		typeof requested === 'string' && requested.trim() !== '' ? requested.trim() : baseName;
	const suffix = index > 0 ? `-${index + 1}` : '';
	const stem = name.replace(/\.(png|jpe?g|webp)$/i, '');
	return `${stem}${suffix}.${extension}`;
}
