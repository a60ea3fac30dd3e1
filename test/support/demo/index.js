// @ts-check
'use strict';
/**
 * `npm run demo` (scripts/demo.js calls cli()), and a small library the end-to-end tests use: the
 * example workflows made ready for an instance (examples.js) and webhook uploads (webhook.js).
 *
 * Modules: log (progress, user-facing failures), examples, webhook, backend (simulator or real API),
 * setup (what both modes import, output folders), headless (the three runs), editor (--editor),
 * report (the closing table).
 */
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const { apiBackend } = require('./backend');
const examples = require('./examples');
const { fail, log } = require('./log');
const { printTable, secs } = require('./report');
const { OUTPUT_DIR, MARKETING_DIR, ROOT } = require('./setup');
const { multipart, postWebhook } = require('./webhook');

const HELP = `One-command demo: the StepFun Image node inside a real n8n, no account needed.

  npm run demo                 build, start the StepFun simulator, run the three example workflows headless
                               in n8n 2.41.1 and write every image into demo-output/
  npm run demo -- --editor     same setup, then keep the n8n editor running on http://127.0.0.1:5678
                               (owner account created, credential + examples imported) until Ctrl-C

Environment:
  STEPFUN_API_KEY    use the real StepFun API with this key instead of the simulator (images cost credits)
  STEPFUN_ENDPOINT   credential endpoint for the real API: stepPlanChina (default) | stepPlanGlobal |
                     openPlatformChina | openPlatformGlobal
  N8N_VERSION        n8n version to run (default 2.41.1)
  DEMO_PORT          editor port for --editor (default 5678)`;

/**
 * @param {string[]} argv
 * @returns {{ editor: boolean, help: boolean }}
 */
function parseArgs(argv) {
	const args = { editor: false, help: false };
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
	const res = spawnSync('npm', ['run', '-s', 'build'], {
		cwd: ROOT,
		stdio: ['ignore', 'pipe', 'pipe'],
		encoding: 'utf8',
	});
	if (res.error) throw fail(`npm run build could not start: ${res.error.message}`);
	if (res.status !== 0) {
		process.stderr.write(`${res.stdout}\n${res.stderr}\n`);
		throw fail(`npm run build failed (exit ${res.status}); did you run "npm install"?`);
	}
	log(`built in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	if (args.help) {
		console.log(HELP);
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
			restrictFileAccessTo: [MARKETING_DIR],
			log,
		});
		if (args.editor) {
			await require('./editor').runEditor(inst, backend, version);
			return;
		}
		const rows = await require('./headless').runHeadless(inst, backend);
		const took = secs(Date.now() - t0);
		console.log(
			`\nStepFun Image in n8n ${version} against the ${backend.label}: ${rows.length} images in ${took}\n`,
		);
		printTable(rows);
		const out = path.relative(process.cwd(), OUTPUT_DIR) || OUTPUT_DIR;
		console.log(`\nImages are in ${out}/. Next: npm run demo -- --editor`);
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
			const text = e && e.demo ? e.message : (e && e.stack) || e;
			process.stderr.write(`\n[demo] FAILED: ${text}\n`);
			process.exit(1);
		},
	);
}

module.exports = {
	cli,
	EXAMPLE_CREDENTIAL: examples.EXAMPLE_CREDENTIAL,
	PACKAGE_NODE_TYPE: examples.PACKAGE_NODE_TYPE,
	CUSTOM_NODE_TYPE: examples.CUSTOM_NODE_TYPE,
	loadExample: examples.loadExample,
	marketingWorkflow: examples.marketingWorkflow,
	formTwinWorkflow: examples.formTwinWorkflow,
	multipart,
	postWebhook,
};
