// @ts-check
'use strict';
/**
 * What a running n8n holds, over its REST API with the owner's session: credentials and workflows created
 * there (no `n8n import:*` boot, and the way to reach a queue-mode main's database), the executions of a
 * workflow, one execution's run data (n8n sends it `flatted`; parsed with the installed n8n's own copy of
 * that package), and stored binary data (`database:` / `filesystem-v2:` ids).
 */
const path = require('node:path');

const { delay } = require('./util');

/** @typedef {import('./rest').RestClient} RestClient */
/** @typedef {import('./results').N8nRun} N8nRun */

/**
 * An execution as GET /rest/executions lists it.
 * @typedef {{ id: string; workflowId: string; mode: string; status: string; finished?: boolean;
 *   startedAt?: string | null; stoppedAt?: string | null; [key: string]: unknown }} ExecutionSummary
 */

/**
 * Create a credential (plaintext `data`, encrypted by n8n); resolves { id, name } for a node's credentials.
 * @param {RestClient} server
 * @param {{ name: string; type: string; data: Record<string, unknown> }} credential
 * @returns {Promise<{ id: string; name: string }>}
 */
async function createCredential(server, credential) {
	const created = await server.api('POST', '/rest/credentials', credential);
	return { id: String(created.id), name: String(created.name) };
}

/**
 * Create a workflow (inactive); resolves its id.
 * @param {RestClient} server
 * @param {{ name: string; nodes: unknown[]; connections: object; settings?: object; [key: string]: unknown }} wf
 * @returns {Promise<string>}
 */
async function createWorkflow(server, wf) {
	const { id: _id, active: _active, pinData: _pin, ...body } = wf;
	const created = await server.api('POST', '/rest/workflows', {
		settings: { executionOrder: 'v1' },
		...body,
	});
	return String(created.id);
}

/**
 * The executions of a workflow, newest first (up to `limit`, at most 100: n8n's own bound).
 * @param {RestClient} server
 * @param {string} workflowId
 * @param {number} [limit]
 * @returns {Promise<ExecutionSummary[]>}
 */
async function listExecutions(server, workflowId, limit = 100) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId }));
	const data = await server.api('GET', `/rest/executions?filter=${filter}&limit=${limit}`);
	return /** @type {ExecutionSummary[]} */ (data.results || []);
}

/**
 * Poll the executions of a workflow until `count` of them have ended (success, error, crashed, canceled)
 * or the timeout; resolves the list as last seen.
 * @param {RestClient} server
 * @param {string} workflowId
 * @param {number} count
 * @param {{ timeoutMs?: number; intervalMs?: number }} [options]
 * @returns {Promise<ExecutionSummary[]>}
 */
async function waitForExecutions(
	server,
	workflowId,
	count,
	{ timeoutMs = 300000, intervalMs = 1000 } = {},
) {
	const t0 = Date.now();
	for (;;) {
		const list = await listExecutions(server, workflowId);
		const ended = list.filter((e) => !['new', 'running', 'waiting'].includes(e.status));
		if (ended.length >= count || Date.now() - t0 > timeoutMs) return list;
		await delay(intervalMs);
	}
}

/** @type {Map<string, { parse: (text: string) => any }>} */
const flattedByInstall = new Map();

/**
 * The `flatted` package of the n8n installation at `n8nBin` (…/node_modules/n8n/bin/n8n).
 * @param {string} n8nBin
 * @returns {{ parse: (text: string) => any }}
 */
function flattedOf(n8nBin) {
	const modules = path.resolve(path.dirname(n8nBin), '..', '..');
	let flatted = flattedByInstall.get(modules);
	if (!flatted) {
		flatted = /** @type {{ parse: (text: string) => any }} */ (
			require(path.join(modules, 'flatted'))
		);
		flattedByInstall.set(modules, flatted);
	}
	return flatted;
}

/**
 * One execution with its run data ({ resultData: { runData, ... } }, as `n8n execute` prints it).
 * @param {RestClient} server
 * @param {{ n8nBin: string }} inst the instance (for its n8n's `flatted`)
 * @param {string} id
 * @returns {Promise<ExecutionSummary & { run: N8nRun }>}
 */
async function getExecution(server, inst, id) {
	const execution = await server.api('GET', `/rest/executions/${id}`);
	const data =
		typeof execution.data === 'string'
			? flattedOf(inst.n8nBin).parse(execution.data)
			: execution.data;
	return { ...execution, run: { ...execution, data } };
}

/**
 * The bytes of a stored binary (GET /rest/binary-data?action=download); rejects unless HTTP 200.
 * @param {RestClient} server
 * @param {string} binaryId e.g. "database:<execution>/<uuid>"
 * @returns {Promise<{ buffer: Buffer; contentType: string | undefined }>}
 */
async function downloadBinary(server, binaryId) {
	const res = await server.request(
		'GET',
		`/rest/binary-data?id=${encodeURIComponent(binaryId)}&action=download`,
	);
	if (res.status !== 200)
		throw new Error(`binary ${binaryId}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
	return { buffer: res.buffer, contentType: res.headers['content-type'] };
}

module.exports = {
	createCredential,
	createWorkflow,
	listExecutions,
	waitForExecutions,
	getExecution,
	downloadBinary,
};
