// @ts-check
'use strict';
/**
 * `npm run demo -- --editor`: the same setup, then the n8n editor stays up on 127.0.0.1:<DEMO_PORT, 5678>
 * (owner account created, credential and examples imported, the webhook and form workflows active) until
 * Ctrl-C.
 */
const fs = require('node:fs');
const path = require('node:path');

const { loadExample } = require('./examples');
const { fail, log } = require('./log');
const setup = require('./setup');

/** @typedef {import('../n8n').N8nInstance} N8nInstance */
/** @typedef {import('../n8n').N8nServer} N8nServer */
/** @typedef {import('./backend').Backend} Backend */

/**
 * How to use what runs.
 * @param {N8nServer} srv
 * @param {Backend} backend
 * @param {string} version
 */
function instructions(srv, backend, version) {
	const rel = (/** @type {string} */ p) => path.relative(process.cwd(), p);
	return `
n8n ${version} editor with the StepFun node: ${srv.url}
  login:     ${srv.owner.email}  /  ${srv.owner.password}
  API:       ${backend.label}
  workflows: "${loadExample('webhook-edit').name}" (active), "${loadExample('marketing-batch').name}",
             "${loadExample('form-generate').name}" (active)
  form:      ${srv.url}/form/stepfun-generate
  webhook:   curl -F data=@${rel(setup.UPLOAD_FIXTURE)} -F prompt="Make it a watercolor" \\
               ${srv.webhookUrl('stepfun-edit')} -o edited.png
  marketing images are written to ${rel(setup.MARKETING_DIR)}/

Press Ctrl-C to stop (n8n and the simulator stop with it).`;
}

/**
 * Starts the editor and waits until n8n exits (which, short of Ctrl-C, is a failure).
 * @param {N8nInstance} inst
 * @param {Backend} backend
 * @param {string} version
 * @returns {Promise<never>}
 */
async function runEditor(inst, backend, version) {
	fs.mkdirSync(setup.MARKETING_DIR, { recursive: true });
	log('importing the credential and the example workflows ...');
	const ids = await setup.importEverything(inst, backend);
	const port = Number(process.env.DEMO_PORT || 5678);
	log(`starting the n8n ${version} editor on 127.0.0.1:${port} ...`);
	let srv;
	try {
		srv = await inst.startServer({ port });
	} catch (e) {
		const why = (e instanceof Error ? e.message : String(e)).split('\n')[0];
		throw fail(
			`could not start n8n on port ${port} (is something else using it? set DEMO_PORT): ${why}`,
		);
	}
	for (const id of [ids.webhook, ids.form]) await inst.activateWorkflow(id);
	console.log(instructions(srv, backend, version));
	const child = srv.child;
	await new Promise((resolve) => {
		child.once('exit', (code, signal) => {
			log(`n8n exited (${code ?? signal})`);
			resolve(undefined);
		});
	});
	throw fail('the n8n editor stopped unexpectedly');
}

module.exports = { runEditor };
