// Hostile inputs, and what a run reports: bad input is refused before anything is paid, and a run
// without Continue On Fail raises the error of the lowest failing item, as a one-by-one run would.
import type { INodeParameters } from 'n8n-workflow';

import { readFixture } from '../../../support/fixtures.cjs';
import { makePng } from '../../../support/simulator/png.cjs';
import { sleep, startHostileServer } from '../../../support/hostile.cjs';
import type { HostileHandler, HostileServer } from '../../../support/hostile.cjs';
import { runStepFunAt } from '../../../support/stepfun.cjs';

const KEY = 'sk-hostile-input-key';
const IMAGE = makePng(16, 12);

let api: HostileServer;
beforeEach(async () => {
	api = await startHostileServer((_req, res) => ok(res));
});
afterEach(async () => await api.close());

function ok(res: Parameters<HostileHandler>[1]) {
	res.writeHead(200, { 'Content-Type': 'application/json' });
	res.end(JSON.stringify({ data: [{ b64_json: IMAGE.toString('base64'), seed: 3 }] }));
}

function fail(res: Parameters<HostileHandler>[1], status: number) {
	res.writeHead(status, { 'Content-Type': 'application/json' });
	res.end(JSON.stringify({ error: { message: 'no', type: 'request_params_invalid' } }));
}

const run = async (parameters: INodeParameters, options = {}) =>
	await runStepFunAt(`${api.url}/v1`, KEY, parameters, options);

describe('input is checked before anything is paid', () => {
	const cut = (name: string, drop: number) => {
		const bytes = readFixture(name);
		return bytes.subarray(0, bytes.length - drop);
	};

	it.each([
		[
			'a JPEG cut in the middle of its scan',
			'in.jpg',
			cut('input-80x60.jpg', 400),
			/JPEG file is truncated: it ends before its end-of-image marker/,
		],
		[
			'a PNG missing its end',
			'in.png',
			cut('input-64x48.png', 12),
			/PNG file is truncated: it ends before its IEND chunk/,
		],
		[
			'a WebP shorter than its RIFF header says',
			'in.webp',
			cut('input-96x72.webp', 10),
			/WebP file is truncated/,
		],
		[
			'a WebP with bytes after its RIFF data',
			'in.webp',
			Buffer.concat([readFixture('input-96x72.webp'), Buffer.alloc(9)]),
			/WebP file is corrupt/,
		],
	])('%s is refused', async (_name, fileName, data, problem) => {
		const result = await run(
			{ operation: 'edit', prompt: 'make it blue' },
			{ items: [{ json: {}, binary: { data: { data, mimeType: 'image/png', fileName } } }] },
		);
		expect(result.error?.message).toMatch(problem);
		expect(result.error?.message).toMatch(/\[item 0\]$/);
		expect(result.error?.description).toMatch(/No request was sent/);
		expect(api.requests).toHaveLength(0);
	});

	it.each<[string, unknown, RegExp]>([
		['a number', 42, /Prompt must be text, but it is a number \(42\)/],
		['an object', { text: 'hi' }, /Prompt must be text, but it is an object/],
		['a boolean', true, /Prompt must be text, but it is a boolean \(true\)/],
		['a list', ['a', 'b'], /Prompt must be text, but it is a list of 2 values/],
		[
			'only zero-width spaces',
			'\u200b\u200c\u200d\ufeff',
			/Prompt is empty \(it has only invisible characters\)/,
		],
		['only spaces and tabs', ' \t \u3000', /Prompt is empty/],
	])(
		'a prompt expression that gives %s gets a message naming it',
		async (_name, value, message) => {
			const result = await run(
				{ operation: 'generate', prompt: '={{ $json.prompt }}' },
				{ items: [{ json: { prompt: value } }] },
			);
			expect(result.error?.message).toMatch(message);
			expect(result.error?.message).toMatch(/\[item 0\]$/);
			expect(api.requests).toHaveLength(0);
		},
	);

	it.each<[string, INodeParameters, RegExp]>([
		['Seed true', { seed: true }, /Seed must be a number, but it is a boolean \(true\)/],
		['Seed "0x10"', { seed: '0x10' }, /Seed must be a number, but it is the text "0x10"/],
		['Steps "Infinity"', { steps: 'Infinity' }, /Steps must be a number/],
		['CFG Scale "1,5"', { cfgScale: '1,5' }, /CFG Scale must be a number/],
		['Seed 1.5', { seed: 1.5 }, /Seed must be a whole number from 0 to 2147483647, got 1.5/],
	])('%s is refused', async (_name, imageOptions, message) => {
		const result = await run({ operation: 'generate', prompt: 'x', imageOptions });
		expect(result.error?.message).toMatch(message);
		expect(api.requests).toHaveLength(0);
	});

	it('numbers written as decimal text (a Form field) are accepted', async () => {
		const result = await run({
			operation: 'generate',
			prompt: 'x',
			imageOptions: { seed: ' 42 ', steps: '8', cfgScale: '2.5' },
		});
		expect(result.error).toBeUndefined();
		expect(JSON.parse(api.requests[0].body.toString())).toMatchObject({
			seed: 42,
			steps: 8,
			cfg_scale: 2.5,
		});
	});

	it.each<[string, INodeParameters, RegExp]>([
		['Concurrency "many"', { concurrency: 'many' }, /Concurrency must be a number/],
		['Concurrency 0', { concurrency: 0 }, /Concurrency must be a whole number from 1 to 100/],
		['Timeout false', { timeout: false }, /Timeout \(Seconds\) must be a number/],
		['Max Retries -1', { maxRetries: -1 }, /Max Retries must be a whole number from 0 to 20/],
	])('option %s is refused', async (_name, options, message) => {
		const result = await run({ operation: 'generate', prompt: 'x', options });
		expect(result.error?.message).toMatch(message);
		expect(api.requests).toHaveLength(0);
	});
});

