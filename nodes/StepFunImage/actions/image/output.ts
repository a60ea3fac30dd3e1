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
	/** Which of the item's images this is (from 0; see "Number of Images"). */
	variant: number;
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
			variant: o.variant + 1,
			...o.extraJson,
		};
		// The temporary URL stays with a downloaded image too: an AI Agent can show it to the user.
		if (image.url && params.resultFormat !== 'binary') json.url = image.url;
		const kept = image.image;
		if (!kept) {
			items.push({ json, pairedItem: { item: itemIndex } });
			continue;
		}
		const { info } = kept;
		// Stored while it arrived (filesystem mode), or kept in memory until now.
		const binary =
			kept.binary ??
			(await ctx.helpers.prepareBinaryData(
				kept.bytes!,
				outputFileName(params, o.baseName, info.extension, o.variant, index),
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
 * extension; with several images per item they are "-1" … "-N" (and a second image in one answer
 * would add "-2").
 */
export function outputFileName(
	params: ItemParameters,
	baseName: string,
	extension: string,
	variant: number,
	index = 0,
): string {
	const requested = params.options.fileName;
	const name =
		typeof requested === 'string' && requested.trim() !== '' ? requested.trim() : baseName;
	const suffix = `${params.variants > 1 ? `-${variant + 1}` : ''}${index > 0 ? `-${index + 1}` : ''}`;
	const stem = name.replace(/\.(png|jpe?g|webp)$/i, '');
	return `${stem}${suffix}.${extension}`;
}
