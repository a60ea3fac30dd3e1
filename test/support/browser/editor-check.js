// @ts-check
'use strict';
/**
 * The node as a person sees it in the real n8n editor: starts the StepFun simulator and an n8n server with
 * the built package (dist/, via N8N_CUSTOM_EXTENSIONS), imports a "Step Plan API" credential and two
 * workflows (a StepFun Image node set to Generate, one set to Edit), signs in through the sign-in page of
 * headless Chromium, opens each node's panel by double-clicking it on the canvas, then the credential
 * dialog from the panel's credential pencil, and screenshots all three.
 *
 *   node scripts/editor-check.js [--out screenshots] [--version 2.41.1] [--extensions dist]   (npm run build first)
 *   const { runEditorCheck } = require('./test/support/browser/editor-check');  await runEditorCheck({ outDir })
 *
 * Writes <outDir>/generate-panel.png, edit-panel.png, credential-dialog.png (and screenshots of the open
 * lists) and prints / resolves an EditorCheckSummary. The CLI exits 1 when `ok` is false.
 * The browser: chromium.js (@sparticuz/chromium from npm, or CHROMIUM_PATH). EDITOR_CHECK_DEBUG=1 also
 * writes each page's HTML next to the screenshots.
 */
const fs = require('node:fs');
const path = require('node:path');

const { chromiumPath, chromiumProblem, findChromium, launchChromium } = require('./chromium');
const { pngInfo } = require('./capture');
const { checkCredentialDialog } = require('./credential-dialog');
const { API_KEY, NODE_NAME, credential, workflow } = require('./editor-workflows');
const { checkPanel } = require('./panels');
const { openPage, signIn } = require('./session');

const ROOT = path.resolve(__dirname, '../../..');

/** @typedef {import('./panels').PanelSummary} PanelSummary */
/** @typedef {import('./credential-dialog').CredentialSummary} CredentialSummary */
/** @typedef {import('./chromium').ChromiumInfo} ChromiumInfo */

/**
 * @typedef {object} EditorCheckSummary
 * @property {boolean} ok
 * @property {string[]} problems
 * @property {string} n8nVersion
 * @property {{ executablePath: string, version: string, source: string }} browser the Chromium used
 * @property {Record<string, number>} timingsMs
 * @property {{ generate: PanelSummary, edit: PanelSummary }} panels
 * @property {CredentialSummary} credential
 * @property {string[]} consoleErrors
 */

/**
 * @typedef {object} EditorCheckOptions
 * @property {string} [outDir] where the PNGs go (default <repo>/screenshots)
 * @property {string} [version] n8n version (default 2.41.1; installed by ensureN8n)
 * @property {string} [extensionDir] folder given to n8n as N8N_CUSTOM_EXTENSIONS (default <repo>/dist;
 *   an empty one shows what a missing node looks like)
 * @property {(message: string) => void} [log]
 */

function assertBuilt() {
	const nodeFile = path.join(ROOT, 'dist/nodes/StepFunImage/StepFunImage.node.js');
	const credFile = path.join(ROOT, 'dist/credentials/StepPlanApi.credentials.js');
	for (const f of [nodeFile, credFile]) {
		if (!fs.existsSync(f)) {
			throw new Error(`${path.relative(ROOT, f)} is missing: run \`npm run build\` first`);
		}
	}
}

/** The labels each screen must show, and those it must not. */
const EXPECTED_LABELS = {
	'generate panel': {
		shown: ['Model', 'Prompt', 'Size', 'Image Settings', 'Options'],
		absent: ['Input Binary Field'],
	},
	'edit panel': {
		shown: ['Model', 'Input Binary Field', 'Prompt', 'Image Settings', 'Options'],
		absent: ['Size'],
	},
	'credential dialog': { shown: ['API Key', 'Endpoint', 'Base URL'], absent: [] },
};

/**
 * The screen's error signs and missing (or unexpected) labels.
 * @param {keyof typeof EXPECTED_LABELS} name
 * @param {{ labels: string[], errors: string[] }} screen
 */
function screenProblems(name, screen) {
	const { shown, absent } = EXPECTED_LABELS[name];
	return [
		...screen.errors,
		...shown.filter((l) => !screen.labels.includes(l)).map((l) => `label "${l}" not shown`),
		...absent
			.filter((l) => screen.labels.includes(l))
			.map((l) => `label "${l}" shown but should not be`),
	].map((p) => `${name}: ${p}`);
}

