// @ts-check
'use strict';
/**
 * n8n's REST API as the editor uses it: a session (n8n-auth cookie + browser-id), the owner's setup and
 * login, workflow activation, and n8n's own credential test.
 */
const { BROWSER_ID, OWNER } = require('./constants');
const { httpRequest } = require('./http');
const { tail } = require('./util');

/** @typedef {import('./http').HttpResponse} HttpResponse */

/**
 * @typedef {object} RequestOptions
 * @property {Record<string, string>} [headers]
 * @property {number} [timeoutMs] default 60000
 */

/**
 * @typedef {object} RestClient
 * @property {(method: string, path: string, body?: unknown, options?: RequestOptions) => Promise<HttpResponse>} request
 *   authenticated (cookie + browser-id) once logged in; resolves whatever the status
 * @property {(method: string, path: string, body?: unknown, options?: RequestOptions) => Promise<any>} api
 *   throws on HTTP >= 400 (`err.response`), resolves body.data (n8n wraps REST answers in { data })
 */

/**
 * @typedef {RestClient & { loggedIn: () => boolean }} Session loggedIn: whether n8n handed out a session cookie
 */

/**
 * @typedef {object} CredentialTestResult
 * @property {'OK' | 'Error'} status
 * @property {string} [message]
 */

/**
 * A REST session against the n8n at `url`; it keeps the n8n-auth cookie n8n sets.
 * @param {string} url
 * @returns {Session}
 */
function createSession(url) {
	let cookie = '';
	const baseHeaders = () => ({ 'browser-id': BROWSER_ID, ...(cookie ? { cookie } : {}) });
	/** @param {HttpResponse} res */
	const takeCookie = (res) => {
		const set = res.headers['set-cookie'] || [];
		for (const c of set) {
			const m = /^(n8n-auth)=([^;]*)/.exec(c);
			if (m && m[2]) cookie = `${m[1]}=${m[2]}`;
		}
	};
	/** @type {Session['request']} */
	const request = async (method, p, body, { headers = {}, timeoutMs = 60000 } = {}) => {
		const res = await httpRequest(url + p, {
			method,
			body,
			headers: { ...baseHeaders(), ...headers },
			timeoutMs,
		});
		takeCookie(res);
		return res;
	};
	/** @type {Session['api']} */
	const api = async (method, p, body, options) => {
		const res = await request(method, p, body, options);
		if (res.status >= 400) {
			const e = new Error(`${method} ${p} → HTTP ${res.status}: ${tail(res.text, 2000)}`);
			throw Object.assign(e, { response: res });
		}
		return res.body && typeof res.body === 'object' && 'data' in res.body
			? res.body.data
			: res.body;
	};
	return { request, api, loggedIn: () => Boolean(cookie) };
}

/**
 * Set up the owner (first start of a user folder; otherwise n8n refuses, which is fine) and log in.
 * Resolves the two answers; the session is logged in when `session.loggedIn()`.
 * @param {Session} session
 * @param {(message: string) => void} log
 * @returns {Promise<{ setup: HttpResponse; login: HttpResponse }>}
 */
async function ownerLogin(session, log) {
	const setup = await session.request('POST', '/rest/owner/setup', OWNER);
	if (setup.status >= 400 && !/already|setup/i.test(setup.text)) {
		log(`owner setup answered ${setup.status}: ${tail(setup.text, 300)}`);
	}
	const login = await session.request('POST', '/rest/login', {
		emailOrLdapLoginId: OWNER.email,
		email: OWNER.email,
		password: OWNER.password,
	});
	return { setup, login };
}

/**
 * Activate (2.x: publish) a workflow over REST. 2.x: POST /rest/workflows/:id/activate {versionId};
 * 1.x: PATCH /rest/workflows/:id {active: true, versionId}. Resolves the updated workflow.
 * @param {RestClient} session
 * @param {number} major n8n's major version
 * @param {string} id
 * @returns {Promise<any>}
 */
async function activateWorkflow(session, major, id) {
	const wf = await session.api('GET', `/rest/workflows/${id}`);
	if (major >= 2) {
		const res = await session.request('POST', `/rest/workflows/${id}/activate`, {
			versionId: wf.versionId,
		});
		if (res.status < 400) return res.body.data ?? res.body;
		if (res.status !== 404)
			throw new Error(`activate ${id}: HTTP ${res.status} ${tail(res.text, 2000)}`);
	}
	return await session.api('PATCH', `/rest/workflows/${id}`, {
		active: true,
		versionId: wf.versionId,
	});
}

/**
 * n8n's own credential test (what the editor's "Test" / auto-test on save does):
 * POST /rest/credentials/test { credentials: { id, name, type, data } }. The credential must exist
 * (import it first); `data` fields override the stored values (the harness sends the redacted stored data
 * merged with `data`; n8n un-redacts placeholders). Resolves { status: 'OK' | 'Error', message }.
 * @param {RestClient} session
 * @param {{ id?: string; type?: string; name?: string; data?: Record<string, unknown> }} [credential]
 * @returns {Promise<CredentialTestResult>}
 */
async function testCredential(session, { id, type, name, data } = {}) {
	const stored = await session.api('GET', `/rest/credentials/${id}?includeData=true`);
	const body = {
		credentials: {
			id,
			name: name || stored.name,
			type: type || stored.type,
			// stored (redacted) values + overrides; n8n swaps redaction placeholders back for the stored secrets
			data: { ...(stored.data || {}), ...(data || {}) },
		},
	};
	return await session.api('POST', '/rest/credentials/test', body);
}

module.exports = { createSession, ownerLogin, activateWorkflow, testCredential };
