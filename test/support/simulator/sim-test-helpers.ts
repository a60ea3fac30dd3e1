// Shared setup and request helpers for the simulator's own tests (the *.test.ts files next to this one),
// over real HTTP. No Node built-ins here (strict n8n lint): Node-level helpers live in ../fixtures.js
// and ./png.js.
import FormDataPkg from 'form-data';
import { startSimulator, type Simulator } from './index.cjs';
import { decodePng } from './png.cjs';
import { readFixture, FIXTURES } from '../fixtures.cjs';

export const KEY = 'sk-simulator';
export const AUTH = { authorization: `Bearer ${KEY}` };
export const JSON_HEADERS = { ...AUTH, 'content-type': 'application/json' };

/** The test file's simulator (randomSeed 42), started by useSimulator(). */
export let sim: Simulator;

/** One simulator for the test file: started before all tests, reset before each, closed after all. */
export function useSimulator() {
	beforeAll(async () => {
		sim = await startSimulator({ randomSeed: 42 });
	});
	afterAll(async () => {
		await sim.close();
	});
	beforeEach(() => {
		sim.reset();
	});
}

// JSON.parse's own result type: API bodies are arbitrary JSON.
export type Json = ReturnType<typeof JSON.parse>;

export async function generate(
	body: unknown,
	base = sim.stepPlanBaseUrl,
	headers: Record<string, string> = JSON_HEADERS,
) {
	const res = await fetch(`${base}/images/generations`, {
		method: 'POST',
		headers,
		body: typeof body === 'string' ? body : JSON.stringify(body),
	});
	const text = await res.text();
	let json: Json | undefined;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, json: json as Json, text, headers: res.headers };
}

export function formBody(
	fields: Record<string, string>,
	image?: { data: Buffer; filename: string; contentType: string },
) {
	const form = new FormDataPkg();
	for (const [k, v] of Object.entries(fields)) form.append(k, v);
	if (image) {
		form.append('image', image.data, { filename: image.filename, contentType: image.contentType });
	}
	return form;
}

/** POST /images/edits with the `form-data` package (like curl -F). */
export async function editWithFormData(
	fields: Record<string, string>,
	image?: { data: Buffer; filename: string; contentType: string },
	extraImages: Array<{ data: Buffer; filename: string; contentType: string }> = [],
) {
	const form = formBody(fields, image);
	for (const img of extraImages) {
		form.append('image', img.data, { filename: img.filename, contentType: img.contentType });
	}
	const res = await fetch(`${sim.stepPlanBaseUrl}/images/edits`, {
		method: 'POST',
		headers: { ...AUTH, ...form.getHeaders() },
		body: bytes(form.getBuffer()),
	});
	const text = await res.text();
	let json: Json | undefined;
	try {
		json = JSON.parse(text);
	} catch {
		json = undefined;
	}
	return { status: res.status, json: json as Json, text, headers: res.headers };
}

/** A Buffer as a fetch body (TS's BodyInit does not include Buffer). */
export const bytes = (b: Buffer) => new Uint8Array(b);
export const pngOf = (b64: string) => decodePng(Buffer.from(b64, 'base64'));
export const edit2 = { model: 'step-image-edit-2', prompt: 'a cat', response_format: 'b64_json' };
export const fixture = (name: string) => ({
	data: readFixture(name),
	filename: name,
	contentType: FIXTURES[name].mimeType,
});
/** A small step-2x-large generation (b64_json), for the fault knobs. */
export const gen = (extra: Json = {}) =>
	generate({
		model: 'step-2x-large',
		prompt: 'x',
		size: '256x256',
		response_format: 'b64_json',
		...extra,
	});

export function expectInvalid(r: { status: number; json: Json }, field: string) {
	expect(r.status).toBe(400);
	expect(r.json.error.type).toBe('request_params_invalid');
	expect(r.json.error.message).toContain(field);
}

/** Comparable summary of an expected-400 answer (shows the offending patch when it fails). */
export function invalidSummary(patch: unknown, r: { status: number; json: Json }, field: string) {
	const message = String(r.json?.error?.message ?? '');
	return {
		patch,
		status: r.status,
		type: r.json?.error?.type,
		namesField: message.includes(field),
	};
}
