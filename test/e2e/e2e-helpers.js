// @ts-check
'use strict';
/**
 * Helpers for the end-to-end suites (plain CommonJS: the strict n8n lint forbids Node built-ins, `process`
 * and timers in .ts files). They drive a real n8n through test/support/n8n; the pieces live in helpers/.
 */
const n8n = require('../support/n8n');
const agent = require('./helpers/agent');
const files = require('./helpers/files');
const runs = require('./helpers/runs');
const web = require('./helpers/web');
const { e2eVersions } = require('./global-setup');

/** @typedef {import('./helpers/types').Workflow} Workflow */
/** @typedef {import('./helpers/types').WorkflowNode} WorkflowNode */
/** @typedef {import('./helpers/types').DecodedBinary} DecodedBinary */
/** @typedef {import('./helpers/types').DecodedItem} DecodedItem */
/** @typedef {import('./helpers/types').ExecuteResult} ExecuteResult */
/** @typedef {import('./helpers/types').RunError} RunError */
/** @typedef {import('./helpers/types').FailedRun} FailedRun */
/** @typedef {import('./helpers/types').HttpResult} HttpResult */
/** @typedef {import('./helpers/types').MultipartPart} MultipartPart */
/** @typedef {import('./helpers/types').E2eInstance} E2eInstance */
/** @typedef {import('./helpers/types').N8nServer} N8nServer */
/** @typedef {import('./helpers/types').InstalledPackage} InstalledPackage */
/** @typedef {import('./helpers/types').CredentialTestResult} CredentialTestResult */
/** @typedef {import('./helpers/types').N8nItem} N8nItem */
/** @typedef {import('./helpers/types').ExampleName} ExampleName */
/** @typedef {import('./helpers/types').ExampleOptions} ExampleOptions */

module.exports = {
	...agent,
	...files,
	...runs,
	...web,
	versions: e2eVersions,
	randomId: n8n.randomId,
};
