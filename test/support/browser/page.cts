// The editor page as a person uses it: a page of the editor's size that records console errors, the
// sign-in page, waiting for the editor to settle, screenshots, and what a part of the page shows
// (labels, parameter inputs, every error sign), read from its DOM.
import fs from 'node:fs';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';

const VIEWPORT = { width: 1440, height: 900 };
export const quietly = () => {};

export interface Notification {
	error: boolean;
	text: string;
}
/** What a part of the page shows: its visible labels (the required marker "*" removed), those marked
 * required, its parameter inputs (names), notifications, and every error sign. */
export interface Screen {
	title: string;
	labels: string[];
	required: string[];
	parameters: string[];
	notifications: Notification[];
	errors: string[];
	screenshot: string;
}

/** A fresh page; console and page errors land in `consoleErrors`. */
export async function openPage(browser: Browser, consoleErrors: string[]): Promise<Page> {
	const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
	const page = await context.newPage();
	page.setDefaultTimeout(30000);
	const record = (text: string) => consoleErrors.push(text.slice(0, 500));
	page.on('console', (m) => (m.type() === 'error' ? record(m.text()) : undefined));
	page.on('pageerror', (e) => record(`pageerror: ${e?.message}`));
	return page;
}

/** Signs in as the owner, as a person does. */
export async function signIn(
	page: Page,
	server: { url: string; owner: { email: string; password: string } },
) {
	await page.goto(`${server.url}/signin`, { waitUntil: 'domcontentloaded' });
	const email = page.locator(
		'input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]',
	);
	await email.first().waitFor({ state: 'visible', timeout: 60000 });
	await email.first().fill(server.owner.email);
	await page.locator('input[type="password"]').first().fill(server.owner.password);
	await page.keyboard.press('Enter');
	await page.waitForURL((u) => !/\/signin/.test(u.pathname), { timeout: 60000 });
}

/** The network idle (at most 15 s), then `ms` more for animations. */
export async function waitQuiet(page: Page, ms = 800) {
	await page.waitForLoadState('networkidle', { timeout: 15000 }).catch(quietly);
	await page.waitForTimeout(ms);
}

/** The pointer off the parameters (hovering shows their Fixed/Expression toggles). */
export async function parkPointer(page: Page) {
	await page.mouse.move(VIEWPORT.width / 2, 20);
	await page.waitForTimeout(300);
}

/** <outDir>/<name>.png (and its HTML beside it when EDITOR_CHECK_DEBUG is set); its path. */
export async function capture(page: Page, outDir: string, name: string, html = true) {
	const file = path.join(outDir, `${name}.png`);
	await page.screenshot({ path: file });
	if (html && process.env.EDITOR_CHECK_DEBUG) {
		fs.writeFileSync(path.join(outDir, `${name}.html`), await page.content());
	}
	return file;
}

/** What a file is, from its PNG header (for the .ts tests, which may not read files). */
export function pngInfo(file: string) {
	const buf = fs.existsSync(file) ? fs.readFileSync(file) : Buffer.alloc(0);
	const png =
		buf.length >= 24 &&
		buf.readUInt32BE(0) === 0x89504e47 &&
		buf.toString('latin1', 12, 16) === 'IHDR';
	const [width, height] = png ? [buf.readUInt32BE(16), buf.readUInt32BE(20)] : [0, 0];
	return { exists: fs.existsSync(file), bytes: buf.length, png, width, height };
}

// Runs in the browser: plain JavaScript source, so that no compiler adds helpers to it.
const IN_BROWSER = `
	const visible = (el) => {
		if (!el) return false;
		const r = el.getBoundingClientRect();
		const cs = getComputedStyle(el);
		return r.width > 0 && r.height > 0 && cs.visibility !== 'hidden' && cs.display !== 'none' && Number(cs.opacity) !== 0;
	};
	const text = (el) => ((el instanceof HTMLElement && el.innerText) || el.textContent || '').replace(/\\s+/g, ' ').trim();
	const all = (root, selector) => Array.from(root.querySelectorAll(selector)).filter(visible);`;

