// @ts-check
'use strict';
// The AI Agent suite's pieces: examples/agent-image-tools.json made headless for an instance (a Manual
// Trigger and a Set node in place of the chat trigger) at a given agent version, the agent versions an
// installed n8n offers, a run's agent answer and tool runs, and what the built node tells a model in
// tool mode (its tool descriptions and $fromAI arguments, read from dist/).
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const n8n = require('../../support/n8n');
const demo = require('../../support/demo');
const { ROOT } = require('./files');

/** @typedef {import('./types').Workflow} Workflow */
/** @typedef {import('./types').WorkflowNode} WorkflowNode */
/** @typedef {import('./types').E2eInstance} E2eInstance */
/** @typedef {import('../../support/n8n').N8nItem} N8nItem */

const EXAMPLE = 'agent-image-tools';
const CHAT_TRIGGER = '@n8n/n8n-nodes-langchain.chatTrigger';
const AGENT = '@n8n/n8n-nodes-langchain.agent';
/** The agent version before the engine ran tools as nodes of their own (v3): still offered by both n8n. */
const LEGACY_AGENT_VERSION = 2.2;

/**
 * The AI Agent's default version in an installed n8n (what the editor adds), read from its package. The
 * folder is ensure-n8n.sh's, which the e2e global setup has filled before any suite loads.
 * @param {string} version n8n version
 * @returns {number}
 */
function agentDefaultVersion(version) {
	const cache =
		process.env.STEPFUN_N8N_CACHE ||
		path.join(process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'n8n-nodes-stepfun');
	const file = path.join(
		cache,
		`n8n-${version}`,
		'node_modules/@n8n/n8n-nodes-langchain/dist/nodes/agents/Agent/Agent.node.js',
	);
	const match = /defaultVersion:\s*([\d.]+)/.exec(fs.readFileSync(file, 'utf8'));
	if (!match) throw new Error(`no defaultVersion in ${file}`);
	return Number(match[1]);
}

/** The agent version examples/agent-image-tools.json ships with. */
function exampleAgentVersion() {
	const agent = demo.loadExample(EXAMPLE).nodes.find((n) => n.type === AGENT);
	if (!agent) throw new Error(`examples/${EXAMPLE}.json has no AI Agent`);
	return agent.typeVersion;
}

/**
 * The agent versions to run in n8n `version`: its default, the example's, and 2.2, each once.
 * @param {string} version
 * @returns {number[]}
 */
function agentVersionsToTest(version) {
	return [...new Set([agentDefaultVersion(version), exampleAgentVersion(), LEGACY_AGENT_VERSION])];
}

/**
 * examples/agent-image-tools.json for an instance: the StepFun tools as `nodeType`+Tool with its
 * credential, the OpenAI credential, the agent at `agentVersion`, and the chat trigger replaced by a
 * Manual Trigger and a Set node of the same name sending `chatInput` (what the chat trigger emits).
 * @param {{ nodeType: string; credential: { id: string; name: string };
 *   openAiCredential: { id: string; name: string }; agentVersion: number; chatInput: string }} opts
 * @returns {Workflow}
 */
function agentTwinWorkflow({ nodeType, credential, openAiCredential, agentVersion, chatInput }) {
	const wf = /** @type {Workflow} */ (demo.loadExample(EXAMPLE, { nodeType, credential }));
	delete wf.id; // the example's own id: each twin gets one of its own on import
	for (const node of wf.nodes) {
		if (node.type === AGENT) node.typeVersion = agentVersion;
		if (node.credentials && node.credentials.openAiApi)
			node.credentials.openAiApi = { ...openAiCredential };
	}
	const trigger = wf.nodes.find((n) => n.type === CHAT_TRIGGER);
	if (!trigger) throw new Error(`examples/${EXAMPLE}.json has no chat trigger`);
	const message = { sessionId: 'e2e-agent-session', action: 'sendMessage', chatInput };
	Object.assign(trigger, {
		type: 'n8n-nodes-base.set',
		typeVersion: 3.4,
		parameters: { mode: 'raw', jsonOutput: JSON.stringify(message), options: {} },
	});
	delete trigger.webhookId;
	const position = /** @type {[number, number]} */ (trigger.position || [0, 0]);
	wf.nodes.unshift({
		id: crypto.randomUUID(),
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [position[0] - 240, position[1]],
		parameters: {},
	});
	wf.connections.Start = { main: [[{ node: trigger.name, type: 'main', index: 0 }]] };
	wf.name = `${wf.name} (headless, agent v${agentVersion})`;
	return wf;
}

