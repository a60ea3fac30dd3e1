'use strict';
/**
 * Test harness that runs an n8n node class through n8n's real execution code.
 *
 * - `runNode()` builds a two-node workflow ("Harness Input" -> node under test) and runs it with
 *   n8n-core's real `WorkflowExecute` (so expression parameters, pairedItem, `onError`/continueOnFail,
 *   the execution cancel signal and the `ExecuteContext` helpers are n8n's own code).
 * - Binary data goes through n8n-core's real `BinaryDataService`, either in "default" (inline base64)
 *   mode or in "filesystem" mode backed by a temp directory.
 * - HTTP goes through n8n-core's real `httpRequest` / `httpRequestWithAuthentication` (axios inside
 *   @n8n/backend-network). Credentials are applied by `HarnessCredentialsHelper`, which mirrors n8n's
 *   CLI `CredentialsHelper` (generic `authenticate`, defaults from the credential's properties,
 *   `={{ ... }}` expressions resolved with n8n-workflow's expression machinery).
 * - `testCredential()` mirrors n8n's `CredentialsTester` (a temp node whose `routing.request` is the
 *   credential's `test.request`, run through n8n-core's real `RoutingNode`).
 *
 * This file is plain CommonJS on purpose: the repo's strict n8n lint forbids Node built-ins,
 * `process` and timers in every .ts file, tests included.
 */

const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const http = require('node:http');
const { createRequire } = require('node:module');

const core = require('n8n-core');
const wf = require('n8n-workflow');

// n8n-core ships its own copies of @n8n/di and @n8n/backend-common (nested node_modules); the
// singletons it reads (Container, Logger class) must come from the same copies.
const coreRequire = createRequire(require.resolve('n8n-core'));
const { Container } = coreRequire('@n8n/di');
const { Logger } = coreRequire('@n8n/backend-common');

const {
	BinaryDataService,
	ErrorReporter,
	ExecuteContext,
	ExecutionLifecycleHooks,
	InstanceSettings,
	RoutingNode,
	WorkflowExecute,
	getAdditionalKeys,
} = core;
const {
	ICredentialsHelper,
	NodeConnectionTypes,
	NodeHelpers,
	UnexpectedError,
	Workflow,
	isExpression,
} = wf;

function createDeferredPromise() {
	let resolve;
	let reject;
	const promise = new Promise((res, rej) => {
		resolve = res;
		reject = rej;
	});
	return { promise, resolve, reject };
}

const INPUT_NODE_NAME = 'Harness Input';
const INPUT_NODE_TYPE = 'n8n-nodes-harness.input';
const DEFAULT_NODE_NAME = 'Node Under Test';

// ---------------------------------------------------------------------------------------------
// One-time environment: temp n8n user folder, silent logger, recording error reporter.
// ---------------------------------------------------------------------------------------------

const tempDirs = new Set();
function makeTempDir(prefix) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	tempDirs.add(dir);
	return dir;
}
function removeTempDir(dir) {
	try {
		fs.rmSync(dir, { recursive: true, force: true });
	} catch {
		// best effort
	}
	tempDirs.delete(dir);
}

const silentLogger = {
	error() {},
	warn() {},
	info() {},
	debug() {},
	scoped() {
		return silentLogger;
	},
};

/** Errors n8n-core hands to its ErrorReporter (it reports unexpected node errors there). */
const reportedErrors = [];
const recordingErrorReporter = {
	error(error, options) {
		reportedErrors.push({ error, options });
	},
	warn() {},
	info() {},
	// Some call sites use these; keep them harmless.
	async init() {},
	async shutdown() {},
};

