import { pngSize, runStepFun, useSimulator } from '../../../support/stepfun.cjs';
import { networkFailureOf } from '../../../../nodes/StepFunImage/transport/http';
import { parseRetryAfter } from '../../../../nodes/StepFunImage/transport/retry';

const KEY = ['sk', 'transport', 'test', 'key'].join('-');
const GEN = { operation: 'generate', prompt: 'a quiet harbour', size: '1024x1024' };

describe('API errors become clear node errors', () => {
	const sim = useSimulator({ apiKey: KEY });

	const expectNoKey = (value: unknown) => expect(JSON.stringify(value)).not.toContain(KEY);

	it('401: invalid key or key of the other region, never echoing the key', async () => {
		const wrongKey = `${KEY}-of-another-region`;
		const result = await runStepFun(sim(), GEN, { apiKey: wrongKey });
		expect(result.error?.message).toBe('The API key was rejected (HTTP 401) [item 0]');
		expect(result.error?.description).toMatch(/region-bound/);
		expect(result.error?.description).toMatch(
			/StepFun said: "Incorrect API key provided" \(invalid_api_key\)/,
		);
		expect(result.error?.description).toMatch(/Trace ID: /);
		expect(result.error?.httpCode).toBe('401');
		expect(JSON.stringify(result.error)).not.toContain(wrongKey);
		expect(`${result.error?.message} ${result.error?.description}`).not.toContain(wrongKey);
		expect(sim().apiRequests()).toHaveLength(1);
	});

	it('402: balance', async () => {
		sim().setFaults({ insufficientBalance: true });
		const result = await runStepFun(sim(), GEN);
		expect(result.error?.message).toBe('Insufficient balance (HTTP 402) [item 0]');
		expect(result.error?.description).toMatch(/Top up/);
		expect(sim().apiRequests()).toHaveLength(1);
		expectNoKey(result.error);
	});

	it('451 and content_filtered: moderation, not retried', async () => {
		sim().setFaults({ blockedPrompts: ['forbidden'], filteredPrompts: ['filtered'] });
		const blocked = await runStepFun(sim(), { ...GEN, prompt: 'something forbidden' });
		expect(blocked.error?.message).toBe(
			'Blocked by StepFun content moderation (HTTP 451) [item 0]',
		);
		expect(blocked.error?.description).toMatch(/censorship_blocked/);
		const filtered = await runStepFun(sim(), { ...GEN, prompt: 'something filtered' });
		expect(filtered.error?.message).toMatch(
			/content moderation \(finish_reason: content_filtered\) \[item 0\]/,
		);
		expect(sim().apiRequests()).toHaveLength(2);
	});

	it('retired model (400 not supported), retired endpoint (404) and persistent 503 say so', async () => {
		sim().setFaults({ retiredModels: ['step-image-edit-2'] });
		const model = await runStepFun(sim(), GEN);
		expect(model.error?.message).toBe(
			'Model "step-image-edit-2" is not available (HTTP 400) [item 0]',
		);
		expect(model.error?.description).toMatch(/retired/);
		expect(sim().apiRequests()).toHaveLength(1);

		sim().reset();
		sim().setFaults({ retiredEndpoint: 404 });
		const gone = await runStepFun(sim(), GEN);
		expect(gone.error?.message).toBe('The image endpoint was not found (HTTP 404) [item 0]');
		expect(gone.error?.description).toMatch(/retired or unavailable/);
		expect(sim().apiRequests()).toHaveLength(1);

		sim().reset();
		sim().setFaults({ retiredEndpoint: 503 });
		const down = await runStepFun(sim(), { ...GEN, options: { maxRetries: 2 } });
		expect(down.error?.message).toBe(
			'The StepFun image service is unavailable (HTTP 503) [item 0]',
		);
		expect(down.error?.description).toMatch(
			/retired or temporarily unavailable.*Gave up after 3 attempts/,
		);
		expect(sim().apiRequests()).toHaveLength(3);
	});

	it("400 invalid parameter from the API is shown with StepFun's message", async () => {
		// A custom model has no local size table; the API judges the size.
		sim().setFaults({ extraModels: ['step-image-edit-3'] });
		const result = await runStepFun(sim(), {
			...GEN,
			model: 'custom',
			customModel: 'step-image-edit-3',
			size: '333x333',
		});
		expect(result.error?.message).toBe(
			'StepFun rejected the request as invalid (HTTP 400) [item 0]',
		);
		expect(result.error?.description).toMatch(
			/StepFun said: ".*size.*" \(request_params_invalid\)/,
		);
	});

	it.each([
		['no-data', /no "data" list of images/],
		['empty-b64', /empty base64 data/],
		['not-json', /non-JSON content/],
		['bad-b64', /(not valid base64|returned image is unusable)/],
	] as const)('malformed 200 response (%s) is a clear error', async (malformed, message) => {
		sim().setFaults({ malformed });
		const result = await runStepFun(sim(), GEN);
		expect(result.error?.message).toMatch(/^Unusable response from the StepFun API: /);
		expect(result.error?.message).toMatch(message);
		expect(sim().apiRequests()).toHaveLength(1);
	});

	it('an expired result URL is a clear download error', async () => {
		sim().setFaults({ urlExpired: true });
		const result = await runStepFun(sim(), {
			...GEN,
			options: { resultFormat: 'binaryFromUrl', maxRetries: 0 },
		});
		expect(result.error?.message).toMatch(
			/^Could not download the generated image from 127\.0\.0\.1:\d+: HTTP 404 \[item 0\]$/,
		);
	});

	it('a connection refused is explained with the Base URL', async () => {
		const result = await runStepFun(
			sim(),
			{ ...GEN, options: { maxRetries: 0 } },
			{ baseUrl: 'http://127.0.0.1:9/v1' },
		);
		expect(result.error?.message).toMatch(
			/^Could not reach the StepFun API \(connection refused\) \[item 0\]$/,
		);
		expect(result.error?.description).toMatch(
			/http:\/\/127\.0\.0\.1:9\/v1 failed \(ECONNREFUSED\)/,
		);
	});

	it('refuses a plain-http Base URL to a non-loopback host before sending anything', async () => {
		const result = await runStepFun(sim(), GEN, { baseUrl: 'http://api.example.com/v1' });
		expect(result.error?.message).toMatch(/must start with https:\/\//);
	});
});

describe('transient failures are retried', () => {
	const sim = useSimulator();

	it.each([
		['500, 502', [{ status: 500 }, { status: 502 }, null]],
		['504', [{ status: 504 }, null]],
		['connection reset', [{ reset: true }, null]],
		['truncated body', [{ truncate: true }, null]],
	] as const)('%s then success', async (_name, script) => {
		sim().setFaults({ script: [...script] });
		const result = await runStepFun(sim(), GEN);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.attempts).toBe(script.length);
		expect(pngSize(result.items[0].binary!.data.buffer)).toEqual({ width: 1024, height: 1024 });
		expect(sim().apiRequests()).toHaveLength(script.length);
	});

	it('a request that hangs past the timeout is retried', async () => {
		sim().setFaults({ script: [{ hangMs: 5000 }, null] });
		const result = await runStepFun(sim(), { ...GEN, options: { timeout: 1 } });
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.attempts).toBe(2);
	});

	it('stops after Max Retries and says how many attempts were made', async () => {
		sim().setFaults({ script: [{ status: 500 }, { status: 500 }, { status: 500 }] });
		const result = await runStepFun(sim(), { ...GEN, options: { maxRetries: 1 } });
		expect(result.error?.message).toBe('StepFun server error (HTTP 500) [item 0]');
		expect(result.error?.description).toMatch(/Gave up after 2 attempts/);
		expect(sim().apiRequests()).toHaveLength(2);
	});

	it('429 is retried after the Retry-After the API sends', async () => {
		sim().setFaults({ retryAfter: true, script: [{ status: 429 }, null] });
		const started = Date.now();
		const result = await runStepFun(sim(), GEN);
		expect(result.error).toBeUndefined();
		expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
		expect(sim().apiRequests()).toHaveLength(2);
	});

	it('429 gives up once Max Rate-Limit Wait is used up', async () => {
		sim().setFaults({ script: Array.from({ length: 10 }, () => ({ status: 429 })) });
		const result = await runStepFun(sim(), { ...GEN, options: { rateLimitWait: 2 } });
		expect(result.error?.message).toBe('StepFun rate limit reached (HTTP 429) [item 0]');
		expect(sim().apiRequests().length).toBeLessThan(10);
	});
});

describe('transport helpers', () => {
	it('parses Retry-After seconds and dates', () => {
		expect(parseRetryAfter('3')).toBe(3000);
		expect(parseRetryAfter(' 1.5 ')).toBe(1500);
		expect(parseRetryAfter('-5')).toBeUndefined();
		expect(parseRetryAfter('0')).toBe(0);
		expect(parseRetryAfter('99999999999')).toBe(2_147_483_647);
		expect(
			parseRetryAfter('Wed, 21 Oct 2015 07:28:00 GMT', Date.parse('Wed, 21 Oct 2015 07:29:00 GMT')),
		).toBe(0);
		expect(parseRetryAfter(undefined)).toBeUndefined();
		expect(
			parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT')),
		).toBe(5000);
	});

	it('finds network codes in wrapped errors', () => {
		const codeOf = (error: unknown) => networkFailureOf(error).code;
		expect(codeOf({ message: 'x', cause: { code: 'ECONNRESET' } })).toBe('ECONNRESET');
		expect(codeOf(new Error('timeout of 1000ms exceeded'))).toBe('ETIMEDOUT');
		expect(codeOf({ context: { cause: { code: 'ECONNREFUSED' } } })).toBe('ECONNREFUSED');
	});
});
