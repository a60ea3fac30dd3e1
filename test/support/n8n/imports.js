// @ts-check
'use strict';
/** Getting credentials and workflows into an instance's database (`n8n import:*`) through temp files. */
const crypto = require('node:crypto');
const fsp = require('node:fs/promises');
const path = require('node:path');

const { randomId } = require('./util');

/**
 * What the imports need from an instance.
 * @typedef {object} ImportHost
 * @property {string} userFolder
 * @property {(name: string, data: unknown) => Promise<string>} writeTemp
 * @property {(args: string[]) => Promise<unknown>} runOk
 */

/**
 * A credential to import: plaintext `data`, encrypted by n8n on import.
 * @typedef {{ id?: string; name?: string; type: string; data?: Record<string, unknown>;
 *   isManaged?: boolean }} CredentialInput
 */

/**
 * @typedef {{ id: string; name: string; type: string; data: Record<string, unknown>;
 *   isManaged?: boolean }} ImportedCredential
 */

/**
 * A workflow to import; a missing id, name, connections, settings, node ids and positions are filled in.
 * @typedef {{ id?: string; name?: string; nodes?: Array<Record<string, any>>; connections?: object;
 *   settings?: object; active?: boolean; [key: string]: unknown }} WorkflowInput
 */

/**
 * Write `data` (a string, or JSON) into a new file under <user folder>/harness-tmp; resolves its path.
 * @param {string} userFolder
 * @param {string} name
 * @param {unknown} data
 * @returns {Promise<string>}
 */
async function writeTemp(userFolder, name, data) {
	const dir = path.join(userFolder, 'harness-tmp');
	await fsp.mkdir(dir, { recursive: true });
	const file = path.join(dir, `${Date.now()}-${randomId(6)}-${name}`);
	await fsp.writeFile(file, typeof data === 'string' ? data : JSON.stringify(data, null, 2));
	return file;
}

/**
 * Import credentials (`n8n import:credentials`). Plaintext `data` objects are encrypted by n8n on import;
 * the plaintext file is removed right after. Resolves the list with ids and names filled in.
 * @param {ImportHost} host
 * @param {CredentialInput | CredentialInput[]} creds
 * @returns {Promise<ImportedCredential[]>}
 */
async function importCredentials(host, creds) {
	const list = (Array.isArray(creds) ? creds : [creds]).map((c) => ({
		id: c.id || randomId(16),
		name: c.name || `${c.type} ${randomId(4)}`,
		type: c.type,
		data: c.data || {},
		...(c.isManaged !== undefined ? { isManaged: c.isManaged } : {}),
	}));
	const file = await host.writeTemp('credentials.json', list);
	try {
		await host.runOk(['import:credentials', `--input=${file}`]);
	} finally {
		// n8n keeps its own encrypted copy; the plaintext file must not outlive the import.
		await fsp.rm(file, { force: true });
	}
	return list;
}

/**
 * Import one workflow object (`n8n import:workflow`). Gives it a 16-char alphanumeric id if needed.
 * @param {ImportHost} host
 * @param {WorkflowInput} wf
 * @returns {Promise<string>} the workflow id
 */
async function importWorkflow(host, wf) {
	const w = { ...wf };
	if (!w.id || !/^[A-Za-z0-9]{16}$/.test(String(w.id))) w.id = randomId(16);
	if (!w.name) w.name = `harness ${w.id}`;
	if (!w.connections) w.connections = {};
	if (!w.settings) w.settings = { executionOrder: 'v1' };
	if (w.active === undefined) w.active = false;
	for (const n of w.nodes || []) {
		if (!n.id) n.id = crypto.randomUUID();
		if (!n.position) n.position = [0, 0];
		if (n.parameters === undefined) n.parameters = {};
	}
	const file = await host.writeTemp('workflow.json', w);
	await host.runOk(['import:workflow', `--input=${file}`]);
	return w.id;
}

module.exports = { writeTemp, importCredentials, importWorkflow };
