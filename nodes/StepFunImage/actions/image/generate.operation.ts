import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { MODELS, type KnownModel } from '../../domain/models';
import { jsonBody } from '../../domain/request';
import { validateSize } from '../../domain/validate';
import type { StepFunClient } from '../../transport/client';
import type { ImageOutcome } from '../errors';
import {
	CUSTOM_MODEL,
	modelFields,
	numberOfImagesField,
	outputOptionFields,
	settingsField,
} from './fields';
import { runImages } from './images';
import { readItemParameters } from './parameters';

/** "Model Default" (no size sent, StepFun picks) first, then the sizes the model offers. */
function sizeOptions(model: KnownModel) {
	return [
		{
			name: 'Model Default',
			value: '',
			description: `No size is sent; StepFun uses the model's default (${MODELS[model].defaultSize})`,
		},
		...MODELS[model].sizes.map((size) => ({ name: size, value: size })),
	];
}

const properties: INodeProperties[] = [
	...modelFields('generate'),
	{
		displayName: 'Prompt',
		name: 'prompt',
		type: 'string',
		required: true,
		default: '',
		typeOptions: { rows: 4 },
		placeholder: 'e.g. A red bicycle leaning on a white wall, morning light',
		description: 'What the image should show, up to 512 characters. Chinese and English both work.',
	},
	{
		displayName: 'Size',
		name: 'size',
		type: 'options',
		default: '',
		options: sizeOptions('step-image-edit-2'),
		description:
			'Output size as StepFun names it; Model Default sends none. The real width and height are read from the returned image and reported in the output.',
		displayOptions: { show: { model: ['step-image-edit-2'] } },
	},
	{
		displayName: 'Size',
		name: 'size',
		type: 'options',
		default: '',
		options: sizeOptions('step-2x-large'),
		description: 'Output size in pixels (width x height); Model Default sends none',
		displayOptions: { show: { model: ['step-2x-large'] } },
	},
	{
		displayName: 'Size',
		name: 'size',
		type: 'string',
		default: '',
		placeholder: 'e.g. 1024x1024',
		description: "Output size as WIDTHxHEIGHT. Leave empty for the model's default.",
		displayOptions: { show: { model: [CUSTOM_MODEL] } },
	},
	numberOfImagesField(),
	settingsField(),
	outputOptionFields(),
];

export const description = updateDisplayOptions({ show: { operation: ['generate'] } }, properties);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	client: StepFunClient,
): Promise<ImageOutcome[]> {
	const params = readItemParameters(this, itemIndex);
	const size = validateSize(params.fields.model, this.getNodeParameter('size', itemIndex, ''));
	return await runImages(this, client, {
		operation: 'generate',
		itemIndex,
		params,
		fields: size ? { size } : undefined,
		baseName: `stepfun-${itemIndex + 1}`,
		extraJson: size ? { size } : undefined,
		send: async (request) => await client.send(request, { json: jsonBody(request) }),
	});
}