/**
 * What a headless agent run produced: the agent's items, and per tool node the items it gave the agent
 * (agent v3 runs a tool as a node of its own; v2.2 wraps its items in `response`).
 * @typedef {{ agent: N8nItem[]; tools: Record<string, N8nItem[][]> }} AgentRun
 */

/**
 * `n8n execute` of an agent workflow (own task-broker port, like the other headless runs).
 * @param {E2eInstance} inst
 * @param {string} workflowId
 * @returns {Promise<AgentRun>}
 */
async function executeAgent(inst, workflowId) {
	const env = { N8N_RUNNERS_BROKER_PORT: String(await n8n.freePort()) };
	const run = await inst.execute(workflowId, { env });
	const runData = run.data.resultData.runData;
	/** @type {AgentRun['tools']} */
	const tools = {};
	for (const [name, runs] of Object.entries(runData)) {
		const outputs = runs.map((r) => {
			const data = /** @type {{ ai_tool?: N8nItem[][] }} */ (r.data || {});
			return data.ai_tool ? data.ai_tool[0] || [] : undefined;
		});
		if (outputs.every(Boolean)) {
			tools[name] = /** @type {N8nItem[][]} */ (outputs).map((items) =>
				items.flatMap((item) =>
					Array.isArray(item.json.response)
						? item.json.response.map((/** @type {any} */ json) => ({ json }))
						: [item],
				),
			);
		}
	}
	return { agent: n8n.nodeOutput(run, 'AI Agent'), tools };
}

/**
 * What the node's tool variant tells a model, per operation: the default tool description and the
 * $fromAI arguments (key → description) of its fields, from the built node.
 * @returns {Record<'generate' | 'edit', { description: string; args: Record<string, string> }>}
 */
function toolModeTexts() {
	const { StepFunImage } = require(path.join(ROOT, 'dist/nodes/StepFunImage/StepFunImage.node.js'));
	/** @type {Array<{ name: string; default: unknown; displayOptions?: { show?: Record<string, unknown[]> } }>} */
	const properties = new StepFunImage().description.properties;
	/** @param {'generate' | 'edit'} operation */
	const texts = (operation) => {
		const mine = properties.filter((p) => {
			const show = (p.displayOptions && p.displayOptions.show) || {};
			return (show.operation || []).includes(operation) && (show['@tool'] || []).includes(true);
		});
		const description = mine.find((p) => p.name === 'toolDescription');
		/** @type {Record<string, string>} */
		const args = {};
		for (const p of mine) {
			const m = /\$fromAI\('([^']+)', '([^']*)'/.exec(String(p.default));
			if (m) args[m[1]] = m[2];
		}
		return { description: String(description && description.default), args };
	};
	return { generate: texts('generate'), edit: texts('edit') };
}

/**
 * Imports examples/agent-image-tools.json exactly as shipped (`n8n import:workflow --input=<the file>`:
 * n8n 2.41 refuses a file without an `id`), then exports every workflow and resolves the example's (by
 * its id) as n8n stored it.
 * @param {E2eInstance} inst
 * @returns {Promise<Workflow>}
 */
async function importShippedAgentExample(inst) {
	const file = path.join(ROOT, 'examples', `${EXAMPLE}.json`);
	await inst.runOk(['import:workflow', `--input=${file}`]);
	const out = path.join(inst.userFolder, 'harness-tmp', `export-${n8n.randomId(8)}.json`);
	fs.mkdirSync(path.dirname(out), { recursive: true });
	await inst.runOk(['export:workflow', '--all', `--output=${out}`]);
	/** @type {Workflow[]} */
	const all = JSON.parse(fs.readFileSync(out, 'utf8'));
	const { id } = demo.loadExample(EXAMPLE);
	const stored = all.find((w) => w.id === id);
	if (!stored) throw new Error(`workflow ${id} is not among the exported workflows`);
	return stored;
}

module.exports = {
	importShippedAgentExample,
	agentDefaultVersion,
	agentVersionsToTest,
	agentTwinWorkflow,
	executeAgent,
	toolModeTexts,
};
