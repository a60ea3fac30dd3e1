// POST /images/generations and /images/edits past auth, rate limits and scripted faults: the body (JSON,
// or multipart with one `image` file part), validation, the content knobs (retiredEndpoint,
// insufficientBalance, blocked and filtered prompts), the seed, the generated PNG with its label, and
// the answer, `malformed` variants included.
import crypto from 'node:crypto';
import type http from 'node:http';

import { ApiError, MAX_EDIT_DIM, MAX_SEED, invalid } from './contract.cjs';
import { imageInfo } from './image-info.cjs';
import { getBoundary, MultipartError, parseMultipart } from './multipart.cjs';
import { makePng } from './png.cjs';
import { storeFile, type RecordedFile, type RecordedRequest } from './state.cjs';
import type { SimulatorContext } from './state.cjs';
import { checkPrompt, generationSize, modelSpec, typeName, type Params } from './validate.cjs';
import { validateCommon } from './validate.cjs';

export type ApiResult = { status: number; body: unknown; headers?: Record<string, string> };
type Req = http.IncomingMessage;

const contentTypeIs = (req: Req, type: string) => {
	const sent = req.headers['content-type'] ?? '';
	if (new RegExp(`^${type}\\s*(;|$)`).test(sent.toLowerCase())) return;
	throw invalid(`Content-Type must be ${type}, got ${JSON.stringify(sent)}`);
};

function generationParams(req: Req, body: Buffer, record: RecordedRequest): Params {
	contentTypeIs(req, 'application/json');
	let params: unknown;
	try {
		params = JSON.parse(body.toString('utf8'));
	} catch {
		throw invalid('request body is not valid JSON');
	}
	record.json = params;
	if (typeName(params) !== 'object') throw invalid('request body must be a JSON object');
	return params as Params;
}

/** An edit's text fields (strings) and its image part, both recorded. */
function editParts(req: Req, body: Buffer, record: RecordedRequest) {
	contentTypeIs(req, 'multipart/form-data');
	const boundary = getBoundary(req.headers['content-type']);
	if (!boundary) throw invalid('multipart/form-data without boundary');
	let parts;
	try {
		parts = parseMultipart(body, boundary);
	} catch (error) {
		if (!(error instanceof MultipartError)) throw error;
		throw invalid(`malformed multipart body: ${error.message}`);
	}
	const params: Params = {};
	const repeated: string[] = [];
	for (const part of parts) {
		if (part.filename !== undefined) {
			const data = Buffer.from(part.data); // a copy: the whole body is not kept
			const sha256 = crypto.createHash('sha256').update(data).digest('hex');
			const { name: field, filename, contentType } = part;
			record.files.push({ field, filename, contentType, size: data.length, sha256, data });
			continue;
		}
		if (Object.hasOwn(record.fields, part.name)) repeated.push(part.name);
		params[part.name] = record.fields[part.name] = part.data.toString('utf8');
	}
	if (repeated.length) throw invalid(`field ${repeated[0]} sent more than once`);
	const other = record.files.find((f) => f.field !== 'image');
	if (other) throw invalid(`unexpected file field ${other.field}; only image is accepted`);
	if (params.image !== undefined) throw invalid('image must be a file part, not a text field');
	const images = record.files.filter((f) => f.field === 'image');
	if (images.length > 1) throw invalid('only one image may be sent');
	return { params, image: images[0] };
}

/** The edit image: present, a readable PNG/JPEG/WebP of at most MAX_EDIT_DIM each way; its size. */
function checkEditImage(image: RecordedFile | undefined) {
	if (!image) throw invalid('image is required (one file part named image)');
	if (image.size === 0) throw invalid('image is empty');
	let info;
	try {
		info = imageInfo(image.data);
	} catch (error) {
		throw invalid(`image could not be read: ${error instanceof Error ? error.message : error}`);
	}
	if (!info) throw invalid('unsupported image format; send PNG, JPEG or WebP');
	const { format, width, height } = info;
	Object.assign(image, { format, width, height });
	if (!(width > 0 && height > 0)) throw invalid('image has zero width or height');
	if (width > MAX_EDIT_DIM || height > MAX_EDIT_DIM) {
		throw invalid(`image is ${width}x${height}; maximum is ${MAX_EDIT_DIM}x${MAX_EDIT_DIM}`);
	}
	return { width, height };
}