let userFolder;
let bootstrapped = false;
function bootstrap() {
	if (bootstrapped) return;
	bootstrapped = true;
	Container.set(Logger, silentLogger);
	Container.set(ErrorReporter, recordingErrorReporter);
	wf.LoggerProxy.init(silentLogger);

	// InstanceSettings (read by every node execution context, and by Cipher) is n8n-core's real class;
	// point it at a temp user folder so it does not create ~/.n8n/config. Env is restored right after
	// construction (the values are read once).
	userFolder = makeTempDir('n8n-harness-user-');
	const saved = {
		N8N_USER_FOLDER: process.env.N8N_USER_FOLDER,
		N8N_ENCRYPTION_KEY: process.env.N8N_ENCRYPTION_KEY,
	};
	process.env.N8N_USER_FOLDER = userFolder;
	process.env.N8N_ENCRYPTION_KEY = 'n8n-harness-encryption-key';
	try {
		Container.get(InstanceSettings);
	} finally {
		for (const [key, value] of Object.entries(saved)) {
			if (value === undefined) delete process.env[key];
			else process.env[key] = value;
		}
	}
}

// ---------------------------------------------------------------------------------------------
// Binary data: a real BinaryDataService per mode.
// ---------------------------------------------------------------------------------------------

const binaryServices = {};
let binaryStorageRoot;

/**
 * Returns n8n-core's real BinaryDataService for the mode and makes it the one n8n-core's helpers use
 * (`Container.get(BinaryDataService)`). Runs must not overlap with different modes.
 */
async function useBinaryDataMode(mode) {
	bootstrap();
	if (mode !== 'default' && mode !== 'filesystem') {
		throw new UnexpectedError(`Unsupported binary mode "${mode}" (use "default" or "filesystem")`);
	}
	if (!binaryServices[mode]) {
		binaryStorageRoot ??= makeTempDir('n8n-harness-binary-');
		const config = {
			mode,
			availableModes: ['filesystem'],
			localStoragePath: path.join(binaryStorageRoot, mode),
			signingSecret: 'n8n-harness-signing-secret',
			dbMaxFileSize: 512,
		};
		const service = new BinaryDataService(config, recordingErrorReporter, silentLogger);
		await service.init();
		binaryServices[mode] = service;
	}
	Container.set(BinaryDataService, binaryServices[mode]);
	return binaryServices[mode];
}

/** Storage path of the filesystem-mode store (for tests that want to look at the files). */
function getBinaryStoragePath(mode = 'filesystem') {
	return binaryServices[mode]?.config.localStoragePath;
}

// ---------------------------------------------------------------------------------------------
// Credential types + a CredentialsHelper that behaves like n8n's CLI one.
// ---------------------------------------------------------------------------------------------

class HarnessCredentialsHelper extends ICredentialsHelper {
	constructor(credentialTypes = [], credentials = {}) {
		super();
		this.types = new Map();
		for (const type of credentialTypes) this.types.set(type.name, type);
		this.credentialsByType = { ...credentials };
		/** Every request options object after `authenticate` ran (for assertions). */
		this.authenticatedRequests = [];
	}

	getType(typeName) {
		const type = this.types.get(typeName);
		if (!type) {
			throw new UnexpectedError(`Unknown credential type "${typeName}" (pass it in credentialTypes)`);
		}
		return type;
	}

	getParentTypes(typeName) {
		const type = this.types.get(typeName);
		if (!type?.extends) return [];
		const parents = [];
		for (const parent of type.extends) {
			parents.push(parent, ...this.getParentTypes(parent));
		}
		return parents;
	}

	isCredentialUsableByNode(credentialType, nodeType) {
		const type = this.types.get(credentialType);
		if (!type?.restrictToSupportedNodes) return true;
		const shortName = String(nodeType).split('.').pop();
		return (type.supportedNodes ?? []).some((name) => name === nodeType || name === shortName);
	}

