// @ts-check
'use strict';
/**
 * Test harness that runs an n8n node class through n8n's real execution code.
 *
 * - `runNode()` builds a two-node workflow ("Harness Input" -> node under test) and runs it with
 *   n8n-core's real `WorkflowExecute` (so expression parameters, pairedItem, `onError`/continueOnFail,
 *   the execution cancel signal and the `ExecuteContext` helpers are n8n's own code).
 * - Binary data goes through n8n-core's real `BinaryDataService`, in "default" (inline base64) mode,
 *   "filesystem" mode backed by a temp directory, or "database" mode (n8n's DatabaseManager mirrored,
 *   its `binary_data` rows as files in a temp directory).
 * - HTTP goes through n8n-core's real `httpRequest` / `httpRequestWithAuthentication` (axios inside
 *   @n8n/backend-network). Credentials are applied by `HarnessCredentialsHelper`, which mirrors n8n's
 *   CLI `CredentialsHelper` (generic `authenticate`, defaults from the credential's properties,
 *   `={{ ... }}` expressions resolved with n8n-workflow's expression machinery).
 * - `testCredential()` mirrors n8n's `CredentialsTester` (a temp node whose `routing.request` is the
 *   credential's `test.request`, run through n8n-core's real `RoutingNode`).
 *
 * Plain CommonJS with JSDoc types (checked by `tsc -p tsconfig.test.json`) on purpose: the repo's
 * strict n8n lint forbids Node built-ins, `process` and timers in every .ts file, tests included.
 *
 * Modules (one job each; no module requires this index):
 *   constants.js            node names of the harness workflow
 *   temp-dirs.js            temp directories, removed by cleanup()
 *   bootstrap.js            DI container, silent logger, recording error reporter, InstanceSettings
 *   binary-modes.js         the binary data modes (one entry per mode)
 *   binary-data.js          a real BinaryDataService per mode
 *   database-manager.js, database-rows.js   the "database" mode's manager and its table
 *   node-types.js           INodeTypes registry, the start node, the node-under-test wrapper
 *   credential-authenticate.js, credential-defaults.js   the CLI CredentialsHelper's algorithms
 *   credentials-helper.js   HarnessCredentialsHelper
 *   additional-data.js      IWorkflowExecuteAdditionalData
 *   run-node.js, run-node-types.js   runNode() and its option/result types
 *   test-credential.js      testCredential()
 *   test-server.js          local HTTP server for tests
 *   util.js, cleanup.js     small utilities; cleanup()
 *   self-test/              the harness' own tests (a dummy node + credential)
 */

const { getBinaryFilePath, getBinaryStoragePath, useBinaryDataMode } = require('./binary-data');
const { reportedErrors } = require('./bootstrap');
const { cleanup, registerCleanup } = require('./cleanup');
const { DEFAULT_NODE_NAME, INPUT_NODE_NAME } = require('./constants');
const { HarnessCredentialsHelper } = require('./credentials-helper');
const { runNode } = require('./run-node');
const { enableSsrfProtection } = require('./ssrf');
const { testCredential } = require('./test-credential');
const { sendJson, startTestServer } = require('./test-server');
const { delay, fileExists } = require('./util');

/** @typedef {import('./binary-modes').BinaryMode} BinaryMode */
/** @typedef {import('./bootstrap').ReportedError} ReportedError */
/** @typedef {import('./node-types').HarnessInputBinary} HarnessInputBinary */
/** @typedef {import('./node-types').HarnessInputItem} HarnessInputItem */
/** @typedef {import('./run-node-types').RunNodeOptions} RunNodeOptions */
/** @typedef {import('./run-node-types').RunNodeResult} RunNodeResult */
/** @typedef {import('./run-node-types').HarnessOutputBinary} HarnessOutputBinary */
/** @typedef {import('./run-node-types').HarnessOutputItem} HarnessOutputItem */
/** @typedef {import('./run-node-types').HarnessNodeError} HarnessNodeError */
/** @typedef {import('./test-credential').TestCredentialOptions} TestCredentialOptions */
/** @typedef {import('./test-credential').CredentialTestResult} CredentialTestResult */
/** @typedef {import('./test-server').RecordedRequest} RecordedRequest */
/** @typedef {import('./test-server').TestServerRequest} TestServerRequest */
/** @typedef {import('./test-server').TestServerResponse} TestServerResponse */
/** @typedef {import('./test-server').TestServerHandler} TestServerHandler */
/** @typedef {import('./test-server').TestServer} TestServer */

registerCleanup();

module.exports = {
	runNode,
	testCredential,
	enableSsrfProtection,
	startTestServer,
	sendJson,
	delay,
	fileExists,
	getBinaryFilePath,
	getBinaryStoragePath,
	useBinaryDataMode,
	cleanup,
	reportedErrors,
	HarnessCredentialsHelper,
	INPUT_NODE_NAME,
	DEFAULT_NODE_NAME,
};
