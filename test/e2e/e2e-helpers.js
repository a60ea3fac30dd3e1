// @ts-check
'use strict';
/**
 * Helpers for the end-to-end suites (plain CommonJS: the strict n8n lint forbids Node built-ins, `process`
 * and timers in .ts files). They drive a real n8n through test/support/n8n. The types the suites import
 * (Workflow, E2eInstance, ...) are the JSDoc typedefs below.
 */
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const n8n = require('../support/n8n');
const demo = require('../support/demo');
const { e2eVersions } = require('./global-setup');

const ROOT = path.resolve(__dirname, '../..');
const DIST = path.join(ROOT, 'dist');
const FIXTURES_DIR = path.join(ROOT, 'test', 'fixtures');

/**
 * A workflow as the suites write it (and n8n imports it).
 * @typedef {{ id?: string; name: string; nodes: WorkflowNode[];
 *   connections: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }>;
 *   settings?: Record<string, unknown>; [key: string]: unknown }} Workflow
 */

/**
 * @typedef {{ id?: string; name: string; type: string; typeVersion: number; position?: [number, number];
 *   parameters: Record<string, unknown>; credentials?: Record<string, { id: string; name: string }>;
 *   webhookId?: string; onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
 *   [key: string]: unknown }} WorkflowNode
 */

/**
 * A binary property of an output item; `buffer` holds the inline bytes (binary data mode `default`).
 * @typedef {{ mimeType?: string; fileName?: string; fileSize?: string | number; id?: string;
 *   buffer?: Buffer }} DecodedBinary
 */

/** @typedef {{ json: Record<string, unknown>; binary: Record<string, DecodedBinary> }} DecodedItem */

/**
 * @typedef {{ nodes: Record<string, DecodedItem[]>; lastNodeExecuted: string | undefined;
 *   ms?: number }} ExecuteResult
 */

/** @typedef {{ message: string; description?: string; nodeName?: string; httpCode?: string }} RunError */

/**
 * A failed run: the execution's error, and per node its items or its error.
 * @typedef {{ error?: RunError; nodes: Record<string, DecodedItem[] | { error: import('../support/n8n').N8nError }> }} FailedRun
 */

/** @typedef {{ status: number; headers: import('node:http').IncomingHttpHeaders; body: Buffer; text: string }} HttpResult */

/**
 * @typedef {{ name: string; value?: string; filename?: string; contentType?: string;
 *   data?: Buffer }} MultipartPart
 */

/** @typedef {import('../support/n8n').N8nInstance} E2eInstance */
/** @typedef {import('../support/n8n').N8nServer} N8nServer */
/** @typedef {import('../support/n8n').InstalledPackage} InstalledPackage */
/** @typedef {import('../support/n8n').CredentialTestResult} CredentialTestResult */
/** @typedef {import('../support/n8n').N8nItem} N8nItem */

/** @typedef {'webhook-edit' | 'marketing-batch' | 'form-generate'} ExampleName */
/** @typedef {{ nodeType?: string; credential?: { id: string; name: string }; id?: string }} ExampleOptions */

/** @type {string[]} */
const tempDirs = [];

/**
 * A new temp folder, removed by removeTempDirs().
 * @param {string} prefix
 * @returns {string}
 */
