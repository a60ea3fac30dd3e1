// Field descriptions both operations use: model, image settings and options. Each operation
// places them under its own displayOptions (updateDisplayOptions in its file).
import type { INodeProperties } from 'n8n-workflow';

import { API_FIELD_LIST, type ApiField } from '../../domain/apiFields';
import { DEFAULT_MODEL, LIMITS } from '../../domain/models';

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
			displayOptions: { show: { model: [CUSTOM_MODEL] } },
		},
	];
}

/**
 * The "Image Settings" collection, one field per table row that is a setting: its type and range
 * from the row's check, shown only for the models that take it (and typed model IDs).
 */
export function settingsField(): INodeProperties {
	const options = API_FIELD_LIST.filter((field) => field.setting)
		.map(settingProperty)
		.sort((a, b) => a.displayName.localeCompare(b.displayName));
	return {
		displayName: 'Image Settings',
		name: 'imageOptions',
		type: 'collection',
		placeholder: 'Add Setting',
		default: {},
		options,
	};
}

function settingProperty(field: ApiField): INodeProperties {
	const { check, label, models } = field;
	const setting = field.setting!;
	const range =
		check.kind === 'integer' || check.kind === 'number'
			? { minValue: check.min, maxValue: check.max }
			: {};
	const typeOptions = { ...range, ...setting.typeOptions };
	return {
		displayName: label,
		name: setting.name,
		type: check.kind === 'boolean' ? 'boolean' : check.kind === 'text' ? 'string' : 'number',
		default: setting.default,
		...(Object.keys(typeOptions).length > 0 ? { typeOptions } : {}),
		description: setting.description,
		...(models ? { displayOptions: { show: { '/model': [...models, CUSTOM_MODEL] } } } : {}),
	};
}

export function outputOptionFields(): INodeProperties {
	return {
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
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

/** How many images to make per item: separate requests, since StepFun returns one per request. */
export function numberOfImagesField(): INodeProperties {
	return {
		displayName: 'Number of Images',
		name: 'numberOfImages',
		type: 'number',
		default: 1,
		typeOptions: { minValue: 1, maxValue: LIMITS.maxImagesPerItem },
		description:
			'How many images to make for each item (1–10), each its own request. With a Seed set, image k uses Seed + k − 1, so a run can be repeated; without, each gets its own random seed, reported in its output.',
	};
}
