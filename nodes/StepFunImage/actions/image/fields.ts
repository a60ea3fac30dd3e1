// Field descriptions both operations use: model, image settings and options. Each operation
// places them under its own displayOptions (updateDisplayOptions in its file).
import type { INodeProperties } from 'n8n-workflow';

import { DEFAULT_MODEL, LIMITS } from '../../helpers/models';

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

/** Tuning fields; those a model does not support are hidden for it. Unset fields are not sent. */
export function tuningFields(): INodeProperties {
	return {
		displayName: 'Image Settings',
		name: 'imageOptions',
		type: 'collection',
		placeholder: 'Add Setting',
		default: {},
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
