// Hostile endpoints, part 1: the API key only ever goes to the origin of the Base URL, and no
// text from the network carries it into an output item, an error or the saved execution data.
import { makePng } from '../../../support/simulator/png.cjs';
import { reportedErrors } from '../../../support/harness/index.cjs';
import { useHostileServers } from '../../../support/hostile.cjs';
import type { HostileHandler, HostileRequest } from '../../../support/hostile.cjs';
import { runStepFunAt } from '../../../support/stepfun.cjs';

const KEY = ['sk', 'hostile', 'Zq81', 'key/+='].join('-');
const GEN = { operation: 'generate', prompt: 'a quiet harbour', options: { maxRetries: 0 } };
const IMAGE = makePng(8, 6);

const serve = useHostileServers();

function answer(res: Parameters<HostileHandler>[1], status: number, body: unknown, headers = {}) {
	const text = typeof body === 'string' ? body : JSON.stringify(body);
	res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
	res.end(text);
}

const imageBody = (extra: Record<string, unknown> = {}) => ({
	created: 1,
	data: [{ b64_json: IMAGE.toString('base64'), finish_reason: 'success', seed: 7 }],
	...extra,
});

/** Everything a run leaves behind that a user or a log could see, as one text. */
function everything(result: Awaited<ReturnType<typeof runStepFunAt>>): string {
	const error = result.error as (Error & Record<string, unknown>) | undefined;
	return JSON.stringify({
		items: result.items.map((item) => ({
			json: item.json,
			binary: item.binary && Object.keys(item.binary),
		})),
		error: error && { ...error, message: error.message, stack: error.stack, cause: error.cause },
		raw: result.raw,
		reported: reportedErrors.map((r) => String((r.error as Error)?.message)),
	});
}

