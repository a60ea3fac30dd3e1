// Operation tests as data: a case is the node's parameters and its input items (binaries by fixture
// name), and what must come of it: the output items and the requests the simulator received. runCase()
// runs it through n8n-core's real execution code (./stepfun.cts) and reads both back in a comparable
// shape: each output item names the request its image answered, volatile fields (ids, times, random
// file names) give way to what they must be, and bytes are compared, not listed.
import crypto from 'node:crypto';

import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { FIXTURES, readFixture } from './fixtures.cjs';
import type { RecordedRequest, Simulator, SimulatorFaults } from './simulator/index.cjs';
import { decodePng } from './simulator/png.cjs';
import { runStepFun } from './stepfun.cjs';

/** A fixture's name, or a fixture stored under another name or type (a wrong one, say). */
type CaseBinary = string | { fixture: string; mimeType?: string; fileName?: string };

export interface OperationCase {
	name: string;
	parameters: INodeParameters;
	/** Default: one empty item. */
	input?: Array<{ json?: IDataObject; binary?: Record<string, CaseBinary> }>;
	faults?: SimulatorFaults;
	/** The API requests in the order of the output they answered, then any download. */
	requests: unknown[];
	output: unknown[];
	/** The most requests the simulator had in flight at once, when the case is about it. */
	maxInFlight?: number;
}

const sha256 = (data: Buffer) => crypto.createHash('sha256').update(data).digest('hex');
const FIXTURE_BY_SHA = new Map(Object.keys(FIXTURES).map((n) => [sha256(readFixture(n)), n]));

/** A request as a case states it: the JSON body, or the multipart fields and the image by fixture name. */
function requestShape(r: RecordedRequest, sim: Simulator) {
	if (r.isFile) return stable({ download: r.path, authorization: r.authorization }, sim);
	const contentType = r.contentType?.replace(/boundary=.*/, 'boundary=…');
	const shape: Record<string, unknown> = { path: r.path, authorization: r.authorization };
	shape.contentType = contentType;
	if (r.json !== undefined) shape.json = r.json;
	else {
		shape.fields = r.fields;
		for (const { field, filename, contentType: type, sha256: sha } of r.files.slice(0, 1)) {
			const bytes = FIXTURE_BY_SHA.get(sha) ?? 'not a fixture';
			shape.image = { field, filename, contentType: type, bytes };
		}
	}
	return stable(shape, sim);
}

/** Undefined fields dropped; the simulator's address and its random file names as placeholders. */
const stable = (value: unknown, sim: Simulator) => {
	const text = JSON.stringify(value).split(sim.url).join('<simulator>');
	return JSON.parse(text.replace(/\/files\/[0-9a-f]+\.png/g, '/files/…'));
};

export async function runCase(sim: Simulator, c: OperationCase) {
	if (c.faults) sim.setFaults(c.faults);
	const stored = (b: CaseBinary) => {
		const { fixture, mimeType, fileName } = typeof b === 'string' ? { fixture: b } : b;
		const data = readFixture(fixture);
		const type = mimeType ?? FIXTURES[fixture].mimeType;
		return { data, mimeType: type, fileName: fileName ?? fixture };
	};
	const items = (c.input ?? [{ json: {} }]).map(({ json = {}, binary = {} }) => {
		const binaries = Object.entries(binary).map(([key, b]) => [key, stored(b)]);
		return { json, binary: Object.fromEntries(binaries) };
	});
	const result = await runStepFun(sim, c.parameters, { items });
	const api = sim.apiRequests();
	const answered: RecordedRequest[] = [];
	const output = result.items.map((item) => {
		const { id, created, durationMs, traceId, fileSize, ...json } = item.json;
		const request = api.find((r) => r.traceId === traceId);
		// Every output's volatile fields, as they must be.
		expect({ id, created, durationMs, seed: json.seed }).toEqual({
			id: expect.stringMatching(/^[0-9a-f]{32}$/),
			created: expect.any(Number),
			durationMs: expect.any(Number),
			seed: request?.seedUsed,
		});
		if (request) answered.push(request);
		const shape: Record<string, unknown> = { json: stable(json, sim), pairedItem: item.pairedItem };
		shape.answers = request ? answered.indexOf(request) : 'no request';
		for (const [key, b] of Object.entries(item.binary ?? {})) {
			expect(fileSize).toBe(b.buffer.length);
			const { mimeType, fileName } = b;
			const { width, height } = decodePng(b.buffer); // a full, CRC-checked decode
			// The very bytes the API answered, not a re-encoding.
			const bytes = sha256(b.buffer) === request?.outputSha256 ? 'as answered' : 'changed';
			const image = { mimeType, fileName, width, height, bytes };
			shape.binary = { ...(shape.binary as object), [key]: image };
		}
		return shape;
	});
	const unanswered = api.filter((r) => !answered.includes(r));
	const all = [...answered, ...unanswered, ...sim.fileRequests()];
	const requests = all.map((r) => requestShape(r, sim));
	const run: Record<string, unknown> = { error: result.error?.message, requests, output };
	if (c.maxInFlight !== undefined) run.maxInFlight = sim.stats().maxInFlight;
	// No output carries the key.
	expect(JSON.stringify(output)).not.toContain(sim.apiKey);
	return run;
}
