import {
	NodeApiError,
	NodeConnectionTypes,
	type IAuthenticateGeneric,
	type ICredentialDataDecryptedObject,
	type ICredentialTestRequest,
	type ICredentialType,
	type IDataObject,
	type IExecuteFunctions,
	type INodeExecutionData,
	type INodeProperties,
	type INodeType,
	type INodeTypeDescription,
} from 'n8n-workflow';

import {
	delay,
	fileExists,
	getBinaryFilePath,
	runNode,
	sendJson,
	startTestServer,
	testCredential,
	type TestServer,
} from './index';

// ---------------------------------------------------------------------------------------------
// Dummy credential + node (shaped like the project's StepPlanApi / StepFunImage)
// ---------------------------------------------------------------------------------------------

class DummyApi implements ICredentialType {
	name = 'dummyApi';

	displayName = 'Dummy API';

	documentationUrl = 'https://example.com/docs';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			default: '',
		},
		{
			displayName: 'Endpoint',
			name: 'endpoint',
			type: 'options',
			options: [
				{ name: 'Public', value: 'public' },
				{ name: 'Custom', value: 'custom' },
			],
			default: 'public',
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.apiKey}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL:
				'={{ $credentials.endpoint === "custom" ? $credentials.baseUrl.replace(/\\/+$/, "") : "https://api.invalid" }}/v1',
			url: '/models',
		},
	};
}

/** What nodes saw at run time, for assertions the output data cannot carry (e.g. after a cancel). */
const observed: { cancelSignalAborted?: boolean; errorName?: string } = {};

const description: INodeTypeDescription = {
	displayName: 'Dummy',
	name: 'dummy',
	icon: 'fa:vial',
	group: ['transform'],
	version: [1, 2],
	subtitle: '={{ $parameter["operation"] }}',
	description: 'Harness self-test node',
	defaults: { name: 'Dummy' },
	usableAsTool: true,
	inputs: [NodeConnectionTypes.Main],
	outputs: [NodeConnectionTypes.Main],
	credentials: [{ name: 'dummyApi', required: true }],
	properties: [
		{
			displayName: 'Operation',
			name: 'operation',
			type: 'options',
			noDataExpression: true,
			options: [
				{ name: 'Binary', value: 'binary' },
				{ name: 'Call API', value: 'call' },
				{ name: 'Echo', value: 'echo' },
			],
			default: 'echo',
		},
		{ displayName: 'Text', name: 'text', type: 'string', default: '' },
		{ displayName: 'Path', name: 'path', type: 'string', default: '/echo' },
		{ displayName: 'Binary Field', name: 'binaryField', type: 'string', default: 'data' },
	],
};

async function streamToBuffer(stream: AsyncIterable<Buffer | string>): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
	return Buffer.concat(chunks);
}

async function processItem(this: IExecuteFunctions, i: number): Promise<INodeExecutionData> {
	try {
		const operation = this.getNodeParameter('operation', i) as string;
		if (operation === 'echo') {
			return {
				json: { text: this.getNodeParameter('text', i) as string, version: this.getNode().typeVersion },
				pairedItem: { item: i },
			};
		}
		if (operation === 'binary') {
			const field = this.getNodeParameter('binaryField', i) as string;
			const meta = this.helpers.assertBinaryData(i, field);
			const viaBuffer = await this.helpers.getBinaryDataBuffer(i, field);
			const viaStream = meta.id ? await streamToBuffer(await this.helpers.getBinaryStream(meta.id)) : undefined;
			const result = Buffer.from(viaBuffer.toString('utf8').toUpperCase(), 'utf8');
			return {
				json: {
					inputId: meta.id ?? null,
					inputInline: meta.id ? null : meta.data,
					viaBuffer: viaBuffer.toString('utf8'),
					viaStream: viaStream ? viaStream.toString('utf8') : null,
				},
				binary: { data: await this.helpers.prepareBinaryData(result, 'upper.txt', 'text/plain') },
				pairedItem: { item: i },
			};
		}
		const credentials = await this.getCredentials('dummyApi');
		// Errors from n8n-core's request helpers (NodeApiError) propagate untouched.
		const response = (await this.helpers.httpRequestWithAuthentication.call(this, 'dummyApi', {
			method: 'POST',
			baseURL: credentials.baseUrl as string,
			url: this.getNodeParameter('path', i) as string,
			body: { text: this.getNodeParameter('text', i) as string },
			json: true,
		})) as IDataObject;
		return { json: response, pairedItem: { item: i } };
	} finally {
		observed.cancelSignalAborted = this.getExecutionCancelSignal()?.aborted;
	}
}

