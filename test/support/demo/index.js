#!/usr/bin/env node
'use strict';
/**
 * One-command demo: the StepFun Image node inside a real n8n, no account needed.
 *
 *   npm run demo                 build, start the StepFun simulator, run the three example workflows headless
 *                                in n8n 2.41.1 and write every image into demo-output/
 *   npm run demo -- --editor     same setup, then keep the n8n editor running on http://127.0.0.1:5678
 *                                (owner account created, credential + examples imported) until Ctrl-C
 *
 * Environment:
 *   STEPFUN_API_KEY    use the real StepFun API with this key instead of the simulator (images cost credits)
 *   STEPFUN_ENDPOINT   credential endpoint for the real API: stepPlanChina (default) | stepPlanGlobal |
 *                      openPlatformChina | openPlatformGlobal
 *   N8N_VERSION        n8n version to run (default 2.41.1)
 *   DEMO_PORT          editor port for --editor (default 5678)
 *
 * Also a small library (require('./scripts/demo')) used by the end-to-end tests: loadExample(), headless
 * variants of the examples, multipart encoding.
 */
const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../../..');
const EXAMPLES_DIR = path.join(ROOT, 'examples');
const OUTPUT_DIR = path.join(ROOT, 'demo-output');
const PACKAGE_NODE_TYPE = 'n8n-nodes-stepfun.stepFunImage';
const CUSTOM_NODE_TYPE = 'CUSTOM.stepFunImage';
/** Credential reference used in examples/*.json (16 alphanumerics, like an n8n id). */
const EXAMPLE_CREDENTIAL = { id: 'stepfunPlanCred1', name: 'Step Plan account' };
const WORKFLOW_IDS = {
	'webhook-edit': 'stepfunDemoEdit1',
	'marketing-batch': 'stepfunDemoBatch',
	'form-generate': 'stepfunDemoForm1',
};
const ENDPOINTS = ['stepPlanChina', 'stepPlanGlobal', 'openPlatformChina', 'openPlatformGlobal'];

// ------------------------------------------------------------------ example loading (also used by tests)

/**
 * Read examples/<name>.json and adapt it to an n8n instance:
 *  - nodeType: the StepFun node type to use (CUSTOM.stepFunImage when loaded from a custom-extension folder)
 *  - credential: { id, name } replacing the example's placeholder credential reference
 *  - id: workflow id to give it
 */
function loadExample(name, { nodeType = PACKAGE_NODE_TYPE, credential = EXAMPLE_CREDENTIAL, id } = {}) {
	const wf = JSON.parse(fs.readFileSync(path.join(EXAMPLES_DIR, `${name}.json`), 'utf8'));
	for (const node of wf.nodes) {
		if (node.type === PACKAGE_NODE_TYPE) node.type = nodeType;
		if (node.credentials && node.credentials.stepPlanApi) node.credentials.stepPlanApi = { ...credential };
	}
	if (id) wf.id = id;
	return wf;
}

function findNode(wf, predicate) {
	const node = wf.nodes.find(predicate);
	if (!node) throw new Error(`workflow "${wf.name}": node not found`);
	return node;
}

function setCodeConstant(node, constName, value) {
	const re = new RegExp(`const ${constName} = [^;]*;`);
	if (!re.test(node.parameters.jsCode)) throw new Error(`Code node "${node.name}" has no "const ${constName} = ...;"`);
	node.parameters.jsCode = node.parameters.jsCode.replace(re, `const ${constName} = ${JSON.stringify(value)};`);
}

/** marketing-batch with its output folder (a constant in the Code node) set to `folder`. */
function marketingWorkflow(opts, folder) {
	const wf = loadExample('marketing-batch', opts);
	setCodeConstant(
		findNode(wf, (n) => n.type === 'n8n-nodes-base.code'),
		'outputFolder',
		folder,
	);
	return wf;
}

/**
 * A headless twin of form-generate: the Form Trigger becomes a Manual Trigger + a Code node (same name, so
 * expressions like $json.Prompt keep working) that emits what the form would submit; the completion page
 * (which needs a browser session) is dropped.
 */
