// n8n's REST API as the editor uses it: a session (the n8n-auth cookie and a browser id), the owner's
// setup and login, activation, n8n's own credential test, and what a running n8n holds (credentials and
// workflows created there, executions and their run data, stored binary data).
import path from 'node:path';

import { httpRequest } from '../http.cjs';
import { delay, tail } from '../system.cjs';
import type { N8nRun } from './results.cjs';

/** The owner account set up on a server's first start (and logged in as). */
const email = 'owner@example.com';
export const OWNER = { email, firstName: 'Test', lastName: 'Owner', password: 'Selftest-Passw0rd' };
/** The `browser-id` header of every call (n8n binds the session cookie to it). */
export const BROWSER_ID = 'n8n-nodes-stepfun-harness';

/** An execution as GET /rest/executions lists it. */
export type ExecutionSummary = Record<'id' | 'workflowId' | 'mode' | 'status', string> & {
	startedAt?: string | null;
	stoppedAt?: string | null;
	[key: string]: unknown;
};
export type CredentialTestResult = { status: 'OK' | 'Error'; message?: string };
type Fields = Record<string, unknown>;

export class RestSession {
	private cookie = '';
	/** n8n's major version (activation differs). */
	readonly major: number;
	constructor(
		readonly url: string,
		major: number,
	) {
		this.major = major;
	}

	get loggedIn(): boolean {
		return Boolean(this.cookie);
	}

	/** Whatever the status; authenticated once logged in. */
	async request(method: string, route: string, body?: unknown, timeoutMs = 60000) {
		const headers = { 'browser-id': BROWSER_ID, ...(this.cookie ? { cookie: this.cookie } : {}) };
		const res = await httpRequest(this.url + route, { method, body, headers, timeoutMs });
		for (const c of res.headers['set-cookie'] ?? []) {
			const m = /^n8n-auth=([^;]+)/.exec(c);
			if (m) this.cookie = `n8n-auth=${m[1]}`;
		}
		return res;
	}

	/** body.data (n8n wraps its answers in { data }); throws on HTTP >= 400 (`error.response`). */
	async api(method: string, route: string, body?: unknown): Promise<any> {
		const res = await this.request(method, route, body);
		if (res.status >= 400) {
			const error = new Error(`${method} ${route} → HTTP ${res.status}: ${tail(res.text, 2000)}`);
			throw Object.assign(error, { response: res });
		}
		const wrapped = res.body && typeof res.body === 'object' && 'data' in res.body;
		return wrapped ? res.body.data : res.body;
	}

	/** Sets up the owner (refused on a later start, which is fine) and logs in. */
	async ownerLogin(): Promise<void> {
		const setup = await this.request('POST', '/rest/owner/setup', OWNER);
		const { email, password } = OWNER;
		const body = { emailOrLdapLoginId: email, email, password };
		const login = await this.request('POST', '/rest/login', body);
		if (login.status >= 400 || !this.loggedIn) {
			const owner = `owner setup: ${setup.status} ${tail(setup.text, 300)}`;
			throw new Error(`login failed: HTTP ${login.status} ${tail(login.text, 500)} (${owner})`);
		}
	}

	/** 2.x: POST /rest/workflows/:id/activate (publish); 1.x: PATCH { active: true }. The updated workflow. */
	async activateWorkflow(id: string): Promise<any> {
		const { versionId } = await this.api('GET', `/rest/workflows/${id}`);
		if (this.major >= 2) {
			const res = await this.request('POST', `/rest/workflows/${id}/activate`, { versionId });
			if (res.status < 400) return res.body.data ?? res.body;
			const why = `activate ${id}: HTTP ${res.status} ${tail(res.text, 2000)}`;
			if (res.status !== 404) throw new Error(why);
		}
		return await this.api('PATCH', `/rest/workflows/${id}`, { active: true, versionId });
	}

	/**
	 * n8n's own credential test (the editor's Test): the stored (redacted) data merged with `data`, which
	 * n8n un-redacts before testing.
	 */
	async testCredential(credential: { id: string; type?: string; name?: string; data?: Fields }) {
		const stored = await this.api('GET', `/rest/credentials/${credential.id}?includeData=true`);
		const { id, name = stored.name, type = stored.type } = credential;
		const data = { ...stored.data, ...credential.data };
		const credentials = { id, name, type, data };
		const result = await this.api('POST', '/rest/credentials/test', { credentials });
		return result as CredentialTestResult;
	}

	/** A credential (plaintext data, encrypted by n8n); its reference for a node. */
	async createCredential(credential: { name: string; type: string; data: Fields }) {
		const created = await this.api('POST', '/rest/credentials', credential);
		return { id: String(created.id), name: String(created.name) };
	}

	/** An inactive workflow; its id. */
	async createWorkflow(workflow: { name: string; nodes: unknown[]; connections: object } & Fields) {
		const { id: _id, active: _active, pinData: _pin, ...body } = workflow;
		const settings = { executionOrder: 'v1' };
		return String((await this.api('POST', '/rest/workflows', { settings, ...body })).id);
	}

	/** A workflow's executions, newest first (at most 100: n8n's bound). */
	async listExecutions(workflowId: string, limit = 100): Promise<ExecutionSummary[]> {
		const filter = encodeURIComponent(JSON.stringify({ workflowId }));
		const route = `/rest/executions?filter=${filter}&limit=${limit}`;
		return (await this.api('GET', route)).results ?? [];
	}

	/** Polls until `count` executions of the workflow have ended, or the timeout; the list last seen. */
	async waitForExecutions(workflowId: string, count: number, { timeoutMs = 300000 } = {}) {
		const started = Date.now();
		for (;;) {
			const list = await this.listExecutions(workflowId);
			const ended = list.filter((e) => !['new', 'running', 'waiting'].includes(e.status));
			if (ended.length >= count || Date.now() - started > timeoutMs) return list;
			await delay(1000);
		}
	}

	/** One execution with its run data (n8n sends it `flatted`: parsed with the n8n install's own copy). */
	async getExecution(n8nBin: string, id: string): Promise<ExecutionSummary & { run: N8nRun }> {
		const execution = await this.api('GET', `/rest/executions/${id}`);
		type Flatted = { parse(text: string): any };
		const flatted = require(path.resolve(path.dirname(n8nBin), '../../flatted')) as Flatted;
		const { data: raw } = execution;
		const data = typeof raw === 'string' ? flatted.parse(raw) : raw;
		return { ...execution, run: { ...execution, data } };
	}

	/** The bytes of a stored binary (`database:...`, `filesystem-v2:...`); rejects unless HTTP 200. */
	async downloadBinary(binaryId: string) {
		const route = `/rest/binary-data?id=${encodeURIComponent(binaryId)}&action=download`;
		const res = await this.request('GET', route);
		const why = `binary ${binaryId}: HTTP ${res.status} ${res.text.slice(0, 300)}`;
		if (res.status !== 200) throw new Error(why);
		return { buffer: res.buffer, contentType: res.headers['content-type'] };
	}
}