describe('the key only goes to the Base URL origin', () => {
	it.each([301, 302, 303, 307, 308])(
		'an API redirect (%s) to another port is not followed: that origin receives nothing',
		async (status) => {
			const elsewhere = await serve((_req, res) => answer(res, 200, imageBody()));
			const api = await serve((_req, res) => {
				res.writeHead(status, { Location: `${elsewhere.url}/v1/images/generations` });
				res.end();
			});
			const result = await runStepFunAt(`${api.url}/v1`, KEY, GEN);
			expect(result.error?.message).toBe(
				`The StepFun API answered with a redirect (HTTP ${status}) to ${elsewhere.url}/v1/images/generations [item 0]`,
			);
			expect(result.error?.description).toMatch(/put it in the credential's Base URL/);
			expect(api.requests.map((r) => r.key)).toEqual([KEY]);
			expect(elsewhere.requests).toHaveLength(0);
		},
	);

	it('an https Base URL with an untrusted certificate fails clearly and never falls back to http', async () => {
		// (The https → http redirect itself is tested in real n8n, which can be told to trust the
		// test certificate: test/e2e/secrets.test.ts.)
		const plain = await serve((_req, res) => answer(res, 200, imageBody()));
		const secure = await serve(
			(_req, res) => {
				res.writeHead(307, { Location: `http://127.0.0.1:${plain.port}/v1/images/generations` });
				res.end();
			},
			{ tls: true },
		);
		const result = await runStepFunAt(`${secure.url}/v1`, KEY, GEN);
		expect(result.error?.message).toBe(
			'Could not reach the StepFun API (untrusted TLS certificate) [item 0]',
		);
		expect(secure.requests).toHaveLength(0);
		expect(plain.requests).toHaveLength(0);
	});

	it('a same-origin 307/308 is followed with the key; a same-origin 302 is not', async () => {
		const api = await serve((req, res, request) => {
			if (request.path === '/old/images/generations') {
				res.writeHead(308, { Location: '/v1/images/generations' });
				res.end();
			} else if (request.path === '/v1/images/generations') answer(res, 200, imageBody());
			else answer(res, 404, {});
		});
		const followed = await runStepFunAt(`${api.url}/old`, KEY, GEN);
		expect(followed.error).toBeUndefined();
		expect(followed.items[0].binary?.data.buffer.equals(IMAGE)).toBe(true);
		expect(api.requests.map((r) => [r.method, r.path, r.key])).toEqual([
			['POST', '/old/images/generations', KEY],
			['POST', '/v1/images/generations', KEY],
		]);
		expect(JSON.parse(api.requests[1].body.toString()).prompt).toBe('a quiet harbour');

		api.setHandler((_req, res) => {
			res.writeHead(302, { Location: '/v1/other' });
			res.end();
		});
		const refused = await runStepFunAt(`${api.url}/v1`, KEY, GEN);
		expect(refused.error?.message).toMatch(/redirect \(HTTP 302\)/);
		expect(api.requests).toHaveLength(3);
	});

	it('a result URL on another host is downloaded without the key', async () => {
		const files = await serve((_req, res) => {
			res.writeHead(200, { 'Content-Type': 'image/png' });
			res.end(IMAGE);
		});
		const api = await serve((_req, res) =>
			answer(res, 200, { data: [{ url: `${files.url}/f/1.png`, finish_reason: 'success' }] }),
		);
		const result = await runStepFunAt(`${api.url}/v1`, KEY, {
			...GEN,
			options: { resultFormat: 'binaryFromUrl' },
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].binary?.data.buffer.equals(IMAGE)).toBe(true);
		expect(files.requests.map((r: HostileRequest) => [r.path, r.headers.authorization])).toEqual([
			['/f/1.png', undefined],
		]);
	});

	it.each([
		['a non-loopback plain-http host', (port: number) => `http://0.0.0.0:${port}/v1`],
		['a leading control character', (port: number) => `\u0001http://127.0.0.1:${port}/v1`],
		['user and password', (port: number) => `http://user:pw@127.0.0.1:${port}/v1`],
		['a query', (port: number) => `http://127.0.0.1:${port}/v1?a=1`],
		['a fragment', (port: number) => `http://127.0.0.1:${port}/v1#a`],
	])('a Base URL with %s is refused before anything is sent', async (_name, baseUrl) => {
		const api = await serve((_req, res) => answer(res, 200, imageBody()));
		const result = await runStepFunAt(baseUrl(api.port), KEY, GEN);
		expect(result.error?.message).toMatch(/Base URL/);
		expect(result.error?.message).not.toContain('pw@');
		expect(api.requests).toHaveLength(0);
	});
});

describe('no text from the network carries the key anywhere', () => {
	const echo = (key: string | undefined) => String(key);

	it.each<[string, (res: Parameters<HostileHandler>[1], key: string) => void, RegExp]>([
		[
			'error.type, error.message and X-Trace-Id of an error',
			(res, key) =>
				answer(
					res,
					400,
					{ error: { type: key, message: `bad key ${key}` } },
					{ 'X-Trace-Id': key },
				),
			/rejected the request as invalid \(HTTP 400\)/,
		],
		[
			'error.code and the key URL-encoded',
			(res, key) =>
				answer(res, 401, { error: { code: key, message: encodeURIComponent(key) } }, {}),
			/API key was rejected/,
		],
		[
			'a content_filtered answer',
			(res, key) =>
				answer(res, 200, { data: [{ finish_reason: 'content_filtered' }] }, { 'X-Trace-Id': key }),
			/content moderation/,
		],
		['a non-JSON 200 body', (res, key) => answer(res, 200, `<html>${key}</html>`), /non-JSON/],
		[
			'an invalid-JSON 200 body',
			(res, key) => answer(res, 200, `{"data":[] ${key}}`),
			/invalid JSON/,
		],
		[
			'a redirect Location',
			(res, key) => {
				res.writeHead(302, { Location: `http://127.0.0.1:9/${key}?token=${key}` });
				res.end();
			},
			/redirect \(HTTP 302\) to http:\/\/127\.0\.0\.1:9\/\*\*\*/,
		],
		[
			'a result URL that fails to download',
			(res, key) =>
				answer(res, 200, {
					data: [{ url: `http://${encodeURIComponent(key)}.invalid/${key}.png?s=${key}` }],
				}),
			/Could not download the generated image/,
		],
		[
			'a result URL that is not http',
			(res, key) => answer(res, 200, { data: [{ url: `file:///${key}` }] }),
			/only http:\/\/ and https:\/\/ URLs can be downloaded, got "file:"/,
		],
	])('%s', async (_name, respond, message) => {
		const api = await serve((_req, res, request) => respond(res, echo(request.key)));
		const result = await runStepFunAt(`${api.url}/v1`, KEY, {
			...GEN,
			options: { maxRetries: 0, resultFormat: 'binaryFromUrl' },
		});
		expect(api.requests[0].key).toBe(KEY);
		expect(result.error?.message).toMatch(message);
		expect(result.error?.message).toMatch(/\[item 0\]$/);
		expect(everything(result)).not.toContain(KEY);
		expect(everything(result)).not.toContain(encodeURIComponent(KEY));
	});

	it('a result URL serving text instead of an image: the error names what it is, never its bytes', async () => {
		const text = 'private note: this is no image';
		const files = await serve((_req, res) => {
			res.writeHead(200, { 'Content-Type': 'image/png' });
			res.end(text);
		});
		const api = await serve((_req, res) =>
			answer(res, 200, { data: [{ url: `${files.url}/f.png` }] }),
		);
		const result = await runStepFunAt(`${api.url}/v1`, KEY, {
			...GEN,
			options: { resultFormat: 'binaryFromUrl' },
		});
		expect(result.error?.message).toBe(
			`Could not download the generated image from 127.0.0.1:${files.port}: the file is not a usable image: not a PNG, JPEG or WebP image: found content of an unknown kind [item 0]`,
		);
		expect(files.requests[0].key).toBeUndefined();
	});

	it('the trace id, id, finish reason and URL of a success are redacted in the output item', async () => {
		const api = await serve((_req, res, request) =>
			answer(
				res,
				200,
				{
					id: `id-${echo(request.key)}`,
					data: [
						{
							url: `https://cdn.example/${echo(request.key)}.png`,
							finish_reason: `ok ${echo(request.key)}`,
						},
					],
				},
				{ 'X-Trace-Id': `trace-${echo(request.key)}` },
			),
		);
		const result = await runStepFunAt(`${api.url}/v1`, KEY, {
			...GEN,
			options: { resultFormat: 'url' },
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].json).toMatchObject({
			id: 'id-***',
			traceId: 'trace-***',
			finishReason: 'ok ***',
			url: 'https://cdn.example/***.png',
		});
		expect(everything(result)).not.toContain(KEY);
	});

	it('control characters from the network cannot forge lines in messages', async () => {
		const api = await serve((_req, res) =>
			answer(
				res,
				500,
				{ error: { message: 'boom\r\n2026-01-01 ERROR forged line' } },
				{ 'X-Trace-Id': 'a\tb' },
			),
		);
		const result = await runStepFunAt(`${api.url}/v1`, KEY, GEN);
		expect(result.error?.description).toMatch(/StepFun said: "boom 2026-01-01 ERROR forged line"/);
		expect(result.error?.description).toMatch(/Trace ID: a b/);
	});
});
