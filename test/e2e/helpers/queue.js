// @ts-check
'use strict';
// Queue mode for the end-to-end suites: the stack (Redis, Postgres, an n8n main and workers, the built
// node on every process), n8n's REST for what the main holds, webhook bursts, and the measured numbers
// written to stderr (the .ts suites may not touch process or console).
const path = require('node:path');

const { startQueueStack } = require('../../support/n8n/queue');
const restData = require('../../support/n8n/rest-data');
const { ROOT } = require('./files');
const { postMultipart } = require('./web');

/** The n8n whose queue mode the suite runs (2.x; 1.x is not the target here). */
const QUEUE_N8N_VERSION = '2.41.1';

/** @typedef {import('../../support/n8n/queue').QueueStack} QueueStack */
/** @typedef {import('../../support/n8n/rest-data').ExecutionSummary} ExecutionSummary */
/** @typedef {import('./types').MultipartPart} MultipartPart */
/** @typedef {import('./types').HttpResult} HttpResult */

/**
 * Redis, Postgres, a main and `workers` workers of QUEUE_N8N_VERSION with the built node (dist/).
 * @param {{ workers?: number }} [options]
 * @returns {Promise<QueueStack>}
 */
async function startQueue({ workers = 2 } = {}) {
	return await startQueueStack({
		version: QUEUE_N8N_VERSION,
		workers,
		customExtensions: [path.join(ROOT, 'dist')],
	});
}

/**
 * POST every form to `url` at the same moment; resolves the answers in the forms' order, and the wall time
 * of the whole burst.
 * @param {string} url
 * @param {MultipartPart[][]} forms
 * @returns {Promise<{ answers: HttpResult[]; wallMs: number }>}
 */
async function burst(url, forms) {
	const t0 = Date.now();
	const answers = await Promise.all(forms.map((parts) => postMultipart(url, parts)));
	return { answers, wallMs: Date.now() - t0 };
}

/**
 * A line of measured numbers for whoever runs the suite (stderr).
 * @param {string} line
 */
function report(line) {
	process.stderr.write(`[queue e2e] ${line}\n`);
}

module.exports = {
	QUEUE_N8N_VERSION,
	startQueue,
	burst,
	report,
	createCredential: restData.createCredential,
	createWorkflow: restData.createWorkflow,
	listExecutions: restData.listExecutions,
	waitForExecutions: restData.waitForExecutions,
	getExecution: restData.getExecution,
	downloadBinary: restData.downloadBinary,
};