	/** Same algorithm as packages/cli/src/credentials-helper.ts `authenticate`. */
	async authenticate(credentials, typeName, incomingRequestOptions, workflow, node) {
		const requestOptions = incomingRequestOptions;
		const credentialType = this.getType(typeName);
		const { authenticate } = credentialType;
		if (typeof authenticate === 'function') {
			const result = await authenticate(credentials, requestOptions);
			this.authenticatedRequests.push(result);
			return result;
		}
		if (authenticate && typeof authenticate === 'object') {
			if (!workflow || !node) {
				throw new UnexpectedError('Workflow and node are required for declarative credential authentication');
			}
			if (requestOptions.headers === undefined) requestOptions.headers = {};
			if (authenticate.type === 'generic') {
				for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
					for (const [key, value] of Object.entries(outerValue)) {
						const keyResolved = this.resolveValue(key, { $credentials: credentials }, workflow, node);
						const valueResolved = this.resolveValue(value, { $credentials: credentials }, workflow, node);
						if (!requestOptions[outerKey]) requestOptions[outerKey] = {};
						requestOptions[outerKey][keyResolved] = valueResolved;
					}
				}
			}
		}
		this.authenticatedRequests.push(requestOptions);
		return requestOptions;
	}

	resolveValue(parameterValue, additionalKeys, workflow, node) {
		if (!isExpression(parameterValue)) return parameterValue;
		const returnValue = workflow.expression.getSimpleParameterValue(
			node,
			parameterValue,
			'internal',
			additionalKeys,
			undefined,
			'',
		);
		if (!returnValue) return '';
		return returnValue.toString();
	}

	async preAuthentication(helpers, credentials, typeName, node, credentialsExpired) {
		const credentialType = this.getType(typeName);
		const expirableProperty = credentialType.properties.find(
			(property) => property.type === 'hidden' && property?.typeOptions?.expirable === true,
		);
		if (expirableProperty?.name === undefined) return undefined;
		const isTestingCredentials = node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';
		if (typeof credentialType.preAuthentication === 'function') {
			if (credentials[expirableProperty.name] === '' || credentialsExpired || isTestingCredentials) {
				const output = await credentialType.preAuthentication.call(helpers, credentials);
				if (output[expirableProperty.name] === undefined) return undefined;
				this.credentialsByType[typeName] = { ...this.credentialsByType[typeName], ...output };
				return Object.assign(credentials, output);
			}
		}
		return undefined;
	}

	async runPreAuthentication(helpers, credentials, typeName) {
		const credentialType = this.getType(typeName);
		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		return (await credentialType.preAuthentication.call(helpers, credentials)) ?? undefined;
	}

	async getCredentials(nodeCredentials, type) {
		const credentials = new core.Credentials({ id: nodeCredentials.id, name: nodeCredentials.name }, type);
		await credentials.setData(this.credentialsByType[type] ?? {});
		return credentials;
	}

	async getDecrypted(additionalData, nodeCredentials, type, mode, executeData, raw, expressionResolveValues) {
		const stored = this.credentialsByType[type];
		if (stored === undefined) {
			throw new UnexpectedError(`No credentials of type "${type}" were given to the harness`);
		}
		const data = structuredClone(stored);
		if (raw === true) return data;
		return this.applyDefaultsAndOverwrites(additionalData, data, type, mode, executeData, expressionResolveValues);
	}

	/** Same steps as the CLI's applyDefaultsAndOverwrites (minus overwrites / external secrets). */
	async applyDefaultsAndOverwrites(additionalData, decryptedDataOriginal, type, mode, executeData, expressionResolveValues) {
		const credentialsProperties = this.getCredentialsProperties(type);
		let decryptedData = NodeHelpers.getNodeParameters(
			credentialsProperties,
			{ ...decryptedDataOriginal },
			true,
			false,
			null,
			null,
		);
		if (decryptedDataOriginal.oauthTokenData !== undefined) {
			decryptedData.oauthTokenData = decryptedDataOriginal.oauthTokenData;
		}
		const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });
		if (expressionResolveValues) {
			try {
				decryptedData = expressionResolveValues.workflow.expression.getParameterValue(
					decryptedData,
					expressionResolveValues.runExecutionData,
					expressionResolveValues.runIndex,
					expressionResolveValues.itemIndex,
					expressionResolveValues.node.name,
					expressionResolveValues.connectionInputData,
					mode,
					additionalKeys,
					executeData,
					false,
					decryptedData,
				);
			} catch (e) {
				e.message += ' [Error resolving credentials]';
				throw e;
			}
		} else {
			const mockNode = { name: '', typeVersion: 1, type: 'mock', position: [0, 0], parameters: {} };
			const workflow = new Workflow({
				nodes: [mockNode],
				connections: {},
				active: false,
				nodeTypes: mockNodeTypes({}),
			});
			decryptedData = workflow.expression.getComplexParameterValue(
				mockNode,
				decryptedData,
				mode,
				additionalKeys,
				undefined,
				undefined,
				decryptedData,
			);
		}
		return decryptedData;
	}

	async updateCredentials(nodeCredentials, type, data) {
		this.credentialsByType[type] = { ...data };
	}

	async updateCredentialsOauthTokenData(nodeCredentials, type, data) {
		this.credentialsByType[type] = { ...this.credentialsByType[type], oauthTokenData: data.oauthTokenData };
	}

	getCredentialsProperties(type) {
		const credentialTypeData = this.getType(type);
		if (credentialTypeData.extends === undefined) return credentialTypeData.properties;
		const combined = [];
		for (const parent of credentialTypeData.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, credentialTypeData.properties);
		return combined;
	}
}

