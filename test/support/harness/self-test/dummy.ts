// A dummy credential + node for the harness self-tests (shaped like the project's StepPlanApi /
// StepFunImage), and a local test server they call.
import {
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

import { sendJson, startTestServer, type TestServer } from '../index.cjs';

export class DummyApi implements ICredentialType {
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
export const observed: { cancelSignalAborted?: boolean; errorName?: string } = {};

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
	for await (const chunk of stream)
		chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
	return Buffer.concat(chunks);
}

async function processItem(this: IExecuteFunctions, i: number): Promise<INodeExecutionData> {
	try {
		const operation = this.getNodeParameter('operation', i) as string;
		if (operation === 'echo') {
			return {
				json: {
					text: this.getNodeParameter('text', i) as string,
					version: this.getNode().typeVersion,
				},
				pairedItem: { item: i },
			};
		}
		if (operation === 'binary') {
			const field = this.getNodeParameter('binaryField', i) as string;
			const meta = this.helpers.assertBinaryData(i, field);
			const viaBuffer = await this.helpers.getBinaryDataBuffer(i, field);
			const viaStream = meta.id
				? await streamToBuffer(await this.helpers.getBinaryStream(meta.id))
				: undefined;
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

export class Dummy implements INodeType {
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

export interface DummyServer {
	readonly server: TestServer;
	/** The Authorization header of the last request the server saw (reset before each test). */
	readonly lastAuth: string | undefined;
	/** Credential data for the dummy node, pointing at the server. */
	credentials(): Record<string, ICredentialDataDecryptedObject>;
}

/**
 * One test server for the file: started before, closed after; before each test its requests are
 * cleared, `observed` is reset and the dummy API handler is installed again.
 */
export function useDummyServer(): DummyServer {
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
		server.setHandler((req, res, { body }) => {
			lastAuth = req.headers.authorization as string | undefined;
			if (req.url === '/v1/models') return sendJson(res, 200, { data: [{ id: 'model-a' }] });
			if (req.url === '/fail') return sendJson(res, 400, { error: { message: 'bad prompt' } });
			if (req.url === '/hang') return; // never answers: only a cancel ends this request
			sendJson(res, 200, { echoed: JSON.parse(body.toString('utf8') || '{}') as IDataObject });
		});
	});

	return {
		get server() {
			return server;
		},
		get lastAuth() {
			return lastAuth;
		},
		credentials() {
			return { dummyApi: { apiKey: 'sk-test-123', endpoint: 'custom', baseUrl: server.url } };
		},
	};
}
