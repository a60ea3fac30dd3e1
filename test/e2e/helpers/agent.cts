// The AI Agent suite's pieces: examples/agent-image-tools.json made headless (a Manual Trigger and a Set
// node in place of the chat trigger) at a given agent version, the agent versions an installed n8n
// offers, a run's agent answer and tool runs, and what the built node tells a model in tool mode.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { loadExample, type Workflow } from '../../support/demo/examples.cjs';
import { CACHE_DIR } from '../../support/system.cjs';
import { nodeOutput, randomId, type N8nInstance, type N8nItem } from '../../support/n8n/index.cjs';
import { ROOT } from './files.cjs';

const EXAMPLE = 'agent-image-tools';
const CHAT_TRIGGER = '@n8n/n8n-nodes-langchain.chatTrigger';
const AGENT = '@n8n/n8n-nodes-langchain.agent';
/** The version before the engine ran tools as nodes of their own (v3): still offered by both n8n. */
const LEGACY_AGENT_VERSION = 2.2;

/** The AI Agent's default version in an installed n8n (what the editor adds), from its package. */
export function agentDefaultVersion(version: string): number {
	const file = path.join(
		CACHE_DIR,
		`n8n-${version}`,
		'node_modules/@n8n/n8n-nodes-langchain/dist/nodes/agents/Agent/Agent.node.js',
	);
	const match = /defaultVersion:\s*([\d.]+)/.exec(fs.readFileSync(file, 'utf8'));
	if (!match) throw new Error(`no defaultVersion in ${file}`);
	return Number(match[1]);
}

/** The agent versions to run: n8n's default, the example's, and 2.2, each once. */
export function agentVersionsToTest(version: string): number[] {
	const agent = loadExample(EXAMPLE).nodes.find((n) => n.type === AGENT);
	if (!agent) throw new Error(`examples/${EXAMPLE}.json has no AI Agent`);
	return [...new Set([agentDefaultVersion(version), agent.typeVersion, LEGACY_AGENT_VERSION])];
}

/**
 * The example for an instance: the StepFun tools as `nodeType`+Tool with its credential, the OpenAI
 * credential, the agent at `agentVersion`, and the chat trigger replaced by a Manual Trigger and a Set
 * node of the same name sending `chatInput` (what the chat trigger emits).
 */
export function agentTwinWorkflow(o: {
	nodeType: string;
	credential: { id: string; name: string };
	openAiCredential: { id: string; name: string };
	agentVersion: number;
	chatInput: string;
}): Workflow {
	const wf = loadExample(EXAMPLE, { nodeType: o.nodeType, credential: o.credential });
	delete wf.id; // each twin gets an id of its own on import
	for (const node of wf.nodes) {
		if (node.type === AGENT) node.typeVersion = o.agentVersion;
		if (node.credentials?.openAiApi) node.credentials.openAiApi = { ...o.openAiCredential };
	}
	const trigger = wf.nodes.find((n) => n.type === CHAT_TRIGGER);
	if (!trigger) throw new Error(`examples/${EXAMPLE}.json has no chat trigger`);
	const message = { sessionId: 'e2e-agent-session', action: 'sendMessage', chatInput: o.chatInput };
	Object.assign(trigger, {
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		parameters: { mode: 'raw', jsonOutput: JSON.stringify(message), options: {} },
	});
	delete trigger.webhookId;
	const [x, y] = trigger.position ?? [0, 0];
	wf.nodes.unshift({
		id: crypto.randomUUID(),
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [x - 240, y],
		parameters: {},
	});
	wf.connections.Start = { main: [[{ node: trigger.name, type: 'main', index: 0 }]] };
	wf.name = `${wf.name} (headless, agent v${o.agentVersion})`;
	return wf;
}

/** A headless agent run: the agent's items, and per tool node the items it gave the agent. */
export interface AgentRun {
	agent: N8nItem[];
	tools: Record<string, N8nItem[][]>;
}

export async function executeAgent(inst: N8nInstance, workflowId: string): Promise<AgentRun> {
	const run = await inst.execute(workflowId);
	const tools: AgentRun['tools'] = {};
	for (const [name, runs] of Object.entries(run.data.resultData.runData)) {
		const outputs = runs.map((r) => (r.data?.ai_tool ? (r.data.ai_tool[0] ?? []) : undefined));
		if (!outputs.every(Boolean)) continue;
		// Agent v3 runs a tool as a node of its own; v2.2 wraps its items in `response`.
		const unwrap = (item: N8nItem) =>
			Array.isArray(item.json.response)
				? item.json.response.map((json: Record<string, any>) => ({ json }))
				: [item];
		tools[name] = (outputs as N8nItem[][]).map((items) => items.flatMap(unwrap));
	}
	return { agent: nodeOutput(run, 'AI Agent'), tools };
}

/** Per operation: the tool description and the $fromAI arguments (key → description), from the built node. */
export function toolModeTexts(): Record<
	'generate' | 'edit',
	{ description: string; args: Record<string, string> }
> {
	const { StepFunImage } = require(path.join(ROOT, 'dist/nodes/StepFunImage/StepFunImage.node.js'));
	const properties: Array<{
		name: string;
		default: unknown;
		displayOptions?: { show?: Record<string, unknown[]> };
	}> = new StepFunImage().description.properties;
	const texts = (operation: 'generate' | 'edit') => {
		const mine = properties.filter(
			(p) =>
				p.displayOptions?.show?.operation?.includes(operation) &&
				p.displayOptions.show['@tool']?.includes(true),
		);
		const args: Record<string, string> = {};
		for (const p of mine) {
			const m = /\$fromAI\('([^']+)', '([^']*)'/.exec(String(p.default));
			if (m) args[m[1]] = m[2];
		}
		return { description: String(mine.find((p) => p.name === 'toolDescription')?.default), args };
	};
	return { generate: texts('generate'), edit: texts('edit') };
}

/** examples/agent-image-tools.json imported as shipped (2.41 refuses a file without an id), as n8n stored it. */
export async function importShippedAgentExample(inst: N8nInstance): Promise<Workflow> {
	await inst.runOk([
		'import:workflow',
		`--input=${path.join(ROOT, 'examples', `${EXAMPLE}.json`)}`,
	]);
	const out = path.join(inst.userFolder, 'harness-tmp', `export-${randomId(8)}.json`);
	fs.mkdirSync(path.dirname(out), { recursive: true });
	await inst.runOk(['export:workflow', '--all', `--output=${out}`]);
	const { id } = loadExample(EXAMPLE);
	const stored = (JSON.parse(fs.readFileSync(out, 'utf8')) as Workflow[]).find((w) => w.id === id);
	if (!stored) throw new Error(`workflow ${id} is not among the exported workflows`);
	return stored;
}
