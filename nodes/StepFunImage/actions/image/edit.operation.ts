import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { buildEditFields } from '../../helpers/request';
import type { StepFunClient } from '../../transport/client';
import { modelFields, outputOptionFields, tuningFields } from './fields';
import { readEditInput } from './input';
import { buildOutputItems, outputFileName } from './output';
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
	const fields = buildEditFields({
		model: params.model,
		prompt: params.prompt,
		tuning: params.tuning,
		responseFormat: params.responseFormat,
	});
	// Read once, straight into the request body, and checked before anything is sent.
	const input = await readEditInput(this, itemIndex, field, fields);
	const baseName = `${input.fileName.replace(/\.[^.]+$/, '')}-edited`;
	const result = await client.edit(input.upload, {
		itemIndex,
		model: params.model,
		want: params.resultFormat === 'url' ? 'url' : 'bytes',
		// Where binary data lives in files, the result is streamed there instead of held in memory.
		storeAs: input.filesystem
			? (extension, index) => outputFileName(params, baseName, extension, index)
			: undefined,
	});
	return await buildOutputItems(this, result, {
		itemIndex,
		operation: 'edit',
		params,
		baseName,
		extraJson: {
			inputFileName: input.fileName,
			inputWidth: input.info.width,
			inputHeight: input.info.height,
			inputMimeType: input.info.mimeType,
		},
	});
}
