// The example workflows (examples/*.json) made ready for an n8n instance: the node type it knows the
// StepFun node by, the credential it holds, and headless twins for runs without a person (the demo and
// the end-to-end suites).
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { ROOT } from '../system.cjs';

export const PACKAGE_NODE_TYPE = 'n8n-nodes-stepfun.stepFunImage';
/** The type n8n gives the node when it loads it from a custom-extension folder. */
export const CUSTOM_NODE_TYPE = 'CUSTOM.stepFunImage';
/** The credential reference in examples/*.json (16 alphanumerics, like an n8n id). */
export const EXAMPLE_CREDENTIAL = { id: 'stepfunPlanCred1', name: 'Step Plan account' };

export type ExampleName =
	| 'webhook-edit'
	| 'marketing-batch'
	| 'form-generate'
	| 'agent-image-tools';
export interface WorkflowNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	position?: [number, number];
	parameters: Record<string, any>;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
	[key: string]: unknown;
}
export interface Workflow {
	id?: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<
		string,
		{ main: Array<Array<{ node: string; type: string; index: number }>> }
	>;
	[key: string]: unknown;
}
export interface ExampleOptions {
	/** The StepFun node type (default: the package's). */
	nodeType?: string;
	/** Replaces the example's credential reference. */
	credential?: { id: string; name: string };
	id?: string;
}

export function loadExample(name: ExampleName, options: ExampleOptions = {}): Workflow {
	const { nodeType = PACKAGE_NODE_TYPE, credential = EXAMPLE_CREDENTIAL, id } = options;
	const wf = JSON.parse(
		fs.readFileSync(path.join(ROOT, 'examples', `${name}.json`), 'utf8'),
	) as Workflow;
	for (const node of wf.nodes) {
		if (node.type === PACKAGE_NODE_TYPE) node.type = nodeType;
		// The node's AI Agent tool variant follows the same naming.
		else if (node.type === `${PACKAGE_NODE_TYPE}Tool`) node.type = `${nodeType}Tool`;
		if (node.credentials?.stepPlanApi) node.credentials.stepPlanApi = { ...credential };
	}
	if (id) wf.id = id;
	return wf;
}

function findNode(wf: Workflow, predicate: (node: WorkflowNode) => boolean): WorkflowNode {
	const node = wf.nodes.find(predicate);
	if (!node) throw new Error(`workflow "${wf.name}": node not found`);
	return node;
}

/** marketing-batch writing its images into `folder` (a constant of its Code node). */
export function marketingWorkflow(options: ExampleOptions, folder: string): Workflow {
	const wf = loadExample('marketing-batch', options);
	const code = findNode(wf, (n) => n.type === 'n8n-nodes-base.code');
	if (!/const outputFolder = [^;]*;/.test(code.parameters.jsCode))
		throw new Error(`Code node "${code.name}" has no "const outputFolder = ...;"`);
	code.parameters.jsCode = code.parameters.jsCode.replace(
		/const outputFolder = [^;]*;/,
		`const outputFolder = ${JSON.stringify(folder)};`,
	);
	return wf;
}

/**
 * A headless twin of form-generate: its Form Trigger becomes a Manual Trigger and a Code node of the same
 * name (so `$json.Prompt` still works) emitting what the form would submit; the completion page (it
 * needs a browser session) goes.
 */
export function formTwinWorkflow(
	options: ExampleOptions,
	submission: Record<string, string> = {
		Prompt: 'A red fox in the snow, watercolor',
		Size: '1360x768',
	},
): Workflow {
	const wf = loadExample('form-generate', options);
	const trigger = findNode(wf, (n) => n.type === 'n8n-nodes-base.formTrigger');
	const completion = new Set(
		wf.nodes.filter((n) => n.type === 'n8n-nodes-base.form').map((n) => n.name),
	);
	const emit = `{ ...${JSON.stringify(submission)}, submittedAt: new Date().toISOString(), formMode: 'headless' }`;
	Object.assign(trigger, {
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		parameters: { jsCode: `return [{ json: ${emit} }];` },
	});
	delete trigger.webhookId;
	wf.nodes = wf.nodes.filter((n) => !completion.has(n.name));
	const [x, y] = trigger.position ?? [0, 0];
	wf.nodes.unshift({
		parameters: {},
		id: crypto.randomUUID(),
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [x - 240, y],
	});
	for (const from of Object.keys(wf.connections)) {
		if (completion.has(from)) delete wf.connections[from];
		else
			wf.connections[from].main = wf.connections[from].main.map((outs) =>
				outs.filter((c) => !completion.has(c.node)),
			);
	}
	wf.connections.Start = { main: [[{ node: trigger.name, type: 'main', index: 0 }]] };
	wf.name += ' (headless twin)';
	return wf;
}