type Call = { route: string; req: Req; body: Buffer; record: RecordedRequest };
export function processImages(ctx: SimulatorContext, call: Call): ApiResult {
	const { route, req, body, record } = call;
	const { faults } = ctx.state;
	const unknown = `Unknown path ${req.method} ${record.path}`;
	if (faults.retiredEndpoint === 404) throw new ApiError(404, unknown, 'not_found');
	const unavailable = new ApiError(503, 'Service unavailable', 'service_unavailable');
	if (faults.retiredEndpoint === 503) throw unavailable;
	const isEdit = route === '/images/edits';
	const generation = () => ({ params: generationParams(req, body, record), image: undefined });
	const { params, image } = isEdit ? editParts(req, body, record) : generation();
	const spec = modelSpec(params.model, faults, isEdit);
	const prompt = checkPrompt('prompt', params.prompt, true);
	const generated = isEdit ? undefined : generationSize(params, spec);
	const common = validateCommon(params, spec, params.model, isEdit ? 'edit' : 'generate', isEdit);
	const { width, height } = generated ?? checkEditImage(image);
	const broke = new ApiError(402, 'Insufficient account balance', 'insufficient_balance');
	if (faults.insufficientBalance) throw broke;
	const moderated = 'The request was rejected by content moderation';
	const blocked = faults.blockedPrompts.some((s) => s && prompt.includes(s));
	if (blocked) throw new ApiError(451, moderated, 'censorship_blocked');
	const { seed: given } = common;
	const random = given === undefined || (given === 0 && spec.seedZeroIsRandom);
	const seed = random ? 1 + Math.floor(ctx.state.seedRand() * MAX_SEED) : given;
	record.seedUsed = seed;
	record.output = { width, height };
	const id = crypto.randomBytes(16).toString('hex');
	const created = Math.floor(Date.now() / 1000);
	if (faults.filteredPrompts.some((s) => s && prompt.includes(s))) {
		const data = [{ finish_reason: 'content_filtered', seed }];
		return { status: 200, body: { id, created, data } };
	}
	const editKey = `edit\0${image?.sha256}\0${prompt}\0${seed}`;
	const key = isEdit ? editKey : `gen\0${params.model}\0${seed}\0${prompt}`;
	const label = { operation: isEdit ? 'edit' : 'generate', seed, prompt };
	const output = (ctx.renderImage ?? makePng)(width, height, key, 1, label);
	record.outputSha256 = crypto.createHash('sha256').update(output).digest('hex');
	return imageAnswer(ctx, { id, created, seed, output, format: common.responseFormat });
}

/** The 200 answer carrying the image, or its `malformed` variant. */
type Answer = { id: string; created: number; seed: number; output: Buffer } & {
	format: 'url' | 'b64_json';
};
function imageAnswer(ctx: SimulatorContext, a: Answer): ApiResult {
	const { id, created, seed, output } = a;
	const malformed = ctx.state.faults.malformed;
	if (malformed === 'not-json') {
		const body = '<html><body>upstream gateway returned garbage';
		return { status: 200, body, headers: { 'content-type': 'application/json' } };
	}
	if (malformed === 'no-data') return { status: 200, body: { id, created } };
	const item: { finish_reason: string; seed: number; b64_json?: string; url?: string } = {
		...{ finish_reason: 'success', seed },
	};
	const [notBase64, notImage] = ['!!not*base64**', Buffer.from('this is not an image')];
	if (a.format === 'b64_json') {
		if (malformed === 'empty-b64') item.b64_json = '';
		else if (malformed === 'bad-b64') item.b64_json = notBase64 + output.toString('hex', 0, 16);
		else item.b64_json = output.toString('base64');
	} else if (malformed === 'empty-b64') item.url = '';
	else if (malformed === 'bad-b64') item.url = storeFile(ctx, notImage, 'image/png');
	else item.url = storeFile(ctx, output, 'image/png');
	return { status: 200, body: { id, created, data: [item] } };
}
