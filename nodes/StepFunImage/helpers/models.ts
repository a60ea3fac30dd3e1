// What each known model accepts, from the API contract. Unknown (typed) model IDs get no local
// size/feature checks: the API is the judge, so new or renamed models keep working.
export interface ModelSpec {
	sizes: readonly string[];
	defaultSize: string;
	supportsNegativePrompt: boolean;
	supportsTextMode: boolean;
}

export const MODELS: Record<string, ModelSpec> = {
	'step-image-edit-2': {
		sizes: ['1024x1024', '768x1360', '896x1184', '1360x768', '1184x896'],
		defaultSize: '1024x1024',
		supportsNegativePrompt: true,
		supportsTextMode: true,
	},
	'step-2x-large': {
		sizes: ['256x256', '512x512', '768x768', '1024x1024', '1280x800', '800x1280'],
		defaultSize: '1024x1024',
		supportsNegativePrompt: false,
		supportsTextMode: false,
	},
};

export const DEFAULT_MODEL = 'step-image-edit-2';

export const LIMITS = {
	promptMaxCodePoints: 512,
	seedMin: 0,
	seedMax: 2147483647,
	stepsMin: 1,
	stepsMax: 50,
	cfgScaleMin: 1,
	cfgScaleMax: 10,
	editMaxPixelsPerSide: 4096,
	/** Images per input item ("Number of Images"): one request each, StepFun returns one per request. */
	maxImagesPerItem: 10,
} as const;
