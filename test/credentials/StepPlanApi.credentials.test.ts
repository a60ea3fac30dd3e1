import { StepPlanApi } from '../../credentials/StepPlanApi.credentials';
import { ENDPOINTS } from '../../nodes/StepFunImage/helpers/endpoints';
import { testCredential } from '../support/n8n-harness';
import { useSimulator } from '../support/stepfun';

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

	it('upgrades a plain-http Base URL to a non-loopback host to https: the key never travels in clear text', async () => {
		// 0.0.0.0 reaches this machine but is not a loopback name: the test request must use TLS,
		// which the plain-http simulator cannot speak, so no HTTP request (and no key) arrives.
		const result = await testCredential({
			credentialType: new StepPlanApi(),
			data: {
				apiKey: sim().apiKey,
				endpoint: 'custom',
				baseUrl: `http://0.0.0.0:${sim().port}/step_plan/v1`,
			},
		});
		expect(result.status).toBe('Error');
		expect(sim().apiRequests()).toHaveLength(0);
	});

	it('embeds the same endpoint table the node uses', () => {
		const expression = new StepPlanApi().test.request.baseURL as string;
		expect(expression).toContain(JSON.stringify(ENDPOINTS));
		expect(expression).toContain("'stepPlanChina'");
	});

	it('declares Bearer auth, a password field and the endpoint options', () => {
		const credential = new StepPlanApi();
		expect(credential.authenticate.properties.headers).toEqual({
			Authorization: '=Bearer {{$credentials.apiKey}}',
		});
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
