// @ts-check
'use strict';
/**
 * `npm run demo`: the three examples run in n8n without a person, every image written under demo-output/:
 * marketing-batch (n8n writes the files itself), form-generate (its headless twin) and webhook-edit (a real
 * multipart upload to the production webhook).
 */
const fs = require('node:fs');
const path = require('node:path');

const n8n = require('../n8n');
const { formTwinWorkflow } = require('./examples');
const { fail, log } = require('./log');
const { dims, secs } = require('./report');
const setup = require('./setup');
const { multipart, postWebhook } = require('./webhook');

/** @typedef {import('../n8n').N8nInstance} N8nInstance */
/** @typedef {import('./backend').Backend} Backend */
/** @typedef {import('./report').ImageRow} ImageRow */

/**
 * marketing-batch: the Read/Write Files node saves every generated image into MARKETING_DIR.
 * @param {N8nInstance} inst
 * @param {string} workflowId
 * @returns {Promise<ImageRow[]>}
 */
async function runMarketing(inst, workflowId) {
	log('running "marketing-batch" (n8n execute) ...');
	const batch = await inst.execute(workflowId, await setup.executeOptions());
	const generated = n8n.nodeOutput(batch, 'Generate Images');
	const saved = n8n.nodeOutput(batch, 'Save to Disk');
	if (saved.length !== generated.length || generated.length === 0) {
		throw fail(`marketing-batch: ${generated.length} images generated but ${saved.length} saved`);
	}
	return generated.map((item) => {
		const file = path.join(setup.MARKETING_DIR, item.json.fileName);
		if (!fs.existsSync(file)) throw fail(`marketing-batch: n8n did not write ${file}`);
		const image = dims(fs.readFileSync(file));
		return {
			workflow: 'marketing-batch',
			file,
			image,
			seed: item.json.seed,
			time: secs(item.json.durationMs),
		};
	});
}

/**
 * form-generate through its headless twin; the images come back inline in the run's output.
 * @param {N8nInstance} inst
 * @returns {Promise<ImageRow[]>}
 */
async function runFormTwin(inst) {
	const twin = formTwinWorkflow({ ...setup.exampleOptions('form-generate'), id: n8n.randomId(16) });
	const twinId = await inst.importWorkflow(twin);
	log('running "form-generate" (headless twin, n8n execute) ...');
	const run = await inst.execute(twinId, await setup.executeOptions());
	const dir = path.join(setup.OUTPUT_DIR, 'form-generate');
	fs.mkdirSync(dir, { recursive: true });
	return n8n.nodeOutput(run, 'Generate Image').map((item) => {
		const bin = item.binary && item.binary.data;
		if (!bin || !bin.data) throw fail('form-generate: no inline image data in the run output');
		const buf = Buffer.from(bin.data, 'base64');
		const file = path.join(dir, item.json.fileName || 'image.png');
		fs.writeFileSync(file, buf);
		return {
			workflow: 'form-generate',
			file,
			image: dims(buf),
			seed: item.json.seed,
			time: secs(item.json.durationMs),
		};
	});
}

/**
 * webhook-edit: the server runs, the workflow is active, and the fixture image is uploaded to its webhook.
 * @param {N8nInstance} inst
 * @param {string} workflowId
 * @returns {Promise<ImageRow[]>}
 */
async function runWebhookEdit(inst, workflowId) {
	log('starting the n8n server for "webhook-edit" ...');
	const srv = await inst.startServer();
	try {
		await inst.activateWorkflow(workflowId);
		const upload = fs.readFileSync(setup.UPLOAD_FIXTURE);
		const uploadName = path.basename(setup.UPLOAD_FIXTURE);
		const form = multipart([
			{ name: 'prompt', value: 'Make it look like a watercolor painting' },
			{ name: 'data', filename: uploadName, contentType: 'image/webp', data: upload },
		]);
		const url = srv.webhookUrl('stepfun-edit');
		log(`POST ${url} (multipart: data=${uploadName} ${dims(upload)}, prompt) ...`);
		const t0 = Date.now();
		const headers = { 'content-type': form.contentType };
		const res = await postWebhook(n8n.httpRequest, url, { body: form.body, headers });
		const ms = Date.now() - t0;
		if (res.status !== 200)
			throw fail(`webhook-edit: HTTP ${res.status}: ${res.text.slice(0, 1000)}`);
		const dir = path.join(setup.OUTPUT_DIR, 'webhook-edit');
		fs.mkdirSync(dir, { recursive: true });
		const disposition = /filename="?([^";]+)"?/.exec(
			String(res.headers['content-disposition'] || ''),
		);
		const file = path.join(dir, disposition ? path.basename(disposition[1]) : 'edited.png');
		fs.writeFileSync(file, res.buffer);
		const seed = res.headers['x-stepfun-seed'];
		return [{ workflow: 'webhook-edit', file, image: dims(res.buffer), seed, time: secs(ms) }];
	} finally {
		await srv.stop();
	}
}

/**
 * Imports everything and runs the three examples; resolves one row per image written.
 * @param {N8nInstance} inst
 * @param {Backend} backend
 * @returns {Promise<ImageRow[]>}
 */
async function runHeadless(inst, backend) {
	fs.mkdirSync(setup.MARKETING_DIR, { recursive: true });
	log('importing the credential and the example workflows ...');
	const ids = await setup.importEverything(inst, backend);
	return [
		...(await runMarketing(inst, ids.marketing)),
		...(await runFormTwin(inst)),
		...(await runWebhookEdit(inst, ids.webhook)),
	];
}

module.exports = { runHeadless };
