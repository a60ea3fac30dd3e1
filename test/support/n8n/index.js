// @ts-check
'use strict';
/**
 * Drive a real, headless n8n from Node scripts (CommonJS, Node built-ins only).
 *
 *   const n8n = require('./test/support/n8n');
 *   const inst = await n8n.createInstance({ version: '2.41.1', customExtensions: ['/path/to/dist'] });
 *   await inst.importCredentials([{ id, name, type, data: { apiKey: '...' } }]);
 *   const wfId = await inst.importWorkflow(workflowJson);
 *   const run = await inst.execute(wfId);              // parsed `n8n execute --rawOutput` JSON
 *   const items = n8n.nodeOutput(run, 'My Node');       // [{ json, binary, pairedItem }, ...]
 *   const srv = await inst.startServer();               // owner set up + logged in
 *   await srv.activateWorkflow(wfId);                   // or inst.activateWorkflow(wfId)
 *   const worker = inst.startProcess(['worker'], { env }); // any other long-running n8n process
 *   await inst.cleanup();
 *   const q = await n8n.startQueueStack({ workers: 2, customExtensions }); // queue mode (queue.js)
 *
 * Every n8n child runs in its own process group; all of them are killed when this process exits or gets
 * SIGINT/SIGTERM/SIGHUP, so no n8n stays behind.
 *
 * Modules: constants (fixed values), util, processes (child bookkeeping, exit handlers), http (requests,
 * free ports), install (ensureN8n), env (process environment), launch (spawning n8n, long-running
 * processes), command (one-shot commands), imports (credentials, workflows), results (reading run output),
 * rest (REST session, activation, credential test), server (`n8n start`), packages (community packages),
 * instance (N8nInstance), create (createInstance), queue (queue mode: a main and workers on Redis and
 * Postgres from ../services), rest-data (credentials, workflows, executions and binary data over REST).
 */
const { DEFAULT_VERSION, ENCRYPTION_KEY, OWNER } = require('./constants');
const { freePort, httpRequest } = require('./http');
const { ensureN8n } = require('./install');
const { createInstance } = require('./create');
const { N8nInstance } = require('./instance');
const { killAllSync } = require('./processes');
const { startQueueMode, startQueueStack } = require('./queue');
const { extractJson, nodeOutput } = require('./results');
const { randomId } = require('./util');

/** @typedef {import('./instance').InstanceOptions} InstanceOptions */
/** @typedef {import('./install').N8nInstall} N8nInstall */
/** @typedef {import('./env').EnvVars} EnvVars */
/** @typedef {import('./command').RunOptions} RunOptions */
/** @typedef {import('./command').RunResult} RunResult */
/** @typedef {import('./launch').N8nProcess} N8nProcess */
/** @typedef {import('./imports').CredentialInput} CredentialInput */
/** @typedef {import('./imports').ImportedCredential} ImportedCredential */
/** @typedef {import('./imports').WorkflowInput} WorkflowInput */
/** @typedef {import('./results').N8nRun} N8nRun */
/** @typedef {import('./results').NodeRun} NodeRun */
/** @typedef {import('./results').N8nItem} N8nItem */
/** @typedef {import('./results').N8nBinary} N8nBinary */
/** @typedef {import('./results').N8nError} N8nError */
/** @typedef {import('./http').HttpResponse} HttpResponse */
/** @typedef {import('./http').HttpRequestOptions} HttpRequestOptions */
/** @typedef {import('./server').N8nServer} N8nServer */
/** @typedef {import('./server').ServerOptions} ServerOptions */
/** @typedef {import('./rest').CredentialTestResult} CredentialTestResult */
/** @typedef {import('./packages').InstalledPackage} InstalledPackage */
/** @typedef {import('./queue').QueueMode} QueueMode */
/** @typedef {import('./queue').QueueStack} QueueStack */

module.exports = {
	DEFAULT_VERSION,
	ENCRYPTION_KEY,
	OWNER,
	ensureN8n,
	createInstance,
	N8nInstance,
	nodeOutput,
	extractJson,
	randomId,
	freePort,
	httpRequest,
	killAllSync,
	startQueueMode,
	startQueueStack,
};
