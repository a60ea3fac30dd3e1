// @ts-check
'use strict';
/** Fixed values shared by every n8n the driver runs. */

/** n8n version used when none is given (N8N_VERSION overrides it). */
const DEFAULT_VERSION = process.env.N8N_VERSION || '2.41.1';

/** N8N_ENCRYPTION_KEY of every process: imported credentials stay readable by each command and server. */
const ENCRYPTION_KEY = 'n8n-nodes-stepfun-test-encryption-key';

/** The owner account set up on a server's first start (and used to log in). */
const OWNER = {
	email: 'owner@example.com',
	firstName: 'Test',
	lastName: 'Owner',
	password: 'Selftest-Passw0rd',
};

/** `browser-id` header of every REST call (n8n binds the session cookie to it). */
const BROWSER_ID = 'n8n-nodes-stepfun-harness';

module.exports = { DEFAULT_VERSION, ENCRYPTION_KEY, OWNER, BROWSER_ID };
