import { ENDPOINTS, resolveBaseUrl } from '../../../../nodes/StepFunImage/helpers/endpoints';

describe('endpoints', () => {
	it('maps each named endpoint to its base URL, Step Plan China by default', () => {
		expect(resolveBaseUrl(undefined, undefined)).toBe('https://api.stepfun.com/step_plan/v1');
		expect(resolveBaseUrl('stepPlanGlobal', '')).toBe(ENDPOINTS.stepPlanGlobal);
		expect(resolveBaseUrl('openPlatformChina', '')).toBe('https://api.stepfun.com/v1');
		expect(resolveBaseUrl('openPlatformGlobal', '')).toBe('https://api.stepfun.ai/v1');
	});

	it('accepts https and loopback http custom URLs, trimming trailing slashes', () => {
		expect(resolveBaseUrl('custom', 'https://gw.example.com/v1/')).toBe(
			'https://gw.example.com/v1',
		);
		expect(resolveBaseUrl('custom', 'http://127.0.0.1:8787/step_plan/v1')).toBe(
			'http://127.0.0.1:8787/step_plan/v1',
		);
		expect(resolveBaseUrl('custom', 'http://localhost:1/v1')).toBe('http://localhost:1/v1');
	});

	it('refuses plain http to other hosts and invalid URLs', () => {
		expect(() => resolveBaseUrl('custom', 'http://gw.example.com/v1')).toThrow(
			/must start with https:\/\//,
		);
		expect(() => resolveBaseUrl('custom', 'http://127.0.0.1.evil.com/v1')).toThrow(/https/);
		expect(() => resolveBaseUrl('custom', 'not a url')).toThrow(/not a valid URL/);
	});
});
