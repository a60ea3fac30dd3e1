import { describeFailure, extractApiError } from '../../../../nodes/StepFunImage/domain/failures';
import { createRedactor } from '../../../../nodes/StepFunImage/domain/redact';
import { retryOf } from '../../../../nodes/StepFunImage/transport/retry';

describe('error mapping', () => {
	const base = {
		traceId: 'trace-123',
		model: 'step-image-edit-2',
		baseUrl: 'https://api.stepfun.com/step_plan/v1',
	};

	it('extracts StepFun error bodies', () => {
		expect(extractApiError({ error: { message: 'bad', type: 'request_params_invalid' } })).toEqual({
			message: 'bad',
			type: 'request_params_invalid',
		});
		expect(extractApiError('{"error":{"message":"m","code":"c"}}')).toEqual({
			message: 'm',
			type: 'c',
		});
		expect(extractApiError('<html>oops</html>')).toEqual({ message: '<html>oops</html>' });
	});

	it.each([
		[401, /API key was rejected/, /region-bound/, false],
		[402, /Insufficient balance/, /Top up/, false],
		[404, /endpoint was not found/, /retired or unavailable/, false],
		[429, /rate limit/, /Concurrency/, true],
		[451, /content moderation/, /Rephrase the prompt/, false],
		[500, /server error \(HTTP 500\)/, /Retry later/, true],
		[503, /unavailable \(HTTP 503\)/, /retired or temporarily unavailable/, true],
	])('HTTP %s says what happened and what to do', (status, message, description, retryable) => {
		const d = describeFailure({ ...base, status });
		expect(d.message).toMatch(message);
		expect(d.description).toMatch(description);
		expect(d.description).toMatch(/Trace ID: trace-123/);
		expect(retryOf(status) !== 'no').toBe(retryable);
	});

	it('recognises a retired or unknown model on 400', () => {
		const d = describeFailure({
			...base,
			status: 400,
			errorMessage: 'model step-image-edit-2 not supported',
			errorType: 'request_params_invalid',
		});
		expect(d.message).toMatch(/Model "step-image-edit-2" is not available/);
		expect(d.description).toMatch(/retired/);
		expect(d.description).toMatch(
			/StepFun said: "model step-image-edit-2 not supported" \(request_params_invalid\)/,
		);
	});

	it('explains timeouts and connection failures', () => {
		expect(describeFailure({ networkCode: 'ETIMEDOUT' }).message).toMatch(/did not answer in time/);
		const refused = describeFailure({ networkCode: 'ECONNREFUSED', baseUrl: 'http://127.0.0.1:1' });
		expect(refused.message).toBe('Could not reach the StepFun API (connection refused)');
		expect(refused.description).toMatch(/http:\/\/127.0.0.1:1 failed \(ECONNREFUSED\)/);
	});

	it('explains a redirect it did not follow', () => {
		const d = describeFailure({ ...base, status: 302, redirectTo: 'http://elsewhere:81/v1' });
		expect(d.message).toBe(
			'The StepFun API answered with a redirect (HTTP 302) to http://elsewhere:81/v1',
		);
		expect(d.description).toMatch(/only goes to the credential's Base URL/);
		expect(retryOf(302)).toBe('no');
	});
});

describe('redaction', () => {
	const redact = createRedactor('sk-secret/123');

	it('removes the key as is and URL-encoded', () => {
		expect(redact('bad key sk-secret/123 given')).toBe('bad key *** given');
		expect(redact('https://x/?k=sk-secret%2F123&sk-secret/123')).toBe('https://x/?k=***&***');
	});

	it('turns control characters into spaces so no forged log line gets through', () => {
		expect(redact('a\r\nINFO fake\u0000\u2028b')).toBe('a INFO fake b');
	});

	it('caps the length and passes absent values through', () => {
		expect(redact('x'.repeat(20), 5)).toBe('xxxxx…');
		expect(redact(undefined)).toBeUndefined();
		expect(redact('')).toBeUndefined();
		expect(redact(42)).toBe('42');
		expect(createRedactor(undefined)('sk-secret/123')).toBe('sk-secret/123');
	});
});