class Dummy implements INodeType {
	description = description;

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		const items = this.getInputData();
		const out: INodeExecutionData[] = [];
		for (let i = 0; i < items.length; i++) {
			if (!this.continueOnFail()) {
				out.push(await processItem.call(this, i));
				continue;
			}
			try {
				out.push(await processItem.call(this, i));
			} catch (error) {
				observed.errorName = (error as Error).name;
				out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
			}
		}
		return [out];
	}
}

// ---------------------------------------------------------------------------------------------

let server: TestServer;
let lastAuth: string | undefined;

beforeAll(async () => {
	server = await startTestServer();
});

afterAll(async () => {
	await server.close();
});

beforeEach(() => {
	observed.cancelSignalAborted = undefined;
	observed.errorName = undefined;
	lastAuth = undefined;
	server.requests.length = 0;
	server.setHandler((req, res, body) => {
		lastAuth = req.headers.authorization as string | undefined;
		if (req.url === '/v1/models') return sendJson(res, 200, { data: [{ id: 'model-a' }] });
		if (req.url === '/fail') return sendJson(res, 400, { error: { message: 'bad prompt' } });
		if (req.url === '/hang') return; // never answers: only a cancel ends this request
		sendJson(res, 200, { echoed: JSON.parse(body.toString('utf8') || '{}') as IDataObject });
	});
});

function credentials(): Record<string, ICredentialDataDecryptedObject> {
	return { dummyApi: { apiKey: 'sk-test-123', endpoint: 'custom', baseUrl: server.url } };
}

describe('runNode: items, pairedItem, expressions', () => {
	it('resolves expression parameters per item and keeps pairedItem', async () => {
		const result = await runNode({
			node: new Dummy(),
			credentialTypes: [new DummyApi()],
			credentials: credentials(),
			parameters: { operation: 'echo', text: '={{ $json.prompt }} #{{ $itemIndex }}' },
			items: [{ json: { prompt: 'a cat' } }, { json: { prompt: 'a dog' } }, { json: { prompt: 'a fox' } }],
		});
		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(result.items.map((item) => item.json.text)).toEqual(['a cat #0', 'a dog #1', 'a fox #2']);
		expect(result.items.map((item) => item.pairedItem)).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(result.items[0].json.version).toBe(2);
		expect(result.raw.data.resultData.runData['Node Under Test']).toHaveLength(1);
	});

	it('runs the requested typeVersion', async () => {
		const result = await runNode({
			node: new Dummy(),
			credentialTypes: [new DummyApi()],
			credentials: credentials(),
			parameters: { operation: 'echo', text: 'x' },
			typeVersion: 1,
		});
		expect(result.items[0].json.version).toBe(1);
	});
});

