// @ts-check
'use strict';
/**
 * What both demo modes put into n8n first: the credential (pointing at the backend) and the three example
 * workflows, with fixed ids; and where the demo writes its images.
 */
const path = require('node:path');

const n8n = require('../n8n');
const {
	CUSTOM_NODE_TYPE,
	EXAMPLE_CREDENTIAL,
	loadExample,
	marketingWorkflow,
} = require('./examples');

const ROOT = path.resolve(__dirname, '../../..');
const OUTPUT_DIR = path.join(ROOT, 'demo-output');
const MARKETING_DIR = path.join(OUTPUT_DIR, 'marketing-batch');
/** The image the demo uploads to the webhook-edit workflow. */
const UPLOAD_FIXTURE = path.join(ROOT, 'test', 'fixtures', 'input-96x72.webp');
/** @type {Record<string, string>} */
const WORKFLOW_IDS = {
	'webhook-edit': 'stepfunDemoEdit1',
	'marketing-batch': 'stepfunDemoBatch',
	'form-generate': 'stepfunDemoForm1',
};

/** @typedef {import('../n8n').N8nInstance} N8nInstance */
/** @typedef {import('./backend').Backend} Backend */
/** @typedef {import('./examples').ExampleOptions} ExampleOptions */

/**
 * The example's options in this instance: the custom-extension node type, the demo credential, a fixed id.
 * @param {string} name
 * @returns {ExampleOptions}
 */
function exampleOptions(name) {
	return {
		nodeType: CUSTOM_NODE_TYPE,
		credential: { ...EXAMPLE_CREDENTIAL },
		id: WORKFLOW_IDS[name],
	};
}

/**
 * Imports the credential and the three examples (marketing-batch writing into MARKETING_DIR).
 * @param {N8nInstance} inst
 * @param {Backend} backend
 */
async function importEverything(inst, backend) {
	await inst.importCredentials([
		{ ...EXAMPLE_CREDENTIAL, type: 'stepPlanApi', data: backend.data },
	]);
	return {
		webhook: await inst.importWorkflow(loadExample('webhook-edit', exampleOptions('webhook-edit'))),
		marketing: await inst.importWorkflow(
			marketingWorkflow(exampleOptions('marketing-batch'), MARKETING_DIR),
		),
		form: await inst.importWorkflow(loadExample('form-generate', exampleOptions('form-generate'))),
	};
}

/** `n8n execute` starts a task broker on port 5679 unless told otherwise; another n8n would block it. */
async function executeOptions() {
	return { env: { N8N_RUNNERS_BROKER_PORT: String(await n8n.freePort()) } };
}

module.exports = {
	ROOT,
	OUTPUT_DIR,
	MARKETING_DIR,
	UPLOAD_FIXTURE,
	exampleOptions,
	importEverything,
	executeOptions,
};
