// @ts-check
'use strict';
/**
 * `n8n start` for an instance: a free port (by default), readiness, the owner's setup and login, and the
 * server handle the tests use (authenticated REST, webhook URLs, activation, credential test, stop).
 */
const { BROWSER_ID, OWNER } = require('./constants');
const { freePort, httpRequest } = require('./http');
const { startN8nProcess } = require('./launch');
const rest = require('./rest');
const { tail } = require('./util');

/**
 * @typedef {object} ServerOptions
 * @property {number} [port] default: a free one
 * @property {number} [timeoutMs] until the server is ready, default 180000
 * @property {import('./launch').EnvVars} [env] added to the instance's environment
 */

/**
 * A running, logged-in `n8n start`. `request` is authenticated (cookie + browser-id) and resolves
 * { status, headers, body, text, buffer }; `api` throws on HTTP >= 400 and resolves body.data.
 * @typedef {object} N8nServer
 * @property {string} url http://127.0.0.1:<port>
 * @property {number} port
 * @property {number} readyMs from spawn until the REST API answered
 * @property {import('node:child_process').ChildProcess} child
 * @property {typeof OWNER} owner the account it is logged in as
 * @property {() => string} logs
 * @property {import('./rest').RestClient['request']} request
 * @property {import('./rest').RestClient['api']} api
 * @property {(path: string) => string} webhookUrl production URL of a webhook path
 * @property {(id: string) => Promise<any>} activateWorkflow
 * @property {(credential?: CredentialToTest) => Promise<import('./rest').CredentialTestResult>} testCredential
 * @property {() => Promise<void>} stop
 */

/** @typedef {{ id?: string; type?: string; name?: string; data?: Record<string, unknown> }} CredentialToTest */

/**
 * What a server needs from its instance: a host for n8n processes with a version, a log, and the slot
 * holding its running server.
 * @typedef {import('./launch').N8nHost & { major: number; log: (message: string) => void;
 *   server: N8nServer | null }} ServerHost
 */

/**
 * The host's running server.
 * @param {ServerHost} host
 * @returns {N8nServer}
 */
function requireServer(host) {
	if (!host.server) throw new Error('start the server first: await instance.startServer()');
	return host.server;
}

/**
 * Start `n8n start` on 127.0.0.1:<port>, wait for /healthz/readiness and /rest/settings, set up the owner
 * and log in. The caller keeps the result in `host.server` (stop() empties that slot).
 * @param {ServerHost} host
 * @param {ServerOptions} [options]
 * @returns {Promise<N8nServer>}
 */
async function startServer(host, { port, timeoutMs = 180000, env = {} } = {}) {
	const p = port || (await freePort());
	const url = `http://127.0.0.1:${p}`;
	const proc = startN8nProcess(host, ['start'], {
		env: {
			N8N_PORT: String(p),
			N8N_LISTEN_ADDRESS: '127.0.0.1',
			N8N_HOST: '127.0.0.1',
			N8N_PROTOCOL: 'http',
			WEBHOOK_URL: `${url}/`,
			N8N_EDITOR_BASE_URL: `${url}/`,
			N8N_SECURE_COOKIE: 'false',
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
			...env,
		},
	});

	const t0 = Date.now();
	await proc.waitUntil(
		async () => {
			try {
				return (await httpRequest(`${url}/healthz/readiness`, { timeoutMs: 2000 })).status === 200;
			} catch {
				return false; // not listening yet
			}
		},
		{ since: t0, timeoutMs, what: () => '/healthz/readiness not OK' },
	);
	// n8n 1.x answers /healthz/readiness before its REST controllers are mounted (404 "Cannot POST
	// /rest/owner/setup" for a moment): wait for /rest/settings too.
	let st = 0;
	await proc.waitUntil(
		async () => {
			st = 0;
			try {
				const headers = { 'browser-id': BROWSER_ID };
				st = (await httpRequest(`${url}/rest/settings`, { timeoutMs: 5000, headers })).status;
			} catch {
				/* retry */
			}
			return st === 200;
		},
		{ since: t0, timeoutMs, what: () => `/rest/settings not OK (${st})` },
	);
	const readyMs = Date.now() - t0;

	const session = rest.createSession(url);
	const { setup, login } = await rest.ownerLogin(session, host.log);
	if (login.status >= 400 || !session.loggedIn()) {
		await proc.stop();
		throw new Error(
			`login failed: HTTP ${login.status} ${tail(login.text, 500)} ` +
				`(owner setup: ${setup.status} ${tail(setup.text, 300)})`,
		);
	}

	/** @type {N8nServer} */
	const server = {
		url,
		port: p,
		readyMs,
		child: proc.child,
		owner: { ...OWNER },
		logs: proc.logs,
		request: session.request,
		api: session.api,
		webhookUrl: (webhookPath) => `${url}/webhook/${String(webhookPath).replace(/^\//, '')}`,
		// through the host's current server, as instance.activateWorkflow / instance.testCredential do
		activateWorkflow: async (id) => rest.activateWorkflow(requireServer(host), host.major, id),
		testCredential: async (credential) => rest.testCredential(requireServer(host), credential),
		stop: async () => {
			await proc.stop();
			if (host.server === server) host.server = null;
		},
	};
	return server;
}

module.exports = { startServer, requireServer };