describe('which error a run reports', () => {
	const items = Array.from({ length: 6 }, (_, i) => ({ json: { p: `item ${i}` } }));
	const GEN = {
		operation: 'generate',
		prompt: '={{ $json.p }}',
		options: { concurrency: 3, maxRetries: 0 },
	};
	const promptOf = (body: Buffer) => String(JSON.parse(body.toString()).prompt);

	it('without Continue On Fail, the lowest failing item wins, even when a later one fails first', async () => {
		api.setHandler(async (_req, res, request) => {
			const prompt = promptOf(request.body);
			if (prompt === 'item 1') {
				await sleep(600);
				fail(res, 400);
			} else if (prompt === 'item 3') fail(res, 402);
			else ok(res);
		});
		const result = await run(GEN, { items });
		expect(result.error?.message).toBe(
			'StepFun rejected the request as invalid (HTTP 400) [item 1]',
		);
		// Item 1 was let finish after item 3 had failed; nothing was sent twice.
		const prompts = api.requests.map((r) => promptOf(r.body));
		expect(prompts).toEqual(expect.arrayContaining(['item 0', 'item 1', 'item 2', 'item 3']));
		expect(new Set(prompts).size).toBe(prompts.length);
	});

	it('items below a failure still run to the end and their own failure is the one reported', async () => {
		api.setHandler(async (_req, res, request) => {
			const prompt = promptOf(request.body);
			if (prompt === 'item 0') {
				await sleep(400);
				ok(res);
			} else if (prompt === 'item 2') fail(res, 402);
			else if (prompt === 'item 1') {
				await sleep(700);
				fail(res, 451);
			} else ok(res);
		});
		const result = await run(GEN, { items });
		expect(result.error?.message).toBe('Blocked by StepFun content moderation (HTTP 451) [item 1]');
	});

	it('with Continue On Fail every error item names its own item, download errors included', async () => {
		api.setHandler((_req, res, request) => {
			if (request.method === 'GET') {
				if (request.path === '/img.png') {
					res.writeHead(200, { 'Content-Type': 'image/png' });
					res.end(IMAGE);
				} else fail(res, 404);
				return;
			}
			const prompt = promptOf(request.body);
			res.writeHead(200, { 'Content-Type': 'application/json' });
			const url = prompt === 'item 2' ? `${api.url}/gone.png` : `${api.url}/img.png`;
			res.end(JSON.stringify({ data: [{ url }] }));
		});
		const result = await run(
			{ ...GEN, options: { ...GEN.options, resultFormat: 'binaryFromUrl' } },
			{ items, continueOnFail: true },
		);
		expect(result.items.map((item) => item.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		expect(result.items[2].json.error).toBe(
			`Could not download the generated image from 127.0.0.1:${api.port}: HTTP 404 [item 2]`,
		);
		expect(result.items.filter((item) => item.binary).map((item) => item.json.prompt)).toEqual([
			'item 0',
			'item 1',
			'item 3',
			'item 4',
			'item 5',
		]);
		// A 404 is final: no retry of the download, and no new paid generation.
		expect(api.requests.filter((r) => r.path === '/gone.png')).toHaveLength(1);
		expect(api.requests.filter((r) => r.method === 'POST')).toHaveLength(6);
	});
});
