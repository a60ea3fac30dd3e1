// The node as an AI Agent's tool (n8n derives `stepFunImageTool` from `usableAsTool`): each
// operation describes itself to the model, and the model fills Prompt (and, for Edit, the image
// URL) through $fromAI with descriptions that state the limits.
import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { API_FIELDS } from '../domain/apiFields';
import { LIMITS } from '../domain/models';

/** The node runs as an agent's tool: n8n names that variant of a node `<type>Tool`. */
export function isAgentTool(ctx: IExecuteFunctions): boolean {
	return ctx.getNode().type.endsWith('Tool');
}

const PROMPT_LIMIT = API_FIELDS.prompt.check.maxCodePoints;
const SIDE = LIMITS.editMaxPixelsPerSide;

const DESCRIPTIONS = {
	generate: `Generates an image from a text description with StepFun's image model. Input "prompt": what the image should show, in English or Chinese, at most ${PROMPT_LIMIT} characters. Returns, for each image, a temporary URL to show the user (it expires after some hours) with the image's width, height, seed, model and file name.`,
	edit: `Edits an existing image following an instruction with StepFun's image model. Inputs: "imageUrl", the http(s) URL of the image to edit (a PNG, JPEG or WebP of at most ${SIDE}×${SIDE} pixels that can be downloaded without logging in), and "prompt", the edit instruction, at most ${PROMPT_LIMIT} characters. Returns a temporary URL of the edited image to show the user (it expires after some hours) with its width, height, seed, model and file name.`,
};

const fromAi = (key: string, description: string) =>
	`={{ $fromAI('${key}', '${description.replace(/'/g, '’')}', 'string') }}`;

/** Defaults the tool variant gives its fields, per operation. */
const TOOL_DEFAULTS: Record<string, Record<string, string>> = {
	generate: {
		prompt: fromAi(
			'prompt',
			`What the image should show, in English or Chinese, at most ${PROMPT_LIMIT} characters`,
		),
	},
	edit: {
		imageSource: 'url',
		imageUrl: fromAi(
			'imageUrl',
			`The http(s) URL of the image to edit: a PNG, JPEG or WebP of at most ${SIDE}x${SIDE} pixels, downloadable without logging in`,
		),
		prompt: fromAi(
			'prompt',
			`The edit instruction: what to change in the image, at most ${PROMPT_LIMIT} characters`,
		),
	},
};

/**
 * The node's properties with what its tool variant shows instead: a description per operation
 * for the model, and $fromAI defaults for the fields the model fills. n8n's `@tool` display option
 * tells the two variants apart.
 */
export function withToolVariants(properties: INodeProperties[]): INodeProperties[] {
	const [operation, ...rest] = properties;
	const only = (tool: boolean, property: INodeProperties): INodeProperties => ({
		...property,
		displayOptions: {
			...property.displayOptions,
			show: { ...property.displayOptions?.show, '@tool': [tool] },
		},
	});
	const descriptions = Object.entries(DESCRIPTIONS).map(([name, text]) =>
		only(true, {
			displayName: 'Description',
			name: 'toolDescription',
			type: 'string',
			default: text,
			required: true,
			typeOptions: { rows: 4 },
			description:
				'What the AI Agent is told this tool does; the default names its inputs and limits',
			displayOptions: { show: { operation: [name] } },
		}),
	);
	const fields = rest.flatMap((property) => {
		const shownFor = property.displayOptions?.show?.operation as string[] | undefined;
		const operationName = shownFor?.length === 1 ? shownFor[0] : undefined;
		const toolDefault = operationName ? TOOL_DEFAULTS[operationName]?.[property.name] : undefined;
		if (toolDefault === undefined) return [property];
		return [only(false, property), only(true, { ...property, default: toolDefault })];
	});
	return [operation, ...descriptions, ...fields];
}
