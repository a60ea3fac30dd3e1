// The one parameter table: every field the node sends to the API, once. A row says the field's name
// on the wire (its key), its name in the node, the endpoints and models that take it, its check, and,
// for an Image Setting, its field in the editor. Validation, the JSON body, the multipart fields, what
// the editor shows per model and the simulator's contract are all read from here.
import { modelSpec, type KnownModel, type Operation } from './models';

export type Check =
	| { kind: 'model' }
	| { kind: 'text'; maxCodePoints: number }
	| { kind: 'choice'; values: readonly string[] }
	| { kind: 'size' }
	| { kind: 'integer'; min: number; max: number }
	| { kind: 'number'; min: number; max: number }
	| { kind: 'boolean' };

/** An Image Setting's field in the editor; its type, label and range come from the row. */
export interface SettingField {
	name: string;
	default: number | boolean | string;
	description: string;
	typeOptions?: { numberPrecision?: number; rows?: number };
}

export interface ApiField {
	/** The node parameter's display name: how messages name the field. */
	label: string;
	/** The endpoints that take it. */
	operations: readonly Operation[];
	/** The known models that take it (every one when absent); a typed model ID takes every field. */
	models?: readonly KnownModel[];
	/** Every request carries it. */
	required?: boolean;
	check: Check;
	/** What the API applies when the field is not sent, per model. */
	defaults?: Partial<Record<KnownModel, number | boolean>>;
	/** An Image Setting (the "Image Settings" collection): its field in the editor. */
	setting?: SettingField;
	/** How a refusal names it when the model does not take it (default: the label). */
	named?: string;
}

const BOTH: readonly Operation[] = ['generate', 'edit'];

/**
 * In wire order, the order of the seed's curl example (the edit's image part goes right after
 * `model`). JSON sends numbers and booleans as such; multipart sends every value as a string.
 */
export const API_FIELDS = {
	model: { label: 'Model', operations: BOTH, required: true, check: { kind: 'model' } },
	prompt: {
		label: 'Prompt',
		operations: BOTH,
		required: true,
		check: { kind: 'text', maxCodePoints: 512 },
	},
	response_format: {
		label: 'Result Format',
		operations: BOTH,
		required: true,
		check: { kind: 'choice', values: ['url', 'b64_json'] },
	},
	size: { label: 'Size', operations: ['generate'], check: { kind: 'size' } },
	cfg_scale: {
		label: 'CFG Scale',
		operations: BOTH,
		check: { kind: 'number', min: 1, max: 10 },
		defaults: { 'step-image-edit-2': 1, 'step-2x-large': 6 },
		setting: {
			name: 'cfgScale',
			default: 1,
			typeOptions: { numberPrecision: 1 },
			description:
				'How strictly the image follows the prompt (1.0–10.0). step-image-edit-2 defaults to 1.0, step-2x-large to 6.',
		},
	},
	steps: {
		label: 'Steps',
		operations: BOTH,
		check: { kind: 'integer', min: 1, max: 50 },
		defaults: { 'step-image-edit-2': 8, 'step-2x-large': 50 },
		setting: {
			name: 'steps',
			default: 8,
			description:
				'Number of sampling steps (1–50). step-image-edit-2 defaults to 8, step-2x-large to 50.',
		},
	},
	seed: {
		label: 'Seed',
		operations: BOTH,
		check: { kind: 'integer', min: 0, max: 2147483647 },
		setting: {
			name: 'seed',
			default: 1,
			description:
				'Same seed and settings give the same image (0–2147483647). Leave unset for a random seed; the seed used is returned in the output.',
		},
	},
	text_mode: {
		label: 'Text Mode',
		operations: BOTH,
		models: ['step-image-edit-2'],
		check: { kind: 'boolean' },
		defaults: { 'step-image-edit-2': false },
		setting: {
			name: 'textMode',
			default: true,
			description: 'Whether to optimise text rendered inside the image (signs, labels, posters)',
		},
	},
	negative_prompt: {
		label: 'Negative Prompt',
		named: 'a Negative Prompt',
		operations: BOTH,
		models: ['step-image-edit-2'],
		check: { kind: 'text', maxCodePoints: 512 },
		setting: {
			name: 'negativePrompt',
			default: '',
			typeOptions: { rows: 2 },
			description:
				'What the image should not contain (up to 512 characters). step-image-edit-2 ignores it while CFG Scale is 1.0.',
		},
	},
} satisfies Record<string, ApiField>;

export type WireName = keyof typeof API_FIELDS;

/** The fields of one request, by wire name, checked. */
export type WireFields = Partial<Record<WireName, string | number | boolean>>;

/** The rows in wire order, each with its name. */
export const API_FIELD_LIST: ReadonlyArray<ApiField & { wire: WireName }> = Object.entries(
	API_FIELDS,
).map(([wire, field]) => ({ ...(field as ApiField), wire: wire as WireName }));

/** Whether a model takes a field: a known model as its row says, a typed model ID always. */
export function modelTakes(field: ApiField, model: string): boolean {
	return !field.models || !modelSpec(model) || field.models.includes(model as KnownModel);
}