function formTwinWorkflow(opts, submission = { Prompt: 'A red fox in the snow, watercolor', Size: '1360x768' }) {
	const wf = loadExample('form-generate', opts);
	const trigger = findNode(wf, (n) => n.type === 'n8n-nodes-base.formTrigger');
	const completion = wf.nodes.filter((n) => n.type === 'n8n-nodes-base.form').map((n) => n.name);
	const start = {
		parameters: {},
		id: crypto.randomUUID(),
		name: 'Start',
		type: 'n8n-nodes-base.manualTrigger',
		typeVersion: 1,
		position: [trigger.position[0] - 240, trigger.position[1]],
	};
	Object.assign(trigger, {
		type: 'n8n-nodes-base.code',
		typeVersion: 2,
		parameters: {
			jsCode: `return [{ json: { ...${JSON.stringify(submission)}, submittedAt: new Date().toISOString(), formMode: 'headless' } }];`,
		},
	});
	delete trigger.webhookId;
	wf.nodes = wf.nodes.filter((n) => !completion.includes(n.name));
	wf.nodes.unshift(start);
	for (const from of Object.keys(wf.connections)) {
		if (completion.includes(from)) delete wf.connections[from];
		else
			wf.connections[from].main = wf.connections[from].main.map((outs) =>
				outs.filter((c) => !completion.includes(c.node)),
			);
	}
	wf.connections.Start = { main: [[{ node: trigger.name, type: 'main', index: 0 }]] };
	wf.name += ' (headless twin)';
	return wf;
}