// ---------------------------------------------------------------------------------------------
// Node types
// ---------------------------------------------------------------------------------------------

const MOCK_NODE_TYPE = { description: { properties: [] } };

function mockNodeTypes(types) {
	const byName = { mock: MOCK_NODE_TYPE, ...types };
	return {
		getKnownTypes() {
			return {};
		},
		getByName(nodeType) {
			return byName[nodeType];
		},
		getByNameAndVersion(nodeType, version) {
			const type = byName[nodeType];
			if (!type) throw new UnexpectedError(`Unknown node type "${nodeType}"`);
			return NodeHelpers.getVersionedNodeType(type, version);
		},
	};
}

/** The start node: emits the given items, storing their binaries with the real prepareBinaryData. */
function createInputNodeType(items) {
	return {
		description: {
			displayName: 'Harness Input',
			name: 'harnessInput',
			group: ['input'],
			version: 1,
			description: 'Emits the items given to runNode()',
			defaults: { name: INPUT_NODE_NAME },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			properties: [],
		},
		async execute() {
			const out = [];
			for (let i = 0; i < items.length; i++) {
				const item = items[i];
				const outItem = { json: structuredClone(item.json ?? {}), pairedItem: { item: 0 } };
				if (item.binary) {
					outItem.binary = {};
					for (const [key, value] of Object.entries(item.binary)) {
						const buffer = Buffer.isBuffer(value.data) ? value.data : Buffer.from(value.data);
						outItem.binary[key] = await this.helpers.prepareBinaryData(buffer, value.fileName, value.mimeType);
					}
				}
				out.push(outItem);
			}
			return [out];
		},
	};
}

/**
 * Wraps the node under test so the harness sees the original error instance it throws (n8n stores
 * only a plain-object copy in the run data) and knows when its execute() has settled.
 */
function wrapNodeType(nodeType, tracker) {
	const versioned = NodeHelpers.getVersionedNodeType(nodeType, tracker.typeVersion);
	const original = versioned.execute;
	if (typeof original !== 'function') {
		throw new UnexpectedError('runNode() supports programmatic nodes (with an execute() method) only');
	}
	const classStyle = wf.isNodeClassInstance(versioned);
	const wrapper = Object.create(null);
	for (const key of Object.keys(versioned)) wrapper[key] = versioned[key];
	wrapper.description = versioned.description;
	wrapper.methods = versioned.methods;
	wrapper.execute = async function (...args) {
		const promise = (async () => {
			if (classStyle) return await original.call(versioned, this, ...args);
			return await original.apply(this, args);
		})();
		tracker.settled = promise.then(
			() => undefined,
			() => undefined,
		);
		try {
			return await promise;
		} catch (error) {
			tracker.error = error;
			throw error;
		}
	};
	return wrapper;
}

// ---------------------------------------------------------------------------------------------
// additionalData
// ---------------------------------------------------------------------------------------------

let executionCounter = 0;

