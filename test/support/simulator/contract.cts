// The StepFun image API the simulator plays (/work/shared/docs/stepfun-image-api.md): base-URL prefixes,
// routes, limits, the models and the error bodies. The fields, their checks and the models' sizes come
// from the node's own parameter table (nodes/StepFunImage/domain), so the two cannot drift.
import { API_FIELDS } from '../../../nodes/StepFunImage/domain/apiFields';
import { MODELS as NODE_MODELS, type KnownModel } from '../../../nodes/StepFunImage/domain/models';

/** Base-URL prefixes: Step Plan and the open platform. */
export const PREFIXES = ['/step_plan/v1', '/v1'];
/** API routes (below a prefix) and the one method each takes. */
export const ROUTES: Readonly<Record<string, string>> = {
	'/models': 'GET',
	'/images/generations': 'POST',
	'/images/edits': 'POST',
};
/** Prompt length limit, in Unicode code points. */
export const MAX_PROMPT = API_FIELDS.prompt.check.maxCodePoints;
export const MAX_SEED = API_FIELDS.seed.check.max;
/** Largest width or height of an edit's input image. */
export const MAX_EDIT_DIM = 4096;
/** Generated images kept for /files downloads (the oldest go first). */
export const MAX_FILES_KEPT = 256;
export const DEFAULT_API_KEY = 'sk-simulator';
export const DEFAULT_MAX_BODY_BYTES = 64 * 1024 * 1024;
/** `created` that /models reports for ids without a spec (extraModels). */
export const EXTRA_MODEL_CREATED = 1767225600;
/** The model whose capabilities extraModels ids get. */
export const EXTRA_MODEL_LIKE = 'step-image-edit-2';

export interface ModelSpec {
	/** The model whose fields it takes (an extraModels id behaves as EXTRA_MODEL_LIKE). */
	id: KnownModel;
	sizes: readonly string[];
	defaultSize: string;
	edits: boolean;
	seedZeroIsRandom: boolean;
	created: number;
}

/** What the API says of a model beyond the node's table: when /models lists it, how seed 0 works. */
const LISTED: Record<KnownModel, { created: number; seedZeroIsRandom: boolean }> = {
	'step-image-edit-2': { created: 1751328000, seedZeroIsRandom: false },
	'step-2x-large': { created: 1735689600, seedZeroIsRandom: true },
};

export const MODELS: Record<string, ModelSpec> = Object.fromEntries(
	(Object.keys(NODE_MODELS) as KnownModel[]).map((id) => {
		const { sizes, defaultSize, operations } = NODE_MODELS[id];
		const edits = (operations as readonly string[]).includes('edit');
		return [id, { id, sizes, defaultSize, edits, ...LISTED[id] }];
	}),
);

const ERROR_BY_STATUS: Record<number, [string, string]> = {
	400: ['Bad request', 'request_params_invalid'],
	401: ['Incorrect API key provided', 'invalid_api_key'],
	402: ['Insufficient account balance', 'insufficient_balance'],
	403: ['Forbidden', 'permission_denied'],
	404: ['Not found', 'not_found'],
	408: ['Request timeout', 'timeout'],
	429: ['Too many requests', 'rate_limit_exceeded'],
	451: ['The request was rejected by content moderation', 'censorship_blocked'],
	500: ['Internal server error', 'server_error'],
	502: ['Bad gateway', 'bad_gateway'],
	503: ['Service unavailable', 'service_unavailable'],
	504: ['Gateway timeout', 'gateway_timeout'],
};

/** StepFun's error body for `status`; message and type default to the status's usual ones. */
export function errorBody(status: number, message?: string, type?: string) {
	const [defaultMessage, defaultType] = ERROR_BY_STATUS[status] ?? ['Error', 'server_error'];
	return { error: { message: message || defaultMessage, type: type || defaultType } };
}

/** An error answer, thrown while a request is processed and sent as an error body. */
export class ApiError extends Error {
	constructor(
		readonly status: number,
		message: string,
		readonly type: string,
		readonly headers?: Record<string, string>,
	) {
		super(message);
	}
}

/** 400 request_params_invalid. */
export const invalid = (message: string) => new ApiError(400, message, 'request_params_invalid');
