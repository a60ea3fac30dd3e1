// @ts-check
'use strict';
// A real n8n for the end-to-end suites: an instance with the built package, workflow imports, and
// headless runs (`n8n execute`) decoded into items.
const crypto = require('node:crypto');
const path = require('node:path');

const n8n = require('../../support/n8n');
const { FIXTURES_DIR, ROOT } = require('./files');

const DIST = path.join(ROOT, 'dist');

/** @typedef {import('./types').Workflow} Workflow */
/** @typedef {import('./types').E2eInstance} E2eInstance */
/** @typedef {import('./types').N8nItem} N8nItem */
/** @typedef {import('./types').DecodedItem} DecodedItem */
/** @typedef {import('./types').ExecuteResult} ExecuteResult */
/** @typedef {import('./types').FailedRun} FailedRun */

/**
 * A real n8n of `version` with the built package, the fixtures folder readable, and inline (base64)
 * binary data unless `binaryDataMode` says otherwise.
 * @param {string} version
 * @param {{ customExtension?: boolean; allowDirs?: string[]; env?: Record<string, string>; binaryDataMode?: 'default' | 'filesystem' | 'database' }} [options]
 * @returns {Promise<E2eInstance>}
 */
async function createInstance(
	version,
	{ customExtension = true, allowDirs = [], env = {}, binaryDataMode = 'default' } = {},
) {
	return await n8n.createInstance({
		version,
		customExtensions: customExtension ? [DIST] : [],
		binaryDataMode,
		restrictFileAccessTo: [FIXTURES_DIR, ...allowDirs],
		env,
	});
}

/**
 * Import several workflows with one `n8n import:workflow` (one boot instead of one per workflow).
 * @param {E2eInstance} inst
 * @param {Workflow[]} workflows
 * @returns {Promise<string[]>} their ids
 */
async function importWorkflows(inst, workflows) {
	const list = workflows.map((wf) => {
		/** @type {Workflow} */
		const w = JSON.parse(JSON.stringify(wf));
		if (!w.id || !/^[A-Za-z0-9]{16}$/.test(String(w.id))) w.id = n8n.randomId(16);
		if (!w.name) w.name = `e2e ${w.id}`;
		w.connections = w.connections || {};
		w.settings = w.settings || { executionOrder: 'v1' };
		w.active = false;
		for (const node of w.nodes) {
			if (!node.id) node.id = crypto.randomUUID();
			if (!node.position) node.position = [0, 0];
			if (!node.parameters) node.parameters = {};
		}
		return w;
	});
	const file = await inst.writeTemp('workflows.json', list);
	await inst.runOk(['import:workflow', `--input=${file}`]);
	return list.map((w) => /** @type {string} */ (w.id));
}

/**
 * `n8n execute` starts a task broker (Code node runner) on N8N_RUNNERS_BROKER_PORT, default 5679: any other
 * n8n on the machine (a server, a parallel suite) makes it exit with "port 5679 is already in use".
 */
async function executeOptions() {
	return { env: { N8N_RUNNERS_BROKER_PORT: String(await n8n.freePort()) } };
}

/**
 * @param {N8nItem[]} items
 * @returns {DecodedItem[]}
 */
function decodeItems(items) {
	return items.map((item) => {
		/** @type {DecodedItem} */
		const out = { json: item.json, binary: {} };
		for (const [key, bin] of Object.entries(item.binary || {})) {
			out.binary[key] = {
				mimeType: bin.mimeType,
				fileName: bin.fileName,
				fileSize: bin.fileSize,
				id: bin.id,
				buffer: bin.data && !bin.id ? Buffer.from(bin.data, 'base64') : undefined,
			};
		}
		return out;
	});
}

/**
 * Execute; resolves { nodes: { [name]: decoded items }, lastNodeExecuted, ms }. Rejects when the run failed.
 * @param {E2eInstance} inst
 * @param {string} workflowId
 * @returns {Promise<ExecuteResult>}
 */
async function execute(inst, workflowId) {
	const run = await inst.execute(workflowId, await executeOptions());
	const resultData = run.data.resultData;
	/** @type {ExecuteResult['nodes']} */
	const nodes = {};
	for (const name of Object.keys(resultData.runData))
		nodes[name] = decodeItems(n8n.nodeOutput(run, name));
	return {
		nodes,
		lastNodeExecuted: resultData.lastNodeExecuted,
		ms: run._process ? run._process.ms : undefined,
	};
}

/**
 * Execute a workflow that must fail. Resolves { error: { message, description, nodeName, httpCode }, nodes }
 * with the failing node's error as n8n stored it in the execution result.
 * @param {E2eInstance} inst
 * @param {string} workflowId
 * @returns {Promise<FailedRun>}
 */
async function executeExpectingFailure(inst, workflowId) {
	/** @type {(Error & { run?: import('../../support/n8n').N8nRun }) | undefined} */
	let failure;
	try {
		await inst.execute(workflowId, await executeOptions());
	} catch (e) {
		failure = /** @type {Error & { run?: import('../../support/n8n').N8nRun }} */ (e);
	}
	if (!failure) return { error: undefined, nodes: {} };
	const run = failure.run;
	if (!run) return { error: { message: `no execution result: ${failure.message}` }, nodes: {} };
	const resultData = run.data.resultData;
	/** @type {Partial<import('../../support/n8n').N8nError>} */
	const err = resultData.error || {};
	/** @type {FailedRun['nodes']} */
	const nodes = {};
	for (const [name, runs] of Object.entries(resultData.runData || {})) {
		const r = runs[0];
		nodes[name] =
			r && r.error
				? { error: r.error }
				: decodeItems((r && r.data && r.data.main && r.data.main[0]) || []);
	}
	return {
		error: {
			message: String(err.message || ''),
			description:
				err.description === undefined || err.description === null
					? undefined
					: String(err.description),
			nodeName: err.node ? err.node.name : undefined,
			httpCode:
				err.httpCode === undefined || err.httpCode === null ? undefined : String(err.httpCode),
		},
		nodes,
	};
}

/**
 * `n8n execute --id=<id> --rawOutput` as a process: { code, stdout, stderr }, whatever the outcome.
 * @param {E2eInstance} inst
 * @param {string} workflowId
 * @returns {Promise<{ code: number | null; stdout: string; stderr: string }>}
 */
async function executeRaw(inst, workflowId) {
	const res = await inst.run(['execute', `--id=${workflowId}`, '--rawOutput'], {
		...(await executeOptions()),
		timeoutMs: 300000,
		stdoutToFile: true,
	});
	return { code: res.code, stdout: res.stdout, stderr: res.stderr };
}

module.exports = {
	createInstance,
	importWorkflows,
	execute,
	executeExpectingFailure,
	executeRaw,
};