function createAdditionalData({ credentialsHelper, hooks, executionId, workflowId }) {
	const notAvailable = (what) => async () => {
		throw new UnexpectedError(`${what} is not available in the n8n test harness`);
	};
	return {
		credentialsHelper,
		hooks,
		executionId,
		workflowId,
		userId: 'harness-user',
		projectId: 'harness-project',
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formBaseUrl: 'http://localhost:5678/form',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		formTestBaseUrl: 'http://localhost:5678/form-test',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		mcpBaseUrl: 'http://localhost:5678/mcp',
		mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
		variables: {},
		currentNodeParameters: undefined,
		executeWorkflow: notAvailable('executeWorkflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: notAvailable('startRunnerTask (Code node task runner)'),
		logAiEvent() {},
		setExecutionStatus() {},
		sendDataToUI() {},
	};
}

// ---------------------------------------------------------------------------------------------
// runNode
// ---------------------------------------------------------------------------------------------

async function resolveOutputItems(items, service) {
	const out = [];
	for (const item of items ?? []) {
		const copy = { ...item };
		if (item.binary) {
			copy.binary = {};
			for (const [key, binary] of Object.entries(item.binary)) {
				copy.binary[key] = { ...binary, buffer: await service.getAsBuffer(binary) };
			}
		}
		out.push(copy);
	}
	return out;
}

async function runNode(options) {
	const {
		node,
		credentialTypes = [],
		credentials = {},
		parameters = {},
		items = [{ json: {} }],
		binaryMode = 'default',
		continueOnFail = false,
		onError,
		typeVersion,
		signal,
		nodeName = DEFAULT_NODE_NAME,
		nodeTypeName,
		timezone,
	} = options;
	if (!node || !node.description && !node.nodeVersions) {
		throw new UnexpectedError('runNode() needs `node`: an INodeType / IVersionedNodeType instance');
	}
	const service = await useBinaryDataMode(binaryMode);

	const baseDescription = node.description;
	const version =
		typeVersion ??
		(node.nodeVersions
			? node.currentVersion ?? baseDescription.defaultVersion
			: Array.isArray(baseDescription.version)
				? baseDescription.version[baseDescription.version.length - 1]
				: baseDescription.version);
	const typeName = nodeTypeName ?? `n8n-nodes-harness.${baseDescription.name}`;

	const tracker = { typeVersion: version, error: undefined, settled: undefined };
	const nodeTypesByName = {
		[INPUT_NODE_TYPE]: createInputNodeType(items),
		[typeName]: wrapNodeType(node, tracker),
	};
	const nodeTypes = mockNodeTypes(nodeTypesByName);

	const nodeCredentials = {};
	for (const type of Object.keys(credentials)) {
		nodeCredentials[type] = { id: `harness-${type}`, name: `${type} (harness)` };
	}

	const inputNode = {
		id: 'harness-input',
		name: INPUT_NODE_NAME,
		type: INPUT_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	const nodeUnderTest = {
		id: 'harness-node-under-test',
		name: nodeName,
		type: typeName,
		typeVersion: version,
		position: [220, 0],
		parameters: structuredClone(parameters),
		credentials: Object.keys(nodeCredentials).length ? nodeCredentials : undefined,
		onError: onError ?? (continueOnFail ? 'continueRegularOutput' : undefined),
	};
	if (nodeUnderTest.onError === undefined) delete nodeUnderTest.onError;

	executionCounter += 1;
	const executionId = `harness-exec-${executionCounter}`;
	const workflowId = 'harnessWorkflow1';
	const workflowData = {
		id: workflowId,
		name: 'n8n harness workflow',
		nodes: [inputNode, nodeUnderTest],
		connections: {
			[INPUT_NODE_NAME]: { main: [[{ node: nodeName, type: NodeConnectionTypes.Main, index: 0 }]] },
		},
		active: false,
		settings: { executionOrder: 'v1', ...(timezone ? { timezone } : {}) },
	};
	const workflow = new Workflow({ ...workflowData, nodeTypes });

	const credentialsHelper = new HarnessCredentialsHelper(credentialTypes, credentials);
	const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowData);
	const finished = createDeferredPromise();
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => finished.resolve(fullRunData));
	const additionalData = createAdditionalData({ credentialsHelper, hooks, executionId, workflowId });

	const workflowExecute = new WorkflowExecute(additionalData, 'manual');
	const execution = workflowExecute.run({ workflow, startNode: inputNode });
	execution.catch((error) => finished.reject(error));

	let canceled = false;
	const cancel = () => {
		if (canceled) return;
		canceled = true;
		execution.cancel();
	};
	if (signal) {
		if (signal.aborted) cancel();
		else signal.addEventListener('abort', cancel, { once: true });
	}

	let run;
	try {
		run = await finished.promise;
	} finally {
		signal?.removeEventListener('abort', cancel);
	}
	// After a cancel n8n reports the execution at once; wait for the node to actually stop too so
	// that a test does not leak its in-flight work.
	if (tracker.settled) await tracker.settled;

	const taskData = run.data.resultData.runData[nodeName]?.[0];
	const outputs = [];
	for (const output of taskData?.data?.main ?? []) {
		outputs.push(await resolveOutputItems(output, service));
	}
	const runError = taskData?.error ?? run.data.resultData.error;
	return {
		items: outputs[0] ?? [],
		outputs,
		error: runError ? (tracker.error ?? runError) : undefined,
		status: run.status,
		canceled,
		authenticatedRequests: credentialsHelper.authenticatedRequests,
		credentialsHelper,
		executionId,
		raw: run,
	};
}