/** Encode multipart/form-data. parts: [{ name, value }] or [{ name, filename, contentType, data: Buffer }]. */
function multipart(parts) {
	const boundary = `----stepfun-demo-${crypto.randomBytes(12).toString('hex')}`;
	const chunks = [];
	for (const p of parts) {
		let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
		if (p.filename !== undefined) head += `; filename="${p.filename}"\r\nContent-Type: ${p.contentType || 'application/octet-stream'}`;
		chunks.push(Buffer.from(`${head}\r\n\r\n`), Buffer.isBuffer(p.data) ? p.data : Buffer.from(String(p.value ?? '')), Buffer.from('\r\n'));
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** POST to a webhook until it is registered (activation can trail the REST answer by a moment). */
async function postWebhook(httpRequest, url, { body, headers, timeoutMs = 120000, retries = 40 }) {
	for (let i = 0; ; i++) {
		const res = await httpRequest(url, { method: 'POST', body, headers, timeoutMs });
		if (res.status !== 404 || i >= retries) return res;
		await new Promise((r) => setTimeout(r, 250));
	}
}

// ------------------------------------------------------------------ demo

const log = (msg) => process.stderr.write(`[demo] ${msg}\n`);

function fail(msg) {
	const e = new Error(msg);
	e.demo = true;
	return e;
}

function parseArgs(argv) {
	const args = { editor: false };
	for (const a of argv) {
		if (a === '--editor') args.editor = true;
		else if (a === '-h' || a === '--help') args.help = true;
		else throw fail(`unknown argument ${a} (try --help)`);
	}
	return args;
}

function build() {
	log('building the package (npm run build) ...');
	const t0 = Date.now();
	const res = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
	if (res.error) throw fail(`npm run build could not start: ${res.error.message}`);
	if (res.status !== 0) {
		process.stderr.write(`${res.stdout}\n${res.stderr}\n`);
		throw fail(`npm run build failed (exit ${res.status}); did you run "npm install"?`);
	}
	log(`built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

/** The credential data: the simulator, or the real API when STEPFUN_API_KEY is set. */
async function apiBackend() {
	const key = (process.env.STEPFUN_API_KEY || '').trim();
	if (key) {
		const endpoint = (process.env.STEPFUN_ENDPOINT || 'stepPlanChina').trim();
		if (!ENDPOINTS.includes(endpoint)) throw fail(`STEPFUN_ENDPOINT must be one of ${ENDPOINTS.join(', ')} (got "${endpoint}")`);
		log(`using the real StepFun API (endpoint ${endpoint}); every image costs credits`);
		return { label: `StepFun API (${endpoint})`, data: { apiKey: key, endpoint }, close: async () => {} };
	}
	const { startSimulator } = require('../simulator');
	const apiKey = 'sk-demo-simulator';
	const sim = await startSimulator({ apiKey, host: '127.0.0.1', latencyMs: 300, latencyJitterMs: 400 });
	log(`StepFun simulator listening on ${sim.stepPlanBaseUrl} (set STEPFUN_API_KEY to use the real API)`);
	return {
		label: `simulator ${sim.stepPlanBaseUrl}`,
		sim,
		data: { apiKey, endpoint: 'custom', baseUrl: sim.stepPlanBaseUrl },
		close: () => sim.close(),
	};
}

/** `n8n execute` starts a task broker on port 5679 unless told otherwise; another n8n on the machine would block it. */
async function executeOptions(n8n) {
	return { env: { N8N_RUNNERS_BROKER_PORT: String(await n8n.freePort()) } };
}

function dims(buf) {
	const { imageInfo } = require('../simulator');
	try {
		const info = imageInfo(buf);
		return info ? `${info.width}x${info.height} ${info.format}` : 'not an image';
	} catch (e) {
		return `unreadable (${e.message})`;
	}
}

function printTable(rows) {
	const head = ['workflow', 'file', 'image', 'seed', 'time'];
	const data = rows.map((r) => [r.workflow, path.relative(process.cwd(), r.file) || r.file, r.image, String(r.seed ?? ''), r.time]);
	const widths = head.map((h, i) => Math.max(h.length, ...data.map((d) => d[i].length)));
	const line = (cells) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
	console.log(line(head));
	console.log(widths.map((w) => '-'.repeat(w)).join('  '));
	for (const d of data) console.log(line(d));
}

function secs(ms) {
	return ms === undefined || ms === null ? '' : `${(Number(ms) / 1000).toFixed(1)} s`;
}

async function importEverything(inst, backend, { marketingFolder }) {
	const credential = { ...EXAMPLE_CREDENTIAL };
	await inst.importCredentials([{ ...credential, type: 'stepPlanApi', data: backend.data }]);
	const opts = (name) => ({ nodeType: CUSTOM_NODE_TYPE, credential, id: WORKFLOW_IDS[name] });
	const ids = {
		webhook: await inst.importWorkflow(loadExample('webhook-edit', opts('webhook-edit'))),
		marketing: await inst.importWorkflow(marketingWorkflow(opts('marketing-batch'), marketingFolder)),
		form: await inst.importWorkflow(loadExample('form-generate', opts('form-generate'))),
	};
	return { credential, ids, opts };
}

async function runHeadless(n8n, inst, backend) {
	const rows = [];
	const marketingFolder = path.join(OUTPUT_DIR, 'marketing-batch');
	fs.mkdirSync(marketingFolder, { recursive: true });
	log('importing the credential and the example workflows ...');
	const { ids, opts } = await importEverything(inst, backend, { marketingFolder });
	const formTwinId = await inst.importWorkflow(formTwinWorkflow({ ...opts('form-generate'), id: n8n.randomId(16) }));

	// 1. marketing batch: n8n itself writes the files (Read/Write Files from Disk)
	log('running "marketing-batch" (n8n execute) ...');
	const batch = await inst.execute(ids.marketing, await executeOptions(n8n));
	const generated = n8n.nodeOutput(batch, 'Generate Images');
	const saved = n8n.nodeOutput(batch, 'Save to Disk');
	if (saved.length !== generated.length || generated.length === 0) {
		throw fail(`marketing-batch: ${generated.length} images generated but ${saved.length} saved`);
	}
	for (const item of generated) {
		const file = path.join(marketingFolder, item.json.fileName);
		if (!fs.existsSync(file)) throw fail(`marketing-batch: n8n did not write ${file}`);
		rows.push({ workflow: 'marketing-batch', file, image: dims(fs.readFileSync(file)), seed: item.json.seed, time: secs(item.json.durationMs) });
	}

	// 2. form-generate through its headless twin
	log('running "form-generate" (headless twin, n8n execute) ...');
	const formRun = await inst.execute(formTwinId, await executeOptions(n8n));
	const formDir = path.join(OUTPUT_DIR, 'form-generate');
	fs.mkdirSync(formDir, { recursive: true });
	for (const item of n8n.nodeOutput(formRun, 'Generate Image')) {
		const bin = item.binary && item.binary.data;
		if (!bin || !bin.data) throw fail('form-generate: no inline image data in the run output');
		const buf = Buffer.from(bin.data, 'base64');
		const file = path.join(formDir, item.json.fileName || 'image.png');
		fs.writeFileSync(file, buf);
		rows.push({ workflow: 'form-generate', file, image: dims(buf), seed: item.json.seed, time: secs(item.json.durationMs) });
	}

	// 3. webhook-edit: a real multipart upload to the production webhook
	log('starting the n8n server for "webhook-edit" ...');
	const srv = await inst.startServer();
	await inst.activateWorkflow(ids.webhook);
	const inputFile = path.join(ROOT, 'test', 'fixtures', 'input-96x72.webp');
	const upload = fs.readFileSync(inputFile);
	const form = multipart([
		{ name: 'prompt', value: 'Make it look like a watercolor painting' },
		{ name: 'data', filename: path.basename(inputFile), contentType: 'image/webp', data: upload },
	]);
	const url = srv.webhookUrl('stepfun-edit');
	log(`POST ${url} (multipart: data=${path.basename(inputFile)} ${dims(upload)}, prompt) ...`);
	const t0 = Date.now();
	const res = await postWebhook(n8n.httpRequest, url, { body: form.body, headers: { 'content-type': form.contentType } });
	const ms = Date.now() - t0;
	if (res.status !== 200) throw fail(`webhook-edit: HTTP ${res.status}: ${res.text.slice(0, 1000)}`);
	const editDir = path.join(OUTPUT_DIR, 'webhook-edit');
	fs.mkdirSync(editDir, { recursive: true });
	const disposition = /filename="?([^";]+)"?/.exec(res.headers['content-disposition'] || '');
	const file = path.join(editDir, disposition ? path.basename(disposition[1]) : 'edited.png');
	fs.writeFileSync(file, res.buffer);
	rows.push({ workflow: 'webhook-edit', file, image: dims(res.buffer), seed: res.headers['x-stepfun-seed'], time: secs(ms) });
	await srv.stop();
	return rows;
}

async function runEditor(n8n, inst, backend, version) {
	const marketingFolder = path.join(OUTPUT_DIR, 'marketing-batch');
	fs.mkdirSync(marketingFolder, { recursive: true });
	log('importing the credential and the example workflows ...');
	const { ids } = await importEverything(inst, backend, { marketingFolder });
	const port = Number(process.env.DEMO_PORT || 5678);
	log(`starting the n8n ${version} editor on 127.0.0.1:${port} ...`);
	let srv;
	try {
		srv = await inst.startServer({ port });
	} catch (e) {
		throw fail(`could not start n8n on port ${port} (is something else using it? set DEMO_PORT): ${e.message.split('\n')[0]}`);
	}
	for (const id of [ids.webhook, ids.form]) await inst.activateWorkflow(id);
	const fixture = path.join(ROOT, 'test', 'fixtures', 'input-96x72.webp');
	console.log(`
n8n ${version} editor with the StepFun node: ${srv.url}
  login:     ${srv.owner.email}  /  ${srv.owner.password}
  API:       ${backend.label}
  workflows: "${loadExample('webhook-edit').name}" (active), "${loadExample('marketing-batch').name}",
             "${loadExample('form-generate').name}" (active)
  form:      ${srv.url}/form/stepfun-generate
  webhook:   curl -F data=@${path.relative(process.cwd(), fixture)} -F prompt="Make it a watercolor" \\
               ${srv.webhookUrl('stepfun-edit')} -o edited.png
  marketing images are written to ${path.relative(process.cwd(), marketingFolder)}/

Press Ctrl-C to stop (n8n and the simulator stop with it).`);
	await new Promise((resolve) => {
		srv.child.once('exit', (code, signal) => {
			log(`n8n exited (${code ?? signal})`);
			resolve();
		});
	});
	throw fail('the n8n editor stopped unexpectedly');
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if (args.help) {
		console.log(fs.readFileSync(__filename, 'utf8').split('\n').slice(3, 18).map((l) => l.replace(/^ \* ?/, '')).join('\n'));
		return;
	}
	const t0 = Date.now();
	build();
	const n8n = require('../n8n');
	const version = process.env.N8N_VERSION || '2.41.1';
	let backend;
	let inst;
	try {
		backend = await apiBackend();
		log(`making sure n8n ${version} is installed (the first time takes several minutes) ...`);
		await n8n.ensureN8n(version);
		fs.mkdirSync(OUTPUT_DIR, { recursive: true });
		inst = await n8n.createInstance({
			version,
			customExtensions: [path.join(ROOT, 'dist')],
			binaryDataMode: 'default',
			restrictFileAccessTo: [path.join(OUTPUT_DIR, 'marketing-batch')],
			log,
		});
		if (args.editor) {
			await runEditor(n8n, inst, backend, version);
			return;
		}
		const rows = await runHeadless(n8n, inst, backend);
		console.log(`\nStepFun Image in n8n ${version} against the ${backend.label}: ${rows.length} images in ${secs(Date.now() - t0)}\n`);
		printTable(rows);
		console.log(`\nImages are in ${path.relative(process.cwd(), OUTPUT_DIR) || OUTPUT_DIR}/. Next: npm run demo -- --editor`);
	} finally {
		if (inst) await inst.cleanup().catch(() => {});
		if (backend) await backend.close().catch(() => {});
	}
}

/** The `npm run demo` command line (scripts/demo.js). */
function cli() {
	main().then(
		() => process.exit(0),
		(e) => {
			process.stderr.write(`\n[demo] FAILED: ${e && e.demo ? e.message : e && e.stack ? e.stack : e}\n`);
			process.exit(1);
		},
	);
}

module.exports = {
	cli,
	EXAMPLE_CREDENTIAL,
	PACKAGE_NODE_TYPE,
	CUSTOM_NODE_TYPE,
	loadExample,
	marketingWorkflow,
	formTwinWorkflow,
	multipart,
	postWebhook,
};
