// testCredential(): the credential's test request through n8n-core's real RoutingNode, as n8n's
// CredentialsTester runs it.
import { sendJson, startTestServer, testCredential } from '../index.cjs';
import { DummyApi, useDummyServer } from './dummy';

const env = useDummyServer();

describe('testCredential', () => {
	it('OK when the test request succeeds, with baseURL from the credential and the Bearer header', async () => {
		const result = await testCredential({
			credentialType: new DummyApi(),
			data: { apiKey: 'sk-good', endpoint: 'custom', baseUrl: `${env.server.url}/` },
		});
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(env.server.requests.map((request) => request.url)).toEqual(['/v1/models']);
		expect(env.lastAuth).toBe('Bearer sk-good');
	});

	it('Error with the HTTP status text on 401', async () => {
		env.server.setHandler((req, res) => sendJson(res, 401, { error: 'invalid key' }));
		const result = await testCredential({
			credentialType: new DummyApi(),
			data: { apiKey: 'sk-bad', endpoint: 'custom', baseUrl: env.server.url },
		});
		expect(result).toEqual({ status: 'Error', message: 'Unauthorized' });
	});

	it('Error with the network error code when nothing listens', async () => {
		const closed = await startTestServer();
		const url = closed.url;
		await closed.close();
		const result = await testCredential({
			credentialType: new DummyApi(),
			data: { apiKey: 'sk', endpoint: 'custom', baseUrl: url },
		});
		expect(result).toEqual({ status: 'Error', message: 'ECONNREFUSED' });
	});
});
