// The node as a person sees it in the real n8n editor: the simulator and an n8n server with the built
// package (dist/ as N8N_CUSTOM_EXTENSIONS), a "Step Plan API" credential and two workflows (the node set
// to Generate, and to Edit); a sign-in in headless Chromium; each node's panel opened by double-clicking
// it on the canvas, and the credential dialog from the panel's pencil; screenshots of each
// (generate-panel.png, edit-panel.png, credential-dialog.png and the open lists).
// Selectors (n8n 2.41): canvas node [data-test-id="canvas-node"]; panel [data-test-id="ndv"];
// credential pencil [data-test-id="credential-edit-button"]; dialog [data-test-id="editCredential-modal"].
import fs from 'node:fs';
import path from 'node:path';

import type { Page } from 'playwright-core';

import { createInstance, N8N_VERSION, type N8nServer } from '../n8n/index.cjs';
import { startSimulator } from '../simulator/index.cjs';
import { ROOT } from '../system.cjs';
import { findChromium, launchChromium } from './chromium.cjs';
import { canvasNode, capture, openPage, parkPointer, probe, quietly } from './page.cjs';
import { signIn, waitQuiet, type Screen } from './page.cjs';

export { chromiumProblem } from './chromium.cjs';
export { pngInfo } from './page.cjs';

/** `collections`: the entries of each "Add …" list, by label. */
export interface PanelSummary extends Screen {
	operation: string;
	credential: string;
	collections: Record<string, string[]>;
	canvasNode: Awaited<ReturnType<typeof canvasNode>>;
}
/** `connectionTest`: 'success', 'failed: …' or 'none shown' (n8n tests a saved credential when its
 * dialog opens). */
export interface CredentialSummary extends Screen {
	connectionTest: string;
	endpointOptions: Array<{ name: string; description: string }>;
}
export interface EditorCheckSummary {
	ok: boolean;
	problems: string[];
	n8nVersion: string;
	browser: { executablePath: string; version: string; source: string };
	timingsMs: Record<string, number>;
	panels: { generate: PanelSummary; edit: PanelSummary };
	credential: CredentialSummary;
	consoleErrors: string[];
}

const NDV = '[data-test-id="ndv"]';
const MODAL = '[data-test-id="editCredential-modal"]';
const NODE_NAME = 'StepFun Image';
const squash = (s: string) => s.replace(/\s+/g, ' ').trim();

/** The text of the first match, or '' when there is none within 2 s. */
const readQuick = (page: Page, selector: string, input = false) => {
	const el = page.locator(selector).first();
	const text = input ? el.inputValue({ timeout: 2000 }) : el.innerText({ timeout: 2000 });
	return text.catch(() => '');
};
const slugOf = (name: string) =>
	name
		.toLowerCase()
		.replace(/[^a-z0-9]+/g, '-')
		.replace(/^-|-$/g, '');

/** Each "Add …" list (Image Settings, Options) opened as a person would: its entries, a screenshot. */
async function readCollections(page: Page, operation: string, outDir: string) {
	const result: Record<string, string[]> = {};
	const has = page.locator('[data-test-id="collection-parameter-add"]');
	const items = `${NDV} [data-test-id="node-parameters"] [data-test-id="parameter-item"]`;
	const adders = page.locator(items, { has });
	for (let i = 0; i < (await adders.count()); i++) {
		const name = squash(await adders.nth(i).locator('label.n8n-input-label').first().innerText());
		await adders.nth(i).locator('[data-test-id="collection-parameter-add"]').click();
		const options = page.locator('[data-test-id="collection-parameter-option"]:visible');
		await options.first().waitFor({ state: 'visible', timeout: 10000 }).catch(quietly);
		await page.waitForTimeout(300);
		result[name] = (await options.allInnerTexts()).map(squash);
		await capture(page, outDir, `${operation}-${slugOf(name)}`, false);
		// A neutral spot closes the list (Escape would close the whole panel).
		await page.locator(`${NDV} [data-test-id="tab-params"]`).first().click();
		await options.first().waitFor({ state: 'hidden', timeout: 5000 }).catch(quietly);
	}
	return result;
}

