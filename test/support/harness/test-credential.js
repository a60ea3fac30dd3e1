// @ts-check
'use strict';
/**
 * testCredential(): runs a credential's `test.request` like n8n's CredentialsTester
 * (packages/cli/src/services/credentials-tester.service.ts): a temp node whose `routing.request` is
 * the test request, run through n8n-core's real RoutingNode and HTTP helpers.
 */

const { ExecuteContext, ExecutionLifecycleHooks, RoutingNode } = require('n8n-core');
const { NodeConnectionTypes, Workflow } = require('n8n-workflow');

const { createAdditionalData } = require('./additional-data');
const { bootstrap } = require('./bootstrap');
const { HarnessCredentialsHelper } = require('./credentials-helper');
const { mockNodeTypes } = require('./node-types');

/** @typedef {import('n8n-workflow').ICredentialDataDecryptedObject} ICredentialDataDecryptedObject */
/** @typedef {import('n8n-workflow').ICredentialType} ICredentialType */
/** @typedef {import('n8n-workflow').ICredentialsDecrypted} ICredentialsDecrypted */
/** @typedef {import('n8n-workflow').INode} INode */
/** @typedef {import('n8n-workflow').INodeExecutionData} INodeExecutionData */
/** @typedef {import('n8n-workflow').INodeType} INodeType */
/** @typedef {import('n8n-workflow').IWorkflowBase} IWorkflowBase */

/**
 * @typedef {object} TestCredentialOptions
 * @property {ICredentialType} credentialType
 * @property {ICredentialDataDecryptedObject} data
 * @property {ICredentialType[]} [credentialTypes]
 *   Parent credential types, if `credentialType.extends` is used.
 */

/**
 * @typedef {object} CredentialTestResult
 * @property {'OK' | 'Error'} status
 * @property {string} message
 */

/**
 * The error shape RoutingNode rejects with on HTTP / network failures.
 * @typedef {Error & { cause?: { code?: string, response?: { status: number, statusText: string } } }} RoutingError
 */

/**
 * Runs the credential's `test.request` like n8n's CredentialsTester (real RoutingNode + HTTP).
 * @param {TestCredentialOptions} options
 * @returns {Promise<CredentialTestResult>}
 */
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
	const hookWorkflowData = { id: 'harnessCredTest', nodes: [], connections: {} };
	const hooks = new ExecutionLifecycleHooks(
		'internal',
		executionId,
		/** @type {IWorkflowBase} */ (/** @type {unknown} */ (hookWorkflowData)),
	);
	const additionalData = createAdditionalData({
		credentialsHelper: helper,
		hooks,
		executionId: undefined,
		workflowId: undefined,
	});

	/** @type {ICredentialsDecrypted} */
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
		return { status: 'Error', message: String(/** @type {Error} */ (error).message) };
	}

	// n8n uses its NoOp node type when the test comes from the credential itself.
	/** @type {INodeType} */
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
	/** @type {INode} */
	const node = {
		id: 'temp',
		parameters: {},
		name: 'Temp-Node',
		type: nodeTypeCopy.description.name,
		typeVersion: 1,
		position: [0, 0],
		credentials: {
			[credentialType.name]: { id: credentialsDecrypted.id, name: credentialsDecrypted.name },
		},
	};
	const workflow = new Workflow({
		nodes: [node],
		connections: {},
		active: false,
		nodeTypes: mockNodeTypes({ [nodeTypeCopy.description.name]: nodeTypeCopy }),
	});
	const runExecutionData = /** @type {import('n8n-workflow').IRunExecutionData} */ ({
		resultData: { runData: {} },
	});
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
	} catch (caught) {
		const error = /** @type {RoutingError} */ (caught);
		if (error.cause?.response) {
			const errorResponseData = {
				statusCode: error.cause.response.status,
				statusMessage: error.cause.response.statusText,
			};
			for (const rule of testRequest.rules ?? []) {
				if (
					rule.type === 'responseCode' &&
					errorResponseData.statusCode === rule.properties.value
				) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
			if (errorResponseData.statusCode < 199 || errorResponseData.statusCode > 299) {
				return {
					status: 'Error',
					message:
						errorResponseData.statusMessage ||
						`Received HTTP status code: ${errorResponseData.statusCode}`,
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
				const responseData = /** @type {INodeExecutionData[][]} */ (response)[0][0].json;
				if (getPath(responseData, rule.properties.key) === rule.properties.value) {
					return { status: 'Error', message: rule.properties.message };
				}
			}
		}
	}
	return { status: 'OK', message: 'Connection successful!' };
}

/**
 * @param {unknown} object
 * @param {string} keyPath Dot-separated, e.g. `error.code`.
 * @returns {unknown}
 */
function getPath(object, keyPath) {
	let current = object;
	for (const part of String(keyPath).split('.')) {
		if (current === null || current === undefined) return undefined;
		current = /** @type {Record<string, unknown>} */ (current)[part];
	}
	return current;
}

module.exports = { testCredential };