/** Texts n8n shows when it cannot load a node or credential type. */
const ERROR_TEXTS = [
	'problem loading',
	'install this node',
	'node is not currently installed',
	'unrecognized node type',
	'could not (?:find|load) (?:node|credential)',
	'unknown (?:node|credential) type',
];

const PROBE = `({ rootSelector, labelSelector, errorTexts }) => {${IN_BROWSER}
	const root = rootSelector ? document.querySelector(rootSelector) : document.body;
	const labelRoot = labelSelector ? document.querySelector(labelSelector) : root;
	const out = { found: visible(root), labels: [], required: [], parameters: [], errors: [], notifications: [] };
	for (const label of labelRoot ? all(labelRoot, 'label.n8n-input-label') : []) {
		const title = text(label.querySelector('.n8n-text') || label);
		const t = title.replace(/\\s*\\*$/, ''); // required fields carry a trailing "*"
		if (t) out.labels.push(t);
		if (/\\*$/.test(title)) out.required.push(t);
	}
	for (const el of labelRoot ? all(labelRoot, '[data-parameter-path]') : []) {
		out.parameters.push((el.getAttribute('data-parameter-path') || '').replace(/^parameters\\./, ''));
	}
	for (const el of root ? all(root, '[data-test-id="parameter-issues"]') : []) {
		const label = el.closest('[data-test-id="parameter-item"]')?.querySelector('label.n8n-input-label');
		out.errors.push('parameter issue marker on "' + (label ? text(label) : '?') + '"');
	}
	const callouts = '.n8n-callout--danger, .n8n-callout.danger, [class*="callout"][class*="danger"], [role="alert"]';
	for (const el of root ? all(root, callouts) : []) if (text(el)) out.errors.push('error callout: ' + text(el));
	for (const source of root ? errorTexts : []) {
		const m = new RegExp(source, 'i').exec(text(root));
		if (m) out.errors.push('text "' + m[0] + '" on the page');
	}
	for (const el of all(document, '.el-notification')) {
		const error = el.classList.contains('el-notification--error') || Boolean(el.querySelector('.el-notification--error, .el-icon-error, [class*="error"]'));
		out.notifications.push({ error, text: text(el) });
		if (error) out.errors.push('error notification: ' + text(el));
	}
	for (const el of all(document, '[data-test-id="banner-stack"] > *')) if (text(el)) out.errors.push('banner: ' + text(el));
	return out;
}`;

/** Error signs at `rootSelector`; labels and parameter inputs within `labelSelector` (default: the root). */
export async function probe(page: Page, rootSelector?: string, labelSelector?: string) {
	const args = JSON.stringify({ rootSelector, labelSelector, errorTexts: ERROR_TEXTS });
	type Probed = Omit<Screen, 'title' | 'screenshot'> & { found: boolean };
	return (await page.evaluate(`(${PROBE})(${args})`)) as Probed;
}

/** The canvas node named `name` as drawn: its issues marker, icon and text. */
export async function canvasNode(page: Page, name: string) {
	const state = `(name) => {${IN_BROWSER}
		const el = Array.from(document.querySelectorAll('[data-test-id="canvas-node"]')).find((n) => (n.innerText || '').includes(name));
		if (!el) return { found: false };
		const issues = el.querySelector('[data-test-id="node-issues"]');
		return { found: true, text: text(el), hasIssues: Boolean(issues && issues.getBoundingClientRect().width > 0), hasIcon: Boolean(el.querySelector('img, svg')) };
	}`;
	type CanvasNode = { found: boolean; text?: string; hasIssues?: boolean; hasIcon?: boolean };
	return (await page.evaluate(`(${state})(${JSON.stringify(name)})`)) as CanvasNode;
}
