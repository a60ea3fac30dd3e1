import { StepPlanApi } from '../../credentials/StepPlanApi.credentials';
import { ENDPOINTS, resolveBaseUrl } from '../../nodes/StepFunImage/domain/endpoints';
import { sendJson, startTestServer, testCredential } from '../support/harness/index.cjs';
import { useSimulator } from '../support/stepfun.cjs';

describe('Step Plan API credential', () => {
	const sim = useSimulator({ apiKey: 'sk-cred-test' });

	it('accepts a good key with GET /models and never generates an image', async () => {
		const result = await testCredential({
			credentialType: new StepPlanApi(),
			data: { apiKey: 'sk-cred-test', endpoint: 'custom', baseUrl: `${sim().stepPlanBaseUrl}/` },
		});
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(
			sim()
				.apiRequests()
				.map((r) => `${r.method} ${r.path}`),
		).toEqual(['GET /step_plan/v1/models']);
		expect(sim().apiRequests()[0].authorization).toBe('Bearer sk-cred-test');
	});

	it('works on the open platform path too', async () => {
		const result = await testCredential({
			credentialType: new StepPlanApi(),
			data: { apiKey: 'sk-cred-test', endpoint: 'custom', baseUrl: sim().openPlatformBaseUrl },
		});
		expect(result.status).toBe('OK');
		expect(sim().apiRequests()[0].path).toBe('/v1/models');
	});

	it('rejects a wrong key', async () => {
		const result = await testCredential({
			credentialType: new StepPlanApi(),
			data: { apiKey: 'sk-wrong', endpoint: 'custom', baseUrl: sim().stepPlanBaseUrl },
		});
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(
			/^The API key was rejected \(HTTP 401\)\. .*Endpoint matches its region/,
		);
		expect(result.message).not.toContain('sk-wrong');
	});

	it('says when the Base URL has no StepFun API behind it', async () => {
		const result = await testCredential({
			credentialType: new StepPlanApi(),
			data: { apiKey: sim().apiKey, endpoint: 'custom', baseUrl: `${sim().url}/nothing-here` },
		});
		expect(result).toEqual({
			status: 'Error',
			message: expect.stringMatching(/^No StepFun API at this address/),
		});
	});

	it.each([
		[
			'plain http to a non-loopback host',
			(port: number) => `http://0.0.0.0:${port}/step_plan/v1`,
			/must start with https/,
		],
		[
			'a leading control character',
			(port: number) => `\u0001http://localhost:${port}/step_plan/v1`,
			/control characters/,
		],
		[
			'a line break inside the scheme',
			(port: number) => `http:/\n/localhost:${port}/step_plan/v1`,
			/control characters/,
		],
		[
			'user and password',
			(port: number) => `http://user:pw@127.0.0.1:${port}/step_plan/v1`,
			/user name or password/,
		],
		['a query', (port: number) => `http://127.0.0.1:${port}/step_plan/v1?x=1`, /query/],
		['a fragment', (port: number) => `http://127.0.0.1:${port}/step_plan/v1#x`, /fragment/],
	])('refuses %s exactly as the node does, sending nothing', async (_name, baseUrl, message) => {
		const result = await testCredential({
			credentialType: new StepPlanApi(),
			data: { apiKey: sim().apiKey, endpoint: 'custom', baseUrl: baseUrl(sim().port) },
		});
		expect(result.status).toBe('Error');
		expect(result.message).toMatch(message);
		expect(result.message).not.toMatch(/pw@/);
		expect(sim().requests).toHaveLength(0);
		expect(() => resolveBaseUrl('custom', baseUrl(sim().port))).toThrow(message);
	});

	it('treats 127.1 as the loopback address the node also accepts', async () => {
		const baseUrl = `http://127.1:${sim().port}/step_plan/v1/`;
		const result = await testCredential({
			credentialType: new StepPlanApi(),
			data: { apiKey: sim().apiKey, endpoint: 'custom', baseUrl },
		});
		expect(result.status).toBe('OK');
		expect(
			sim()
				.apiRequests()
				.map((r) => r.path),
		).toEqual(['/step_plan/v1/models']);
		expect(resolveBaseUrl('custom', baseUrl).href).toBe(
			`http://127.0.0.1:${sim().port}/step_plan/v1`,
		);
	});

	it('never follows a redirect with the key: another origin receives nothing', async () => {
		const elsewhere = await startTestServer((_req, res) => sendJson(res, 200, { data: [] }));
		const redirecting = await startTestServer((_req, res) => {
			res.writeHead(307, { Location: `${elsewhere.url}/step_plan/v1/models` });
			res.end();
		});
		try {
			const result = await testCredential({
				credentialType: new StepPlanApi(),
				data: {
					apiKey: 'sk-cred-test',
					endpoint: 'custom',
					baseUrl: `${redirecting.url}/step_plan/v1`,
				},
			});
			expect(result.status).toBe('Error');
			expect(result.message).toMatch(/redirect/i);
			expect(redirecting.requests).toHaveLength(1);
			expect(redirecting.requests[0].headers.authorization).toBe('Bearer sk-cred-test');
			expect(elsewhere.requests).toHaveLength(0);
		} finally {
			await Promise.all([elsewhere.close(), redirecting.close()]);
		}
	});

	it('adds the key only to requests for the Base URL origin', async () => {
		const credential = new StepPlanApi();
		const data = { apiKey: 'sk-x', endpoint: 'custom', baseUrl: 'https://gw.example.com/v1' };
		const same = await credential.authenticate(data, {
			url: 'https://gw.example.com/v1/images/edits',
		});
		expect(same.headers).toEqual({ Authorization: 'Bearer sk-x' });
		for (const url of [
			'https://gw.example.com.evil.net/v1/images/edits',
			'http://gw.example.com/v1/images/edits',
			'https://gw.example.com:8443/v1',
			'//evil.net/v1',
		]) {
			await expect(credential.authenticate(data, { url })).rejects.toThrow(
				/only sent to https:\/\/gw\.example\.com/,
			);
		}
		// The Test's base URL is replaced by the parsed one.
		const test = await credential.authenticate(data, {
			baseURL: ' https://gw.example.com/v1/ ',
			url: '/models',
		});
		expect(test.baseURL).toBe('https://gw.example.com/v1');
		await expect(
			credential.authenticate(
				{ ...data, baseUrl: 'http://gw.example.com/v1' },
				{ url: 'http://gw.example.com/v1/x' },
			),
		).rejects.toThrow(/must start with https/);
	});

	it('embeds the same endpoint table the node uses', () => {
		const expression = new StepPlanApi().test.request.baseURL as string;
		expect(expression).toContain(JSON.stringify(ENDPOINTS));
		expect(expression).toContain("'stepPlanChina'");
	});

	it('declares a password field and the endpoint options', () => {
		const credential = new StepPlanApi();
		expect(credential.properties.find((p) => p.name === 'apiKey')?.typeOptions?.password).toBe(
			true,
		);
		const endpoint = credential.properties.find((p) => p.name === 'endpoint');
		expect(endpoint?.default).toBe('stepPlanChina');
		expect((endpoint?.options as Array<{ value: string }>).map((o) => o.value).sort()).toEqual([
			'custom',
			'openPlatformChina',
			'openPlatformGlobal',
			'stepPlanChina',
			'stepPlanGlobal',
		]);
	});
});