type Where = { page: Page; server: N8nServer; outDir: string };
async function checkPanel({ page, server, outDir }: Where, operation: string, workflowId: string) {
	await page.goto(`${server.url}/workflow/${workflowId}`, { waitUntil: 'domcontentloaded' });
	const node = page.locator('[data-test-id="canvas-node"]').filter({ hasText: NODE_NAME }).first();
	await node.waitFor({ state: 'visible', timeout: 60000 });
	await waitQuiet(page);
	const canvas = await canvasNode(page, NODE_NAME); // before the panel covers it
	await node.dblclick();
	await page.locator(NDV).waitFor({ state: 'visible', timeout: 30000 });
	// A node that did not load shows "Install this node" instead of its parameters: the probe says so.
	const shown = page.locator(`${NDV} [data-parameter-path="parameters.prompt"]`);
	const missing = page.locator(NDV).getByText(/install this node/i);
	await shown.or(missing).first().waitFor({ state: 'visible', timeout: 30000 }).catch(quietly);
	await waitQuiet(page);
	const { found: _found, ...p } = await probe(page, NDV, `${NDV} [data-test-id="node-parameters"]`);
	const title = squash(await readQuick(page, `${NDV} [data-test-id="node-title-container"]`));
	const value = (id: string) => readQuick(page, `${NDV} [data-test-id="${id}"] input`, true);
	const operationShown = await value('parameter-input-operation');
	const credential = await value('node-credentials-select');
	await parkPointer(page);
	const screenshot = await capture(page, outDir, `${operation}-panel`);
	const collections = await readCollections(page, operation, outDir);
	if (!canvas.found) p.errors.push(`no "${NODE_NAME}" node on the canvas`);
	else if (canvas.hasIssues) p.errors.push('the canvas node shows an issues marker');
	const summary = { ...p, title, operation: operationShown, credential, collections, screenshot };
	return { ...summary, canvasNode: canvas } satisfies PanelSummary;
}

/** The credential dialog from the panel's pencil: its fields, the test n8n runs when it opens, the
 * Endpoint list (each entry: its name, then its description). */
async function checkCredentialDialog(page: Page, outDir: string): Promise<CredentialSummary> {
	const pencil = page.locator(`${NDV} [data-test-id="credential-edit-button"]`).first();
	if (!(await pencil.isVisible().catch(() => false))) {
		const errors = ['the node panel has no credential edit button (credential type not loaded?)'];
		const screenshot = await capture(page, outDir, 'credential-dialog', false);
		const [labels, required, parameters, notifications] = [[], [], [], []];
		const screen = { title: '', labels, required, parameters, notifications, errors, screenshot };
		return { ...screen, connectionTest: 'none shown', endpointOptions: [] };
	}
	await pencil.click();
	const modal = page.locator(MODAL);
	const label = modal.locator('label.n8n-input-label').first();
	await label.waitFor({ state: 'visible', timeout: 30000 });
	const failing = /(couldn.t connect[^.]*|could not connect[^.]*|connection test failed[^.]*)/i;
	const verdicts = new RegExp(`connection tested successfully|${failing.source}`, 'i');
	const verdict = modal.getByText(verdicts).first();
	await verdict.waitFor({ state: 'visible', timeout: 20000 }).catch(quietly);
	await waitQuiet(page, 500);
	const { found: _found, ...p } = await probe(page, MODAL);
	const text = squash(await modal.innerText());
	const failed = failing.exec(text);
	const passed = /connection tested successfully/i.test(text);
	const connectionTest = passed ? 'success' : failed ? `failed: ${failed[0]}` : 'none shown';
	if (failed) p.errors.push(`credential test ${connectionTest}`);
	const header = ['[data-test-id="credential-name"]', '.el-dialog__header', 'header'];
	const headers = header.map((h) => `${MODAL} ${h}`).join();
	const title = squash(await readQuick(page, headers)).slice(0, 200);
	const screenshot = await capture(page, outDir, 'credential-dialog');
	const select = page.locator(`${MODAL} [data-test-id="parameter-input-endpoint"] input`).first();
	const endpointOptions: CredentialSummary['endpointOptions'] = [];
	if (await select.isVisible().catch(() => false)) {
		await select.click();
		const items = page.locator('.el-select-dropdown__item:visible');
		await items.first().waitFor({ state: 'visible', timeout: 10000 }).catch(quietly);
		await page.waitForTimeout(300);
		for (const entry of await items.allInnerTexts()) {
			const [name = '', ...rest] = entry.split('\n').flatMap((l) => l.trim() || []);
			endpointOptions.push({ name, description: rest.join(' ') });
		}
		await capture(page, outDir, 'credential-endpoint-options', false);
		await page.keyboard.press('Escape');
	}
	return { ...p, title, connectionTest, endpointOptions, screenshot };
}

/** The labels each screen must show, and those it must not. */
const EXPECTED: Record<string, [shown: string[], absent: string[]]> = {
	// prettier-ignore
	'generate panel': [['Model', 'Prompt', 'Size', 'Image Settings', 'Options'], ['Input Binary Field']],
	'edit panel': [['Model', 'Input Binary Field', 'Prompt', 'Image Settings', 'Options'], ['Size']],
	'credential dialog': [['API Key', 'Endpoint', 'Base URL'], []],
};
const problemsOf = (name: string, { errors, labels }: Screen) => {
	const [shown, absent] = EXPECTED[name];
	const missing = shown.filter((l) => !labels.includes(l)).map((l) => `label "${l}" not shown`);
	const shownWrongly = absent.filter((l) => labels.includes(l));
	const extra = shownWrongly.map((l) => `label "${l}" shown but should not be`);
	return [...errors, ...missing, ...extra].map((problem) => `${name}: ${problem}`);
};

type Log = (m: string) => void;
type Options = { outDir?: string; version?: string; extensionDir?: string; log?: Log };

