import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError, updateDisplayOptions } from 'n8n-workflow';

import { inspectImage } from '../../helpers/image';
import { LIMITS } from '../../helpers/models';
import { buildEditFields } from '../../helpers/request';
import type { StepFunClient } from '../../transport/client';
import { modelFields, outputOptionFields, tuningFields } from './fields';
import { buildOutputItems } from './output';
import { readItemParameters } from './parameters';

const properties: INodeProperties[] = [
	...modelFields('edit'),
	{
		displayName: 'Input Binary Field',
		name: 'binaryPropertyName',
		type: 'string',
		required: true,
		default: 'data',
		placeholder: 'e.g. data',
		hint: 'PNG, JPEG or WebP, up to 4096×4096 pixels',
		description:
			'The name of the input binary field holding the image: a Webhook or Form upload, a file read from disk, an HTTP download…',
	},
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		required: true,
		default: '',
		typeOptions: { rows: 4 },
		placeholder: 'e.g. Make the character ride a bicycle holding a sign that says "SALE"',
		description: 'The edit instruction, up to 512 characters. Chinese and English both work.',
	},
	tuningFields(),
	outputOptionFields(),
];

export const description = updateDisplayOptions({ show: { operation: ['edit'] } }, properties);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	client: StepFunClient,
): Promise<INodeExecutionData[]> {
	const params = readItemParameters(this, itemIndex);
	const field = String(this.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim();
	const { image, info, fileName } = await readInputImage(this, itemIndex, field);

	const form = new FormData();
	const [model, ...rest] = buildEditFields({
		model: params.model,
		prompt: params.prompt,
		tuning: params.tuning,
		responseFormat: params.responseFormat,
	});
	form.append(model[0], model[1]);
	// One file part with the input's name and the type sniffed from its bytes (what curl -F sends).
	form.append('image', image, sanitizeFileName(fileName, info.extension));
	for (const [name, value] of rest) form.append(name, value);

	const result = await client.edit(form, {
		itemIndex,
		model: params.model,
		want: params.resultFormat === 'url' ? 'url' : 'bytes',
	});
	return await buildOutputItems(this, result, {
		itemIndex,
		operation: 'edit',
		params,
		baseName: `${fileName.replace(/\.[^.]+$/, '')}-edited`,
		extraJson: {
			inputFileName: fileName,
			inputWidth: info.width,
			inputHeight: info.height,
			inputMimeType: info.mimeType,
		},
	});
}

/**
 * Reads and checks the input image. The Buffer stays local to this function, so once the Blob
 * (the copy the multipart upload streams from) exists, the Buffer can be collected during the upload.
 */
async function readInputImage(ctx: IExecuteFunctions, itemIndex: number, field: string) {
	const available = Object.keys(ctx.getInputData()[itemIndex]?.binary ?? {});
	if (!available.includes(field)) {
		throw new NodeOperationError(
			ctx.getNode(),
			`No binary field "${field}" on the input item [item ${itemIndex}]`,
			{
				itemIndex,
				description: available.length
					? `The item has these binary fields: ${available.map((f) => `"${f}"`).join(', ')}. Set "Input Binary Field" to the one holding the image.`
					: 'The item has no binary data at all. Connect a node that outputs a file (Webhook upload, Form, Read/Write Files from Disk, HTTP Request with "Response Format: File") before this one.',
			},
		);
	}
	const meta = ctx.helpers.assertBinaryData(itemIndex, field);
	// Works in every binary mode: the helper reads memory, disk or object storage alike.
	const bytes = await ctx.helpers.getBinaryDataBuffer(itemIndex, field);
	const fileName = meta.fileName || `image-${itemIndex + 1}`;

	const { info, problem } = inspectImage(bytes);
	if (!info) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The file in binary field "${field}" (${fileName}) is not a usable image: ${problem} [item ${itemIndex}]`,
			{
				itemIndex,
				description: 'Send a PNG, JPEG or WebP image. No request was sent for this item.',
			},
		);
	}
	const max = LIMITS.editMaxPixelsPerSide;
	if (info.width > max || info.height > max) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The image ${fileName} is ${info.width}×${info.height} pixels; StepFun edits images up to ${max}×${max} [item ${itemIndex}]`,
			{
				itemIndex,
				description: `Resize it so neither side exceeds ${max} pixels (e.g. with the Edit Image node). No request was sent for this item.`,
			},
		);
	}

	// One file part typed from its bytes, not from the (often generic) incoming mime type.
	const image = new Blob([bytes as Uint8Array<ArrayBuffer>], { type: info.mimeType });
	return { image, info, fileName };
}

function sanitizeFileName(name: string, extension: string): string {
	const clean = name.replace(/["\r\n\\/]/g, '_');
	return /\.[A-Za-z0-9]+$/.test(clean) ? clean : `${clean}.${extension}`;
}