// ---------------------------------------------------------------------------------------------
// testCredential (mirrors packages/cli/src/services/credentials-tester.service.ts)
// ---------------------------------------------------------------------------------------------

async function testCredential({ credentialType, data, credentialTypes = [] }) {
	bootstrap();
	const helper = new HarnessCredentialsHelper([credentialType, ...credentialTypes], {
		[credentialType.name]: data,
	});
	if (!credentialType.test) {
		return { status: 'Error', message: 'No testing function found for this credential.' };
	}
	const testRequest = credentialType.test;
	const executionId = 'harness-credential-test';
	const hooks = new ExecutionLifecycleHooks('internal', executionId, { id: 'harnessCredTest', nodes: [], connections: {} });
	const additionalData = createAdditionalData({
		credentialsHelper: helper,
		hooks,
		executionId: undefined,
		workflowId: undefined,
	});

	const credentialsDecrypted = {
		id: 'harness-credential',
		name: `${credentialType.name} (harness)`,
		type: credentialType.name,
		data,
	};
	try {
		credentialsDecrypted.data = await helper.applyDefaultsAndOverwrites(
			additionalData,
			structuredClone(data),
			credentialType.name,
			'internal',
		);
	} catch (error) {
		return { status: 'Error', message: String(error.message) };
	}

	// n8n uses its NoOp node type when the test comes from the credential itself.
	const nodeTypeCopy = {
		description: {
			displayName: 'No Operation, do nothing',
			name: 'noOp',
			group: ['organization'],
			version: 1,
			description: 'No Operation',
			defaults: { name: 'No Operation, do nothing' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: credentialType.name, required: true }],
			properties: [
				{
					displayName: 'Temp',
					name: 'temp',
					type: 'string',
					routing: { request: testRequest.request },
					default: '',
				},
			],
		},
	};
	const node = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: nodeTypeCopy.description.name,
		typeVersion: 1,
		position: [0, 0],
		credentials: { [credentialType.name]: { id: credentialsDecrypted.id, name: credentialsDecrypted.name } },
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: mockNodeTypes({ [nodeTypeCopy.description.name]: nodeTypeCopy }),
	});
	const runExecutionData = { resultData: { runData: {} } };
	const inputData = { main: [[{ json: {} }]] };
	const executeData = { node, data: {}, source: null };
	const executeFunctions = new ExecuteContext(
		workflow,
		node,
		additionalData,
		'internal',
		runExecutionData,
		0,
		[],
		inputData,
		executeData,
		[],
	);
	const routingNode = new RoutingNode(executeFunctions, nodeTypeCopy, credentialsDecrypted);

	let response;
	try {
		response = await routingNode.runNode();
	} catch (error) {
		if (error.cause?.response) {
			const errorResponseData = {
				statusCode: error.cause.response.status,
				statusMessage: error.cause.response.statusText,
			};
			for (const rule of testRequest.rules ?? []) {
				if (rule.type === 'responseCode' && errorResponseData.statusCode === rule.properties.value) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			if (errorResponseData.statusCode < 199 || errorResponseData.statusCode > 299) {
				return {
					status: 'Error',
					message:
						errorResponseData.statusMessage || `Received HTTP status code: ${errorResponseData.statusCode}`,
				};
			}
		} else if (error.cause?.code) {
			return { status: 'Error', message: error.cause.code };
		}
		return { status: 'Error', message: String(error.message) };
	}

	if (Array.isArray(testRequest.rules)) {
		for (const rule of testRequest.rules) {
			if (rule.type === 'responseSuccessBody') {
				const responseData = response[0][0].json;
				if (getPath(responseData, rule.properties.key) === rule.properties.value) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

function getPath(object, keyPath) {
	let current = object;
	for (const part of String(keyPath).split('.')) {
		if (current === null || current === undefined) return undefined;
		current = current[part];
	}
	return current;
}

// ---------------------------------------------------------------------------------------------
// Local HTTP server for tests (127.0.0.1, random port)
// ---------------------------------------------------------------------------------------------

/**
 * Starts an HTTP server on 127.0.0.1. `handler(req, res, body)` may be async; `body` is the raw
 * request body as a Buffer. Every request is recorded in `server.requests`
 * ({ method, url, path, headers, body }). Call `close()` when done.
 */
async function startTestServer(handler) {
	const requests = [];
	const sockets = new Set();
	let currentHandler = handler ?? ((req, res) => sendJson(res, 200, { ok: true }));
	const server = http.createServer((req, res) => {
		const chunks = [];
		req.on('data', (chunk) => chunks.push(chunk));
		req.on('end', () => {
			const body = Buffer.concat(chunks);
			const record = {
				method: req.method,
				url: req.url,
				path: req.url.split('?')[0],
				headers: req.headers,
				body,
			};
			requests.push(record);
			Promise.resolve()
				.then(() => currentHandler(req, res, body, record))
				.catch((error) => {
					if (!res.headersSent) sendJson(res, 500, { error: String(error?.message ?? error) });
					else res.destroy();
				});
		});
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address();
	return {
		url: `http://127.0.0.1:${port}`,
		port,
		requests,
		setHandler(next) {
			currentHandler = next;
		},
		async close() {
			for (const socket of sockets) socket.destroy();
			await new Promise((resolve) => server.close(() => resolve()));
		},
	};
}

function sendJson(res, status, body) {
	const payload = Buffer.from(JSON.stringify(body));
	res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': payload.length });
	res.end(payload);
}

/** Promise-based delay for tests (timers are not allowed in .ts files under the strict lint). */
function delay(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Whether a path exists on disk (for filesystem-mode assertions from .ts tests). */
function fileExists(filePath) {
	return fs.existsSync(filePath);
}

/** Absolute on-disk path of a filesystem-mode binary id (via BinaryDataService.getPath). */
function getBinaryFilePath(binaryDataId) {
	const mode = binaryDataId.startsWith('filesystem') ? 'filesystem' : 'default';
	const service = binaryServices[mode] ?? Container.get(BinaryDataService);
	return service.getPath(binaryDataId);
}

/** Removes every temp dir the harness created. Registered with jest's afterAll automatically. */
function cleanup() {
	for (const dir of [...tempDirs]) removeTempDir(dir);
	for (const key of Object.keys(binaryServices)) delete binaryServices[key];
	binaryStorageRoot = undefined;
}

if (typeof afterAll === 'function') {
	afterAll(() => cleanup());
} else {
	process.once('exit', () => cleanup());
}

module.exports = {
	runNode,
	testCredential,
	startTestServer,
	sendJson,
	delay,
	fileExists,
	getBinaryFilePath,
	getBinaryStoragePath,
	useBinaryDataMode,
	cleanup,
	reportedErrors,
	HarnessCredentialsHelper,
	INPUT_NODE_NAME,
	DEFAULT_NODE_NAME,
};
