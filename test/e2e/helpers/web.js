// @ts-check
'use strict';
// HTTP for the end-to-end suites: webhook uploads and polling pages, plus the example workflows.
const n8n = require('../../support/n8n');
const demo = require('../../support/demo');

/** @typedef {import('./types').MultipartPart} MultipartPart */
/** @typedef {import('./types').HttpResult} HttpResult */
/** @typedef {import('./types').Workflow} Workflow */
/** @typedef {import('./types').ExampleName} ExampleName */
/** @typedef {import('./types').ExampleOptions} ExampleOptions */

/**
 * POST multipart/form-data to a (production) webhook URL, retrying while it is not registered yet.
 * @param {string} url
 * @param {MultipartPart[]} parts
 * @returns {Promise<HttpResult>}
 */
async function postMultipart(url, parts) {
	const form = demo.multipart(parts);
	/** @type {import('../../support/n8n').HttpResponse} */
	const res = await demo.postWebhook(n8n.httpRequest, url, {
		body: form.body,
		headers: { 'content-type': form.contentType },
	});
	return { status: res.status, headers: res.headers, body: res.buffer, text: res.text };
}

/**
 * GET `url` (no session cookie: what a form user's browser sends) until `done(text)` or the timeout;
 * resolves the last answer. Each try waits first: asking n8n for a form-waiting page while the execution is
 * still running was seen to hang.
 * @param {string} url
 * @param {(text: string) => boolean} done
 * @param {{ timeoutMs?: number; intervalMs?: number }} [options]
 * @returns {Promise<{ status: number; text: string }>}
 */
async function pollRequest(url, done, { timeoutMs = 60000, intervalMs = 1000 } = {}) {
	const t0 = Date.now();
	let last = { status: 0, text: '' };
	for (;;) {
		await new Promise((r) => setTimeout(r, intervalMs));
		try {
			const res = await n8n.httpRequest(url, { timeoutMs: 15000 });
			last = { status: res.status, text: res.text };
			if (done(res.text)) return last;
		} catch (e) {
			last = { status: 0, text: String(e && /** @type {{ message?: unknown }} */ (e).message) };
		}
		if (Date.now() - t0 > timeoutMs) return last;
	}
}

/**
 * examples/<name>.json adapted to an instance (node type, credential, id).
 * @param {ExampleName} name
 * @param {ExampleOptions} [opts]
 * @returns {Workflow}
 */
function loadExample(name, opts) {
	return demo.loadExample(name, opts);
}

/**
 * examples/marketing-batch.json writing its images into `folder`.
 * @param {ExampleOptions} opts
 * @param {string} folder
 * @returns {Workflow}
 */
function marketingWorkflow(opts, folder) {
	return demo.marketingWorkflow(opts, folder);
}

/**
 * A headless twin of examples/form-generate.json (a Manual Trigger emitting `submission`).
 * @param {ExampleOptions} opts
 * @param {Record<string, string>} [submission]
 * @returns {Workflow}
 */
function formTwinWorkflow(opts, submission) {
	return demo.formTwinWorkflow(opts, submission);
}

module.exports = {
	postMultipart,
	pollRequest,
	loadExample,
	marketingWorkflow,
	formTwinWorkflow,
	EXAMPLE_CREDENTIAL: demo.EXAMPLE_CREDENTIAL,
	PACKAGE_NODE_TYPE: demo.PACKAGE_NODE_TYPE,
	CUSTOM_NODE_TYPE: demo.CUSTOM_NODE_TYPE,
};
