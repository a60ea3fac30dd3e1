// @ts-check
'use strict';
/**
 * The example workflows (examples/*.json) made ready for an n8n instance: the node type it knows the
 * StepFun node by, the credential it has, and headless variants for runs without a person (also used
 * by the end-to-end tests).
 */
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const EXAMPLES_DIR = path.resolve(__dirname, '../../../examples');
const PACKAGE_NODE_TYPE = 'n8n-nodes-stepfun.stepFunImage';
const CUSTOM_NODE_TYPE = 'CUSTOM.stepFunImage';
/** Credential reference used in examples/*.json (16 alphanumerics, like an n8n id). */
const EXAMPLE_CREDENTIAL = { id: 'stepfunPlanCred1', name: 'Step Plan account' };

/**
 * A workflow as n8n exports and imports it (loosely typed: nodes carry whatever their type needs).
 * @typedef {{ id?: string; name: string; nodes: WorkflowNode[];
 *   connections: Record<string, { main: Connection[][] }>; [key: string]: unknown }} Workflow
 */
/**
 * @typedef {{ id?: string; name: string; type: string; typeVersion: number; position: [number, number];
 *   parameters: Record<string, any>; credentials?: Record<string, { id: string; name: string }>;
 *   webhookId?: string; [key: string]: unknown }} WorkflowNode
 */
/** @typedef {{ node: string; type: string; index: number }} Connection */

/**
 * @typedef {object} ExampleOptions
 * @property {string} [nodeType] the StepFun node type to use (CUSTOM.stepFunImage when n8n loads the node
 *   from a custom-extension folder; default: the package's type)
 * @property {{ id: string, name: string }} [credential] replaces the example's credential reference
 * @property {string} [id] workflow id to give it
 */

/**
 * Reads examples/<name>.json and adapts it to an n8n instance.
 * @param {string} name
 * @param {ExampleOptions} [options]
 * @returns {Workflow}
 */
function loadExample(
	name,
	{ nodeType = PACKAGE_NODE_TYPE, credential = EXAMPLE_CREDENTIAL, id } = {},
) {
	/** @type {Workflow} */
	const wf = JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, `${name}.json`), 'utf8'));
	for (const node of wf.nodes) {
		if (node.type === PACKAGE_NODE_TYPE) node.type = nodeType;
		// The node's AI Agent tool variant (examples/agent-image-tools.json) follows the same naming.
		else if (node.type === `${PACKAGE_NODE_TYPE}Tool`) node.type = `${nodeType}Tool`;
		if (node.credentials && node.credentials.stepPlanApi)
			node.credentials.stepPlanApi = { ...credential };
	}
	if (id) wf.id = id;
	return wf;
}

/**
 * @param {Workflow} wf
 * @param {(node: WorkflowNode) => boolean} predicate
 */
function findNode(wf, predicate) {
	const node = wf.nodes.find(predicate);
	if (!node) throw new Error(`workflow "${wf.name}": node not found`);
	return node;
}

/**
 * Sets `const <constName> = ...;` in a Code node's JavaScript.
 * @param {WorkflowNode} node
 * @param {string} constName
 * @param {unknown} value
 */
function setCodeConstant(node, constName, value) {
	const re = new RegExp(`const ${constName} = [^;]*;`);
	if (!re.test(node.parameters.jsCode)) {
		throw new Error(`Code node "${node.name}" has no "const ${constName} = ...;"`);
	}
	node.parameters.jsCode = node.parameters.jsCode.replace(
		re,
		`const ${constName} = ${JSON.stringify(value)};`,
	);
}

/**
 * marketing-batch with its output folder (a constant in the Code node) set to `folder`.
 * @param {ExampleOptions} opts
 * @param {string} folder
 */
function marketingWorkflow(opts, folder) {
	const wf = loadExample('marketing-batch', opts);
	setCodeConstant(
		findNode(wf, (n) => n.type === 'n8n-nodes-base.code'),
		'outputFolder',
		folder,
	);
	return wf;
}

/**
 * A headless twin of form-generate: the Form Trigger becomes a Manual Trigger + a Code node (same name, so
 * expressions like $json.Prompt keep working) that emits what the form would submit; the completion page
 * (which needs a browser session) is dropped.
 * @param {ExampleOptions} opts
 * @param {Record<string, string>} [submission]
 */
function formTwinWorkflow(
	opts,
	submission = { Prompt: 'A red fox in the snow, watercolor', Size: '1360x768' },
) {
	const wf = loadExample('form-generate', opts);
	const trigger = findNode(wf, (n) => n.type === 'n8n-nodes-base.formTrigger');
	const completion = wf.nodes.filter((n) => n.type === 'n8n-nodes-base.form').map((n) => n.name);
	/** @type {WorkflowNode} */
	const start = {
		parameters: {},
		id: crypto.randomUUID(),
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [trigger.position[0] - 240, trigger.position[1]],
	};
	const emit = `{ ...${JSON.stringify(submission)}, submittedAt: new Date().toISOString(), formMode: 'headless' }`;
	Object.assign(trigger, {
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		parameters: { jsCode: `return [{ json: ${emit} }];` },
	});
	delete trigger.webhookId;
	wf.nodes = wf.nodes.filter((n) => !completion.includes(n.name));
	wf.nodes.unshift(start);
	for (const from of Object.keys(wf.connections)) {
		if (completion.includes(from)) delete wf.connections[from];
		else
			wf.connections[from].main = wf.connections[from].main.map((outs) =>
				outs.filter((c) => !completion.includes(c.node)),
			);
	}
	wf.connections.Start = { main: [[{ node: trigger.name, type: 'main', index: 0 }]] };
	wf.name += ' (headless twin)';
	return wf;
}

module.exports = {
	EXAMPLE_CREDENTIAL,
	PACKAGE_NODE_TYPE,
	CUSTOM_NODE_TYPE,
	loadExample,
	marketingWorkflow,
	formTwinWorkflow,
};
