import {
	ENDPOINTS,
	isLoopbackHost,
	parseBaseUrl,
	resolveBaseUrl,
} from '../../../../nodes/StepFunImage/domain/endpoints';

describe('endpoints: one Base URL parser for the node and the credential', () => {
	it('maps each named endpoint to its base URL, Step Plan China by default', () => {
		expect(resolveBaseUrl(undefined, undefined)).toEqual({
			href: 'https://api.stepfun.com/step_plan/v1',
			origin: 'https://api.stepfun.com',
		});
		expect(resolveBaseUrl('stepPlanGlobal', '').href).toBe(ENDPOINTS.stepPlanGlobal);
		expect(resolveBaseUrl('openPlatformChina', '').href).toBe('https://api.stepfun.com/v1');
		expect(resolveBaseUrl('openPlatformGlobal', '').href).toBe('https://api.stepfun.ai/v1');
		expect(() => resolveBaseUrl('elsewhere', '')).toThrow(/Unknown endpoint "elsewhere"/);
	});

	it.each([
		['https://gw.example.com/v1/', 'https://gw.example.com/v1', 'https://gw.example.com'],
		['  https://GW.Example.com:443/v1//  ', 'https://gw.example.com/v1', 'https://gw.example.com'],
		[
			'http://127.0.0.1:8787/step_plan/v1',
			'http://127.0.0.1:8787/step_plan/v1',
			'http://127.0.0.1:8787',
		],
		['http://127.1:8787/v1', 'http://127.0.0.1:8787/v1', 'http://127.0.0.1:8787'],
		['http://localhost:1/v1', 'http://localhost:1/v1', 'http://localhost:1'],
		['http://[::1]:9/v1', 'http://[::1]:9/v1', 'http://[::1]:9'],
		['https://gw.example.com', 'https://gw.example.com', 'https://gw.example.com'],
	])('accepts %j as %s (origin %s)', (raw, href, origin) => {
		expect(parseBaseUrl(raw)).toEqual({ href, origin });
	});

	it.each([
		['http://gw.example.com/v1', /must start with https:\/\/.*travel unencrypted/],
		['http://127.0.0.1.evil.com/v1', /must start with https/],
		['http://0.0.0.0:8787/v1', /must start with https/],
		['\u0001http://gw.example.com/v1', /control characters/],
		['http:/\n/gw.example.com/v1', /control characters/],
		['https://gw.example.com/\tv1', /control characters/],
		['https://gw.example.com/ v1', /spaces or control characters/],
		['https://user:pw@gw.example.com/v1', /must not contain a user name or password/],
		['https://@gw.example.com/v1', /must not contain a user name or password/],
		['https://gw.example.com/v1?key=1', /query \("\?"\) or fragment/],
		['https://gw.example.com/v1?', /query/],
		['https://gw.example.com/v1#frag', /fragment/],
		['ftp://gw.example.com/v1', /uses "ftp:"; it must start with https/],
		['not a url', /spaces or control characters|not a valid URL/],
		['gw.example.com/v1', /not a valid URL/],
		['', /Base URL is empty/],
	])('refuses %j', (raw, message) => {
		expect(() => parseBaseUrl(raw)).toThrow(message);
	});

	it('never repeats a user password in its message', () => {
		expect(() => parseBaseUrl('https://user:hunter2@gw.example.com/v1')).toThrow(
			expect.objectContaining({ message: expect.not.stringContaining('hunter2') }),
		);
	});

	it('knows loopback hosts as the WHATWG parser writes them', () => {
		expect(['localhost', '127.0.0.1', '127.255.0.9', '[::1]'].map(isLoopbackHost)).toEqual([
			true,
			true,
			true,
			true,
		]);
		expect(['0.0.0.0', '128.0.0.1', 'localhost.example.com', '[::2]'].map(isLoopbackHost)).toEqual([
			false,
			false,
			false,
			false,
		]);
	});
});
