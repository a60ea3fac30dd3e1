import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { updateDisplayOptions } from 'n8n-workflow';

import { ParameterError } from '../../domain/failures';
import { formFields } from '../../domain/request';
import type { StepFunClient } from '../../transport/client';
import type { ImageOutcome } from '../errors';
import { modelFields, numberOfImagesField, outputOptionFields, settingsField } from './fields';
import { runImages } from './images';
import { binarySource, checkInput, urlSource, type ImageSource } from './input';
import { readItemParameters } from './parameters';

const properties: INodeProperties[] = [
	...modelFields('edit'),
	{
		displayName: 'Image Source',
		name: 'imageSource',
		type: 'options',
		noDataExpression: true,
		default: 'binary',
		options: [
			{
				name: 'Binary Field',
				value: 'binary',
				description:
					'An image an earlier node passed on: a Webhook or Form upload, a file, a download',
			},
			{
				name: 'URL',
				value: 'url',
				description:
					'An image on the web, downloaded without your API key (also what an AI Agent can pass)',
			},
		],
		description: 'Where the image to edit comes from',
	},
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
		displayOptions: { show: { imageSource: ['binary'] } },
	},
	{
		displayName: 'Image URL',
		name: 'imageUrl',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'e.g. https://example.com/photo.jpg',
		hint: 'PNG, JPEG or WebP, up to 4096×4096 pixels, reachable without logging in',
		description:
			'An http(s) URL of the image to edit. It is downloaded (with the Timeout, retries and size limit of result downloads, never with your API key) and checked before anything is paid.',
		displayOptions: { show: { imageSource: ['url'] } },
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
	numberOfImagesField(),
	settingsField(),
	outputOptionFields(),
];

export const description = updateDisplayOptions({ show: { operation: ['edit'] } }, properties);

export async function execute(
	this: IExecuteFunctions,
	itemIndex: number,
	client: StepFunClient,
): Promise<ImageOutcome[]> {
	const params = readItemParameters(this, itemIndex);
	// Checked before anything is paid; then streamed into each request, not copied.
	const input = await checkInput(await imageSource(this, itemIndex, client));
	return await runImages(this, client, {
		operation: 'edit',
		itemIndex,
		params,
		baseName: `${input.fileName.replace(/\.[^.]+$/, '')}-edited`,
		extraJson: {
			inputFileName: input.fileName,
			inputWidth: input.info.width,
			inputHeight: input.info.height,
			inputMimeType: input.info.mimeType,
		},
		send: async (request) =>
			await client.send(request, { upload: input.upload(formFields(request)) }),
	});
}

async function imageSource(
	ctx: IExecuteFunctions,
	itemIndex: number,
	client: StepFunClient,
): Promise<ImageSource> {
	if (ctx.getNodeParameter('imageSource', itemIndex, 'binary') !== 'url') {
		const field = String(ctx.getNodeParameter('binaryPropertyName', itemIndex, 'data')).trim();
		return await binarySource(ctx, itemIndex, field);
	}
	const value = ctx.getNodeParameter('imageUrl', itemIndex, '');
	if (typeof value !== 'string' || value.trim() === '') {
		throw new ParameterError(
			'Image URL',
			'Image URL is empty: give the http(s) URL of the image to edit.',
		);
	}
	return await urlSource(client, itemIndex, value.trim());
}