/** The two workflows: Start → StepFun Image, set to Generate, and to Edit. */
function workflow(operation: 'generate' | 'edit', cred: { id: string; name: string }) {
	const edit = { binaryPropertyName: 'data', prompt: 'Make the sky a warm sunset orange' };
	const generate = { prompt: 'A red bicycle leaning on a white wall, morning light' };
	const parameters = { operation, ...(operation === 'edit' ? edit : generate) };
	const credentials = { stepPlanApi: { id: cred.id, name: cred.name } };
	const start = { name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1 };
	const node = { name: NODE_NAME, type: 'CUSTOM.stepFunImage', typeVersion: 1 };
	return {
		name: `StepFun Image — ${operation === 'edit' ? 'Edit' : 'Generate'} (editor check)`,
		nodes: [
			{ ...start, position: [0, 0], parameters: {} },
			{ ...node, position: [260, 0], parameters, credentials },
		],
		connections: { Start: { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] } },
	};
}

/**
 * Rejects when Chromium is unusable, the package is not built, or the editor never shows the panel; a
 * panel with missing fields or error signs resolves with ok: false and the problems.
 */
export async function runEditorCheck(options: Options = {}): Promise<EditorCheckSummary> {
	const { outDir = path.join(ROOT, 'screenshots'), version = N8N_VERSION, log = quietly } = options;
	const extensionDir = options.extensionDir ?? path.join(ROOT, 'dist');
	await findChromium(log);
	// (Another folder, an empty one say, shows what n8n makes of a missing node.)
	const built = fs.existsSync(path.join(extensionDir, 'nodes/StepFunImage/StepFunImage.node.js'));
	const unbuilt = 'dist/ has no built node: run `npm run build` first';
	if (!options.extensionDir && !built) throw new Error(unbuilt);
	fs.mkdirSync(outDir, { recursive: true });
	const timingsMs: Record<string, number> = {};
	const started = Date.now();
	let last = started;
	const lap = (name: string) => {
		[timingsMs[name], last] = [Date.now() - last, Date.now()];
		log(`${name}: ${((last - started) / 1000).toFixed(1)} s`);
	};
	const apiKey = 'sk-editor-check';
	const sim = await startSimulator({ apiKey });
	const consoleErrors: string[] = [];
	const closing: Array<() => Promise<unknown>> = [() => sim.close()];
	try {
		const inst = await createInstance({ version, customExtensions: [extensionDir] });
		closing.unshift(() => inst.cleanup());
		const launched = await launchChromium(log);
		closing.unshift(() => launched.browser.close());
		const data = { apiKey, endpoint: 'custom', baseUrl: sim.stepPlanBaseUrl };
		const stepPlan = { name: 'Step Plan (simulator)', type: 'stepPlanApi', data };
		const [cred] = await inst.importCredentials([stepPlan]);
		const ids = await inst.importWorkflows([workflow('generate', cred), workflow('edit', cred)]);
		lap('import');
		const server = await inst.startServer();
		lap('serverStart');
		const page = await openPage(launched.browser, consoleErrors);
		await signIn(page, server);
		lap('signIn');
		const generate = await checkPanel({ page, server, outDir }, 'generate', ids[0]);
		lap('generatePanel');
		const edit = await checkPanel({ page, server, outDir }, 'edit', ids[1]);
		lap('editPanel');
		const credential = await checkCredentialDialog(page, outDir);
		lap('credentialDialog');
		const problems = [...problemsOf('generate panel', generate), ...problemsOf('edit panel', edit)];
		problems.push(...problemsOf('credential dialog', credential));
		timingsMs.total = Date.now() - started;
		const { executablePath, version: browserVersion, source } = launched.info;
		const browser = { executablePath, version: browserVersion, source };
		const [ok, panels] = [problems.length === 0, { generate, edit }];
		const summary = { ok, problems, n8nVersion: version, browser, timingsMs, panels, credential };
		return { ...summary, consoleErrors };
	} finally {
		for (const close of closing) await close().catch(quietly);
	}
}

/** `node --require tsx/cjs scripts/editor-check.cts [--out DIR] [--version X.Y.Z] [--extensions DIR]`. */
export function cli(): void {
	const args = process.argv.slice(2);
	const opt = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
	const log = (m: string) => void process.stderr.write(`[editor-check] ${m}\n`);
	const [out, extensions] = [opt('--out'), opt('--extensions')];
	const [outDir, extensionDir] = [out && path.resolve(out), extensions && path.resolve(extensions)];
	const done = (summary: EditorCheckSummary) => {
		process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
		if (!summary.ok) log(`problems:\n  ${summary.problems.join('\n  ')}`);
		process.exit(summary.ok ? 0 : 1);
	};
	const failed = (error: unknown) => {
		log(String((error as Error)?.stack ?? error));
		process.exit(1);
	};
	runEditorCheck({ outDir, version: opt('--version'), extensionDir, log }).then(done, failed);
}
