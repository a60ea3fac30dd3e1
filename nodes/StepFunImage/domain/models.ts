// What each known model accepts, from the API contract. A typed model ID gets no local checks: the
// API is the judge, so new or renamed models keep working.

/** The two image endpoints: POST /images/generations and POST /images/edits. */
export type Operation = 'generate' | 'edit';

export interface ModelSpec {
	sizes: readonly string[];
	defaultSize: string;
	/** The endpoints that take the model. */
	operations: readonly Operation[];
}

export const MODELS = {
	'step-image-edit-2': {
		sizes: ['1024x1024', '768x1360', '896x1184', '1360x768', '1184x896'],
		defaultSize: '1024x1024',
		operations: ['generate', 'edit'],
	},
	'step-2x-large': {
		sizes: ['256x256', '512x512', '768x768', '1024x1024', '1280x800', '800x1280'],
		defaultSize: '1024x1024',
		operations: ['generate'],
	},
} as const satisfies Record<string, ModelSpec>;

export type KnownModel = keyof typeof MODELS;

export const DEFAULT_MODEL: KnownModel = 'step-image-edit-2';

/** The spec of a known model; undefined for a typed model ID. */
export function modelSpec(model: string): ModelSpec | undefined {
	return Object.prototype.hasOwnProperty.call(MODELS, model)
		? MODELS[model as KnownModel]
		: undefined;
}

export const LIMITS = {
	editMaxPixelsPerSide: 4096,
	/** Images per input item ("Number of Images"): one request each, StepFun returns one per request. */
	maxImagesPerItem: 10,
} as const;