function tempDir(prefix) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	tempDirs.push(dir);
	return dir;
}
function removeTempDirs() {
	for (const d of tempDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/**
 * @param {Buffer | Uint8Array} buf
 * @returns {string}
 */
function sha256(buf) {
	return crypto.createHash('sha256').update(buf).digest('hex');
}

/**
 * @param {string} name
 * @returns {string}
 */
function fixturePath(name) {
	return path.join(FIXTURES_DIR, name);
}

/**
 * A real n8n of `version` with inline (base64) binary data and the fixtures folder readable.
 * @param {string} version
 * @param {{ customExtension?: boolean; allowDirs?: string[]; env?: Record<string, string> }} [options]
 * @returns {Promise<E2eInstance>}
 */
async function createInstance(version, { customExtension = true, allowDirs = [], env = {} } = {}) {
	return await n8n.createInstance({
		version,
		customExtensions: customExtension ? [DIST] : [],
		binaryDataMode: 'default',
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
	/** @type {(Error & { run?: import('../support/n8n').N8nRun }) | undefined} */
	let failure;
	try {
		await inst.execute(workflowId, await executeOptions());
	} catch (e) {
		failure = /** @type {Error & { run?: import('../support/n8n').N8nRun }} */ (e);
	}
	if (!failure) return { error: undefined, nodes: {} };
	const run = failure.run;
	if (!run) return { error: { message: `no execution result: ${failure.message}` }, nodes: {} };
	const resultData = run.data.resultData;
	/** @type {Partial<import('../support/n8n').N8nError>} */
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

/**
 * Files under `dir` (recursively) whose bytes contain `needle`.
 * @param {string} dir
 * @param {string} needle
 * @returns {string[]}
 */
function filesContaining(dir, needle) {
	/** @type {string[]} */
	const hits = [];
	const want = Buffer.from(needle);
	for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
		if (!entry.isFile()) continue;
		const file = path.join(entry.parentPath ?? entry.path, entry.name);
		if (fs.readFileSync(file).includes(want)) hits.push(file);
	}
	return hits;
}

/**
 * `npm pack` the (built) package into a temp folder; returns the .tgz path.
 * @returns {string}
 */
function packPackage() {
	const dir = tempDir('stepfun-pack-');
	const out = execFileSync(
		'npm',
		['pack', '--silent', '--ignore-scripts', '--pack-destination', dir],
		{
			cwd: ROOT,
			env: { ...process.env, npm_config_loglevel: 'error' },
		},
	)
		.toString()
		.trim()
		.split('\n')
		.pop();
	return path.join(dir, /** @type {string} */ (out));
}

/**
 * Files in a packed tarball (tar tzf).
 * @param {string} tgz
 * @returns {string[]}
 */
function tarballFiles(tgz) {
	return execFileSync('tar', ['tzf', tgz]).toString().trim().split('\n');
}

/**
 * POST multipart/form-data to a (production) webhook URL, retrying while it is not registered yet.
 * @param {string} url
 * @param {MultipartPart[]} parts
 * @returns {Promise<HttpResult>}
 */
async function postMultipart(url, parts) {
	const form = demo.multipart(parts);
	/** @type {import('../support/n8n').HttpResponse} */
	const res = await demo.postWebhook(n8n.httpRequest, url, {
		body: form.body,
		headers: { 'content-type': form.contentType },
	});
	return { status: res.status, headers: res.headers, body: res.buffer, text: res.text };
}

/**
 * GET `url` (no session cookie: what a form user's browser sends) until `done(text)` or the timeout;
 * resolves the last answer. Each try waits first: asking n8n for a form-waiting page while the execution is
 * still running was seen to hang.
 * @param {string} url
 * @param {(text: string) => boolean} done
 * @param {{ timeoutMs?: number; intervalMs?: number }} [options]
 * @returns {Promise<{ status: number; text: string }>}
 */
async function pollRequest(url, done, { timeoutMs = 60000, intervalMs = 1000 } = {}) {
	const t0 = Date.now();
	let last = { status: 0, text: '' };
	for (;;) {
		await new Promise((r) => setTimeout(r, intervalMs));
		try {
			const res = await n8n.httpRequest(url, { timeoutMs: 15000 });
			last = { status: res.status, text: res.text };
			if (done(res.text)) return last;
		} catch (e) {
			last = { status: 0, text: String(e && /** @type {{ message?: unknown }} */ (e).message) };
		}
		if (Date.now() - t0 > timeoutMs) return last;
	}
}

/**
 * examples/<name>.json adapted to an instance (node type, credential, id).
 * @param {ExampleName} name
 * @param {ExampleOptions} [opts]
 * @returns {Workflow}
 */
function loadExample(name, opts) {
	return demo.loadExample(name, opts);
}

/**
 * examples/marketing-batch.json writing its images into `folder`.
 * @param {ExampleOptions} opts
 * @param {string} folder
 * @returns {Workflow}
 */
function marketingWorkflow(opts, folder) {
	return demo.marketingWorkflow(opts, folder);
}

/**
 * A headless twin of examples/form-generate.json (a Manual Trigger emitting `submission`).
 * @param {ExampleOptions} opts
 * @param {Record<string, string>} [submission]
 * @returns {Workflow}
 */
function formTwinWorkflow(opts, submission) {
	return demo.formTwinWorkflow(opts, submission);
}

module.exports = {
	pollRequest,
	ROOT,
	FIXTURES_DIR,
	versions: e2eVersions,
	EXAMPLE_CREDENTIAL: demo.EXAMPLE_CREDENTIAL,
	PACKAGE_NODE_TYPE: demo.PACKAGE_NODE_TYPE,
	CUSTOM_NODE_TYPE: demo.CUSTOM_NODE_TYPE,
	loadExample,
	formTwinWorkflow,
	marketingWorkflow,
	createInstance,
	importWorkflows,
	execute,
	executeRaw,
	filesContaining,
	TLS_CERT: path.join(FIXTURES_DIR, 'tls', 'localhost-cert.pem'),
	executeExpectingFailure,
	packPackage,
	tarballFiles,
	postMultipart,
	sha256,
	fixturePath,
	tempDir,
	removeTempDirs,
	/** @type {(p: string) => Buffer} */
	readFile: (p) => fs.readFileSync(p),
	/** @type {(p: string) => string[]} */
	listDir: (p) => fs.readdirSync(p).sort(),
	randomId: n8n.randomId,
};
