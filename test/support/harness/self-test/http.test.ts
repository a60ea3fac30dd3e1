// runNode(): HTTP through n8n-core's real request helpers with the credential applied, errors
// (NodeApiError, continueOnFail) and cancellation.
import { NodeApiError } from 'n8n-workflow';

import { delay, runNode } from '../index.cjs';
import { Dummy, DummyApi, observed, useDummyServer } from './dummy';

const env = useDummyServer();

describe('runNode: HTTP with credentials', () => {
	it('httpRequestWithAuthentication sends the Bearer header from the credential', async () => {
		const result = await runNode({
			node: new Dummy(),
			credentialTypes: [new DummyApi()],
			credentials: env.credentials(),
			parameters: { operation: 'call', text: '={{ $json.prompt }}' },
			items: [{ json: { prompt: 'p1' } }, { json: { prompt: 'p2' } }],
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json)).toEqual([
			{ echoed: { text: 'p1' } },
			{ echoed: { text: 'p2' } },
		]);
		expect(env.server.requests.map((request) => request.headers.authorization)).toEqual([
			'Bearer sk-test-123',
			'Bearer sk-test-123',
		]);
		expect(env.server.requests[0].path).toBe('/echo');
		expect(result.authenticatedRequests).toHaveLength(2);
	});

	it('surfaces the NodeApiError instance (httpCode, message) when not continueOnFail', async () => {
		const result = await runNode({
			node: new Dummy(),
			credentialTypes: [new DummyApi()],
			credentials: env.credentials(),
			parameters: { operation: 'call', path: '/fail' },
		});
		expect(result.status).toBe('error');
		expect(result.error).toBeInstanceOf(NodeApiError);
		expect(result.error?.httpCode).toBe('400');
		expect(result.error?.message).toContain('Bad request');
		expect(result.error?.description).toBe('bad prompt');
		expect(result.items).toEqual([]);
	});

	it('continueOnFail: the error becomes an output item and the run succeeds', async () => {
		const result = await runNode({
			node: new Dummy(),
			credentialTypes: [new DummyApi()],
			credentials: env.credentials(),
			parameters: { operation: 'call', path: '={{ $json.path }}' },
			items: [{ json: { path: '/fail' } }, { json: { path: '/echo' } }],
			continueOnFail: true,
		});
		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(result.items).toHaveLength(2);
		expect(result.items[0].json.error).toContain('Bad request');
		expect(observed.errorName).toBe('NodeApiError');
		expect(result.items[0].pairedItem).toEqual({ item: 0 });
		expect(result.items[1].json).toEqual({ echoed: { text: '' } });
	});
});

describe('runNode: cancellation', () => {
	it('aborting the signal cancels the execution and aborts getExecutionCancelSignal()', async () => {
		const controller = new AbortController();
		const running = runNode({
			node: new Dummy(),
			credentialTypes: [new DummyApi()],
			credentials: env.credentials(),
			parameters: { operation: 'call', path: '/hang' },
			signal: controller.signal,
		});
		for (let i = 0; i < 200 && env.server.requests.length === 0; i++) await delay(10);
		expect(env.server.requests).toHaveLength(1);
		controller.abort();
		const result = await running;
		expect(result.canceled).toBe(true);
		expect(result.status).toBe('canceled');
		expect(observed.cancelSignalAborted).toBe(true);
	});
});