describe('runNode: binary data through the real BinaryDataService', () => {
	it('default mode: inline base64 in, binary out', async () => {
		const result = await runNode({
			node: new Dummy(),
			credentialTypes: [new DummyApi()],
			credentials: credentials(),
			parameters: { operation: 'binary' },
			binaryMode: 'default',
			items: [{ json: {}, binary: { data: { data: Buffer.from('hello'), mimeType: 'text/plain', fileName: 'h.txt' } } }],
		});
		expect(result.error).toBeUndefined();
		const [item] = result.items;
		expect(item.json).toEqual({
			inputId: null,
			inputInline: Buffer.from('hello').toString('base64'),
			viaBuffer: 'hello',
			viaStream: null,
		});
		expect(item.binary?.data.buffer.toString('utf8')).toBe('HELLO');
		expect(item.binary?.data.id).toBeUndefined();
		expect(item.binary?.data).toMatchObject({ mimeType: 'text/plain', fileName: 'upper.txt', bytes: 5 });
	});

	it('filesystem mode: the input binary lives on disk and the node reads it back', async () => {
		const result = await runNode({
			node: new Dummy(),
			credentialTypes: [new DummyApi()],
			credentials: credentials(),
			parameters: { operation: 'binary' },
			binaryMode: 'filesystem',
			items: [
				{ json: {}, binary: { data: { data: Buffer.from('from disk'), mimeType: 'text/plain', fileName: 'd.txt' } } },
			],
		});
		expect(result.error).toBeUndefined();

		// What the start node emitted: a reference, not the bytes.
		const input = result.raw.data.resultData.runData['Harness Input'][0].data!.main[0]![0].binary!.data;
		expect(input.id).toMatch(/^filesystem-v2:/);
		expect(input.data).toBe('filesystem-v2');
		expect(input.data).not.toBe(Buffer.from('from disk').toString('base64'));
		expect(fileExists(getBinaryFilePath(input.id!))).toBe(true);

		const [item] = result.items;
		expect(item.json).toEqual({ inputId: input.id, inputInline: null, viaBuffer: 'from disk', viaStream: 'from disk' });
		expect(item.binary?.data.id).toMatch(/^filesystem-v2:/);
		expect(fileExists(getBinaryFilePath(item.binary!.data.id!))).toBe(true);
		expect(item.binary?.data.buffer.toString('utf8')).toBe('FROM DISK');
	});
});

describe('runNode: HTTP with credentials', () => {
	it('httpRequestWithAuthentication sends the Bearer header from the credential', async () => {
		const result = await runNode({
			node: new Dummy(),
			credentialTypes: [new DummyApi()],
			credentials: credentials(),
			parameters: { operation: 'call', text: '={{ $json.prompt }}' },
			items: [{ json: { prompt: 'p1' } }, { json: { prompt: 'p2' } }],
		});
		expect(result.error).toBeUndefined();
		expect(result.items.map((item) => item.json)).toEqual([{ echoed: { text: 'p1' } }, { echoed: { text: 'p2' } }]);
		expect(server.requests.map((request) => request.headers.authorization)).toEqual([
			'Bearer sk-test-123',
			'Bearer sk-test-123',
		]);
		expect(server.requests[0].path).toBe('/echo');
		expect(result.authenticatedRequests).toHaveLength(2);
	});

	it('surfaces the NodeApiError instance (httpCode, message) when not continueOnFail', async () => {
		const result = await runNode({
			node: new Dummy(),
			credentialTypes: [new DummyApi()],
			credentials: credentials(),
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
			credentials: credentials(),
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
			credentials: credentials(),
			parameters: { operation: 'call', path: '/hang' },
			signal: controller.signal,
		});
		for (let i = 0; i < 200 && server.requests.length === 0; i++) await delay(10);
		expect(server.requests).toHaveLength(1);
		controller.abort();
		const result = await running;
		expect(result.canceled).toBe(true);
		expect(result.status).toBe('canceled');
		expect(observed.cancelSignalAborted).toBe(true);
	});
});

describe('testCredential', () => {
	it('OK when the test request succeeds, with baseURL from the credential and the Bearer header', async () => {
		const result = await testCredential({
			credentialType: new DummyApi(),
			data: { apiKey: 'sk-good', endpoint: 'custom', baseUrl: `${server.url}/` },
		});
		expect(result).toEqual({ status: 'OK', message: 'Connection successful!' });
		expect(server.requests.map((request) => request.url)).toEqual(['/v1/models']);
		expect(lastAuth).toBe('Bearer sk-good');
	});

	it('Error with the HTTP status text on 401', async () => {
		server.setHandler((req, res) => sendJson(res, 401, { error: 'invalid key' }));
		const result = await testCredential({
			credentialType: new DummyApi(),
			data: { apiKey: 'sk-bad', endpoint: 'custom', baseUrl: server.url },
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
