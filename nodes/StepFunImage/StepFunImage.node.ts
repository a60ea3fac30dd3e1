import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeProperties,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import * as edit from './actions/image/edit.operation';
import * as generate from './actions/image/generate.operation';
import { router } from './actions/router';
import { withToolVariants } from './actions/tool';

const properties: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		options: [
			{
				name: 'Edit',
				value: 'edit',
				action: 'Edit an image',
				description: 'Change an input image following an instruction',
			},
			{
				name: 'Generate',
				value: 'generate',
				action: 'Generate an image',
				description: 'Create an image from a text prompt',
			},
		],
		default: 'generate',
	},
	...generate.description,
	...edit.description,
];

export class StepFunImage implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'StepFun Image',
		name: 'stepFunImage',
		icon: { light: 'file:stepfun.svg', dark: 'file:stepfun.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] === "edit" ? "Edit image" : "Generate image" }}',
		description:
			"Generate and edit images with StepFun's image models (step-image-edit-2) via the Step Plan API",
		defaults: {
			name: 'StepFun Image',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'stepPlanApi',
				required: true,
			},
		],
		properties: withToolVariants(properties),
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