/**
 * Runs the check. Rejects when Chromium is unusable, the package is not built, or the editor never shows
 * the node's panel; a panel with missing fields or error signs resolves with ok: false and the problems.
 * @param {EditorCheckOptions} [options]
 * @returns {Promise<EditorCheckSummary>}
 */
async function runEditorCheck({
	outDir = path.join(ROOT, 'screenshots'),
	version = '2.41.1',
	extensionDir = path.join(ROOT, 'dist'),
	log = () => {},
} = {}) {
	await findChromium({ log });
	if (extensionDir === path.join(ROOT, 'dist')) assertBuilt();
	const n8n = require('../n8n');
	const { startSimulator } = require('../simulator');
	fs.mkdirSync(outDir, { recursive: true });

	/** @type {Record<string, number>} */
	const timingsMs = {};
	const t0 = Date.now();
	let last = t0;
	/** @param {string} name */
	const lap = (name) => {
		const now = Date.now();
		timingsMs[name] = now - last;
		last = now;
		log(`${name}: ${((now - t0) / 1000).toFixed(1)} s`);
	};

	let sim;
	let inst;
	let browser;
	/** @type {string[]} */
	const consoleErrors = [];
	try {
		sim = await startSimulator({ apiKey: API_KEY });
		inst = await n8n.createInstance({ version, customExtensions: [extensionDir] });
		const [cred] = await inst.importCredentials([credential(sim.stepPlanBaseUrl)]);
		const generateId = await inst.importWorkflow(workflow('generate', cred));
		const editId = await inst.importWorkflow(workflow('edit', cred));
		lap('import');
		const srv = await inst.startServer();
		lap('serverStart');

		const launched = await launchChromium({ log });
		browser = launched.browser;
		const page = await openPage(browser, consoleErrors);
		await signIn(page, srv);
		lap('signIn');

		const panel = { nodeName: NODE_NAME, outDir };
		const generate = await checkPanel(page, srv, {
			...panel,
			operation: 'generate',
			workflowId: generateId,
		});
		lap('generatePanel');
		const edit = await checkPanel(page, srv, { ...panel, operation: 'edit', workflowId: editId });
		lap('editPanel');
		const credentialDialog = await checkCredentialDialog(page, outDir);
		lap('credentialDialog');

		const problems = [
			...screenProblems('generate panel', generate),
			...screenProblems('edit panel', edit),
			...screenProblems('credential dialog', credentialDialog),
		];
		timingsMs.total = Date.now() - t0;
		const { executablePath, version: browserVersion, source } = launched.info;
		return {
			ok: problems.length === 0,
			problems,
			n8nVersion: version,
			browser: { executablePath, version: browserVersion, source },
			timingsMs,
			panels: { generate, edit },
			credential: credentialDialog,
			consoleErrors,
		};
	} finally {
		if (browser) await browser.close().catch(() => {});
		if (inst) await inst.cleanup().catch(() => {});
		if (sim) await sim.close().catch(() => {});
	}
}

/** The editor check's command line (scripts/editor-check.js). */
function cli() {
	const args = process.argv.slice(2);
	/**
	 * @param {string} name
	 * @param {string} def
	 */
	const opt = (name, def) => {
		const i = args.indexOf(name);
		return i >= 0 && args[i + 1] ? args[i + 1] : def;
	};
	const outDir = path.resolve(opt('--out', path.join(ROOT, 'screenshots')));
	const version = opt('--version', process.env.N8N_VERSION || '2.41.1');
	const extensionDir = path.resolve(opt('--extensions', path.join(ROOT, 'dist')));
	/** @param {string} m */
	const log = (m) => process.stderr.write(`[editor-check] ${m}\n`);
	runEditorCheck({ outDir, version, extensionDir, log })
		.then((summary) => {
			process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
			if (!summary.ok) log(`problems:\n  ${summary.problems.join('\n  ')}`);
			process.exit(summary.ok ? 0 : 1);
		})
		.catch((e) => {
			log(String((e instanceof Error && e.stack) || e));
			process.exit(1);
		});
}

module.exports = { cli, runEditorCheck, findChromium, chromiumProblem, chromiumPath, pngInfo };
