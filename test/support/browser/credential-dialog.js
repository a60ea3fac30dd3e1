// @ts-check
'use strict';
/**
 * The credential dialog as a person opens it: the pencil next to the credential select in the (still
 * open) node panel, then what the dialog shows (fields, the connection test n8n runs when it opens, the
 * Endpoint list) and every error sign, with screenshots: credential-dialog.png and
 * credential-endpoint-options.png.
 *
 * Selectors (n8n 2.41): pencil [data-test-id="credential-edit-button"]; dialog
 * [data-test-id="editCredential-modal"]; Endpoint select [data-test-id="parameter-input-endpoint"].
 */
const { capture } = require('./capture');
const { probe } = require('./probe');
const { waitQuiet } = require('./session');

/** @typedef {import('playwright-core').Page} Page */
/** @typedef {import('./probe').Notification} Notification */

/**
 * @typedef {object} CredentialSummary
 * @property {string} title
 * @property {string[]} labels
 * @property {string[]} required
 * @property {string[]} parameters
 * @property {string} connectionTest 'success', 'failed: …' or 'none shown' (n8n tests a saved credential
 *   when its dialog opens)
 * @property {Array<{ name: string, description: string }>} endpointOptions entries of the Endpoint list
 *   as shown (name, and the description under it)
 * @property {Notification[]} notifications
 * @property {string[]} errors
 * @property {string} screenshot
 */

const MODAL = '[data-test-id="editCredential-modal"]';

/**
 * Opens the credential's Endpoint list, reads its entries and screenshots it.
 * @param {Page} page
 * @param {string} outDir
 */
async function readEndpointOptions(page, outDir) {
	const select = page.locator(`${MODAL} [data-test-id="parameter-input-endpoint"] input`).first();
	if (!(await select.isVisible().catch(() => false))) return [];
	await select.click();
	const items = page.locator('.el-select-dropdown__item:visible');
	await items
		.first()
		.waitFor({ state: 'visible', timeout: 10000 })
		.catch(() => {});
	await page.waitForTimeout(300);
	// Each entry shows the option's name, then its description on the next line.
	const texts = (await items.allInnerTexts()).map((t) => {
		const [name, ...rest] = t
			.split('\n')
			.map((l) => l.trim())
			.filter(Boolean);
		return { name: name || '', description: rest.join(' ') };
	});
	await capture(page, outDir, 'credential-endpoint-options', { html: false });
	await page.keyboard.press('Escape');
	return texts;
}

/**
 * Runs in the browser: the dialog's title and the verdict of its connection test.
 * @returns {{ title: string, connectionTest: string }}
 */
function dialogState() {
	const m = document.querySelector('[data-test-id="editCredential-modal"]');
	/** @param {Element | null} el */
	const t = (el) =>
		el instanceof HTMLElement ? (el.innerText || '').replace(/\s+/g, ' ').trim() : '';
	const text = t(m);
	const ok = /connection tested successfully/i.exec(text);
	const bad = /(couldn.t connect[^.]*|could not connect[^.]*|connection test failed[^.]*)/i.exec(
		text,
	);
	const header =
		m && m.querySelector('[data-test-id="credential-name"], .el-dialog__header, header');
	return {
		title: t(header).slice(0, 200),
		connectionTest: ok ? 'success' : bad ? `failed: ${bad[0]}` : 'none shown',
	};
}

/**
 * Opens the credential dialog from the node panel and reports what it shows.
 * @param {Page} page
 * @param {string} outDir
 * @returns {Promise<CredentialSummary>}
 */
async function checkCredentialDialog(page, outDir) {
	const pencil = page
		.locator('[data-test-id="ndv"] [data-test-id="credential-edit-button"]')
		.first();
	if (!(await pencil.isVisible().catch(() => false))) {
		return {
			title: '',
			labels: [],
			required: [],
			parameters: [],
			connectionTest: 'none shown',
			endpointOptions: [],
			notifications: [],
			errors: ['the node panel has no credential edit button (credential type not loaded?)'],
			screenshot: await capture(page, outDir, 'credential-dialog', { html: false }),
		};
	}
	await pencil.click();
	const modal = page.locator(MODAL);
	await modal.waitFor({ state: 'visible', timeout: 30000 });
	await modal
		.locator('label.n8n-input-label')
		.first()
		.waitFor({ state: 'visible', timeout: 30000 });
	// An existing credential is tested when its dialog opens: wait for the verdict (or give up quietly).
	const verdict = modal
		.getByText(
			/connection tested successfully|couldn.t connect|could not connect|connection test failed/i,
		)
		.first();
	await verdict.waitFor({ state: 'visible', timeout: 20000 }).catch(() => {});
	await waitQuiet(page, 500);
	const p = await probe(page, MODAL);
	const info = await page.evaluate(dialogState);
	const screenshot = await capture(page, outDir, 'credential-dialog');
	const endpointOptions = await readEndpointOptions(page, outDir);
	const errors = [...p.errors];
	if (info.connectionTest.startsWith('failed'))
		errors.push(`credential test ${info.connectionTest}`);
	return {
		title: info.title,
		labels: p.labels,
		required: p.required,
		parameters: p.parameterPaths.map((s) => s.replace(/^parameters\./, '')),
		connectionTest: info.connectionTest,
		endpointOptions,
		notifications: p.notifications,
		errors,
		screenshot,
	};
}

module.exports = { checkCredentialDialog };
