// @ts-check
'use strict';
/**
 * The node's panel (NDV) as a person opens it: the workflow's canvas, a double-click on the node, then
 * what the panel shows (title, operation, credential, parameters, the entries of each "Add …" list) and
 * every error sign, with screenshots: <operation>-panel.png and <operation>-<collection>.png.
 *
 * Selectors (n8n 2.41): canvas node [data-test-id="canvas-node"]; panel [data-test-id="ndv"] with
 * [data-test-id="node-parameters"]; each parameter row [data-test-id="parameter-item"] with a
 * label.n8n-input-label and an input [data-parameter-path="parameters.<name>"].
 */
const { capture } = require('./capture');
const { canvasNode, probe } = require('./probe');
const { parkPointer, waitQuiet } = require('./session');

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('./probe').CanvasNodeInfo} CanvasNodeInfo */
/** @typedef {import('./probe').Notification} Notification */
/** @typedef {import('./session').Server} Server */

/**
 * @typedef {object} PanelSummary
 * @property {string} title title in the panel header (the node's name)
 * @property {string} operation value shown in the Operation select ("Generate" / "Edit")
 * @property {string} credential credential selected in the panel
 * @property {string[]} labels visible parameter labels, top to bottom (required markers "*" removed)
 * @property {string[]} required labels shown with a required marker
 * @property {string[]} parameters visible parameter inputs (names, from data-parameter-path)
 * @property {Record<string, string[]>} collections entries of each collection's "Add …" list, by label
 * @property {CanvasNodeInfo} canvasNode
 * @property {Notification[]} notifications
 * @property {string[]} errors every error sign seen (notifications, issue markers, banners, texts)
 * @property {string} screenshot
 */

const NDV = '[data-test-id="ndv"]';

/** @param {string} s */
const squash = (s) => s.replace(/\s+/g, ' ').trim();

/**
 * Opens the workflow and the node's panel; resolves the canvas node's state before the panel covers it.
 * @param {Page} page
 * @param {Server} srv
 * @param {string} workflowId
 * @param {string} nodeName
 */
async function openNodePanel(page, srv, workflowId, nodeName) {
	await page.goto(`${srv.url}/workflow/${workflowId}`, { waitUntil: 'domcontentloaded' });
	const node = page.locator('[data-test-id="canvas-node"]').filter({ hasText: nodeName }).first();
	await node.waitFor({ state: 'visible', timeout: 60000 });
	await waitQuiet(page);
	// Is the node marked with issues, or drawn as "not installed"?
	const canvas = await canvasNode(page, nodeName);
	await node.dblclick();
	await page.locator(NDV).waitFor({ state: 'visible', timeout: 30000 });
	// A node that did not load has no parameters (n8n shows "Install this node" instead): the probe reports it.
	await page
		.locator(`${NDV} [data-parameter-path="parameters.prompt"]`)
		.or(page.locator(NDV).getByText(/install this node/i))
		.first()
		.waitFor({ state: 'visible', timeout: 30000 })
		.catch(() => {});
	await waitQuiet(page);
	return canvas;
}

/**
 * Opens each collection's "Add …" list (Image Settings, Options) the way a person would, reads the offered
 * entries, screenshots the open list as <operation>-<collection>.png and closes it again.
 * @param {Page} page
 * @param {string} operation
 * @param {string} outDir
 */
async function readCollectionOptions(page, operation, outDir) {
	/** @type {Record<string, string[]>} */
	const result = {};
	const adders = page.locator(
		`${NDV} [data-test-id="node-parameters"] [data-test-id="parameter-item"]`,
		{
			has: page.locator('[data-test-id="collection-parameter-add"]'),
		},
	);
	const n = await adders.count();
	for (let i = 0; i < n; i++) {
		const row = adders.nth(i);
		const name = squash(await row.locator('label.n8n-input-label').first().innerText());
		await row.locator('[data-test-id="collection-parameter-add"]').click();
		const options = page.locator('[data-test-id="collection-parameter-option"]:visible');
		await options
			.first()
			.waitFor({ state: 'visible', timeout: 10000 })
			.catch(() => {});
		await page.waitForTimeout(300);
		result[name] = (await options.allInnerTexts()).map(squash);
		const slug = name
			.toLowerCase()
			.replace(/[^a-z0-9]+/g, '-')
			.replace(/^-|-$/g, '');
		await capture(page, outDir, `${operation}-${slug}`, { html: false });
		// Close the list by clicking a neutral spot (Escape would close the whole panel).
		await page.locator(`${NDV} [data-test-id="tab-params"]`).first().click();
		await options
			.first()
			.waitFor({ state: 'hidden', timeout: 5000 })
			.catch(() => {});
	}
	return result;
}

/**
 * The text of the first element matching `selector`, or '' when there is none within 2 s.
 * @param {Page} page
 * @param {string} selector
 * @param {'innerText' | 'inputValue'} read
 */
async function readQuick(page, selector, read) {
	const el = page.locator(selector).first();
	const quick = { timeout: 2000 };
	return await (read === 'innerText' ? el.innerText(quick) : el.inputValue(quick)).catch(() => '');
}

/**
 * Opens the node's panel in `workflowId` and reports what it shows.
 * @param {Page} page
 * @param {Server} srv
 * @param {{ operation: string, workflowId: string, nodeName: string, outDir: string }} target
 * @returns {Promise<PanelSummary>}
 */
async function checkPanel(page, srv, { operation, workflowId, nodeName, outDir }) {
	const canvas = await openNodePanel(page, srv, workflowId, nodeName);
	// Errors anywhere in the panel; labels only from its parameter list.
	const p = await probe(page, NDV, `${NDV} [data-test-id="node-parameters"]`);
	const header = await readQuick(page, `${NDV} [data-test-id="node-title-container"]`, 'innerText');
	const operationValue = await readQuick(
		page,
		`${NDV} [data-test-id="parameter-input-operation"] input`,
		'inputValue',
	);
	const credentialValue = await readQuick(
		page,
		`${NDV} [data-test-id="node-credentials-select"] input`,
		'inputValue',
	);
	await parkPointer(page);
	const screenshot = await capture(page, outDir, `${operation}-panel`);
	const collections = await readCollectionOptions(page, operation, outDir);
	const errors = [...p.errors];
	if (!canvas.found) errors.push(`no "${nodeName}" node on the canvas`);
	else if (canvas.hasIssues) errors.push('the canvas node shows an issues marker');
	return {
		title: squash(header),
		operation: operationValue,
		credential: credentialValue,
		labels: p.labels,
		required: p.required,
		parameters: p.parameterPaths.map((s) => s.replace(/^parameters\./, '')),
		collections,
		canvasNode: canvas,
		notifications: p.notifications,
		errors,
		screenshot,
	};
}

module.exports = { checkPanel };
