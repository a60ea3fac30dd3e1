// @ts-check
'use strict';
/**
 * runNode(): runs a node class in a two-node workflow ("Harness Input" -> node under test) with
 * n8n-core's real WorkflowExecute, and reads its output back through the real BinaryDataService.
 */

const { ExecutionLifecycleHooks, WorkflowExecute } = require('n8n-core');
const { NodeConnectionTypes, UnexpectedError, Workflow } = require('n8n-workflow');

const { createAdditionalData } = require('./additional-data');
const { useBinaryDataMode } = require('./binary-data');
const { DEFAULT_NODE_NAME, INPUT_NODE_NAME, INPUT_NODE_TYPE } = require('./constants');
const { HarnessCredentialsHelper } = require('./credentials-helper');
const { createInputNodeType, mockNodeTypes, wrapNodeType } = require('./node-types');
const { createDeferredPromise } = require('./util');

/** @typedef {import('n8n-workflow').INode} INode */
/** @typedef {import('n8n-workflow').INodeCredentials} INodeCredentials */
/** @typedef {import('n8n-workflow').INodeExecutionData} INodeExecutionData */
/** @typedef {import('n8n-workflow').INodeTypeBaseDescription} INodeTypeBaseDescription */
/** @typedef {import('n8n-workflow').INodeTypeDescription} INodeTypeDescription */
/** @typedef {import('n8n-workflow').IRun} IRun */
/** @typedef {import('n8n-workflow').IVersionedNodeType} IVersionedNodeType */
/** @typedef {import('n8n-workflow').IWorkflowBase} IWorkflowBase */
/** @typedef {import('./node-types').NodeTracker} NodeTracker */
/** @typedef {import('./run-node-types').RunNodeOptions} RunNodeOptions */
/** @typedef {import('./run-node-types').RunNodeResult} RunNodeResult */
/** @typedef {import('./run-node-types').HarnessOutputItem} HarnessOutputItem */
/** @typedef {import('./run-node-types').HarnessOutputBinary} HarnessOutputBinary */

let executionCounter = 0;

/**
 * @param {INodeExecutionData[] | null | undefined} items
 * @param {import('n8n-core').BinaryDataService} service
 * @returns {Promise<HarnessOutputItem[]>}
 */
async function resolveOutputItems(items, service) {
	const out = [];
	for (const item of items ?? []) {
		const copy = /** @type {HarnessOutputItem} */ ({ ...item });
		if (item.binary) {
			copy.binary = {};
			for (const [key, binary] of Object.entries(item.binary)) {
				copy.binary[key] = /** @type {HarnessOutputBinary} */ ({
					...binary,
					buffer: await service.getAsBuffer(binary),
				});
			}
		}
		out.push(copy);
	}
	return out;
}

/**
 * @param {RunNodeOptions} options
 * @returns {Promise<RunNodeResult>}
 */
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
	// IVersionedNodeType fields, read off whichever kind of node type was given.
	const versioned = /** @type {Partial<IVersionedNodeType>} */ (node);
	if (!node || (!node.description && !versioned.nodeVersions)) {
		throw new UnexpectedError('runNode() needs `node`: an INodeType / IVersionedNodeType instance');
	}
	const service = await useBinaryDataMode(binaryMode);

	const baseDescription = /** @type {Partial<INodeTypeDescription & INodeTypeBaseDescription>} */ (
		node.description
	);
	const version =
		typeVersion ??
		(versioned.nodeVersions
			? (versioned.currentVersion ?? baseDescription.defaultVersion)
			: Array.isArray(baseDescription.version)
				? baseDescription.version[baseDescription.version.length - 1]
				: baseDescription.version);
	const typeName = nodeTypeName ?? `n8n-nodes-harness.${baseDescription.name}`;

	/** @type {NodeTracker} */
	const tracker = { typeVersion: version, error: undefined, settled: undefined };
	const nodeTypesByName = {
		[INPUT_NODE_TYPE]: createInputNodeType(items),
		[typeName]: wrapNodeType(node, tracker),
	};
	const nodeTypes = mockNodeTypes(nodeTypesByName);

	/** @type {INodeCredentials} */
	const nodeCredentials = {};
	for (const type of Object.keys(credentials)) {
		nodeCredentials[type] = { id: `harness-${type}`, name: `${type} (harness)` };
	}

	/** @type {INode} */
	const inputNode = {
		id: 'harness-input',
		name: INPUT_NODE_NAME,
		type: INPUT_NODE_TYPE,
		typeVersion: 1,
		position: [0, 0],
		parameters: {},
	};
	/** @type {INode} */
	const nodeUnderTest = {
		id: 'harness-node-under-test',
		name: nodeName,
		type: typeName,
		typeVersion: /** @type {number} */ (version),
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
			[INPUT_NODE_NAME]: {
				main: [[{ node: nodeName, type: NodeConnectionTypes.Main, index: 0 }]],
			},
		},
		active: false,
		settings: { executionOrder: /** @type {const} */ ('v1'), ...(timezone ? { timezone } : {}) },
	};
	const workflow = new Workflow({ ...workflowData, nodeTypes });

	const credentialsHelper = new HarnessCredentialsHelper(credentialTypes, credentials);
	// The hooks read only the fields given here (a harness workflow is never saved).
	const hookWorkflowData = /** @type {IWorkflowBase} */ (/** @type {unknown} */ (workflowData));
	const hooks = new ExecutionLifecycleHooks('manual', executionId, hookWorkflowData);
	/** @type {import('./util').Deferred<IRun>} */
	const finished = createDeferredPromise();
	hooks.addHandler('workflowExecuteAfter', (fullRunData) => finished.resolve(fullRunData));
	const additionalData = createAdditionalData({
		credentialsHelper,
		hooks,
		executionId,
		workflowId,
	});

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
		error: runError ? /** @type {RunNodeResult['error']} */ (tracker.error ?? runError) : undefined,
		status: run.status,
		canceled,
		authenticatedRequests: credentialsHelper.authenticatedRequests,
		credentialsHelper,
		executionId,
		raw: run,
	};
}

module.exports = { runNode };
