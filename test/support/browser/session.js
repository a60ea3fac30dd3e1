// @ts-check
'use strict';
/**
 * The browser side of a check: a page of the editor's size that records console errors, signing in
 * through n8n's sign-in page, and waiting for the editor to settle.
 */

/** @typedef {import('playwright-core').Browser} Browser */
/** @typedef {import('playwright-core').Page} Page */
/** @typedef {{ url: string, owner: { email: string, password: string } }} Server */

const VIEWPORT = { width: 1440, height: 900 };

/**
 * A fresh page at VIEWPORT; console errors and page errors land in `consoleErrors`.
 * @param {Browser} browser
 * @param {string[]} consoleErrors
 */
async function openPage(browser, consoleErrors) {
	const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
	const page = await context.newPage();
	page.setDefaultTimeout(30000);
	page.on('console', (m) => {
		if (m.type() === 'error') consoleErrors.push(m.text().slice(0, 500));
	});
	page.on('pageerror', (e) =>
		consoleErrors.push(`pageerror: ${String(e && e.message).slice(0, 500)}`),
	);
	return page;
}

/**
 * Signs in as the instance owner, the way a person does.
 * @param {Page} page
 * @param {Server} srv
 */
async function signIn(page, srv) {
	await page.goto(`${srv.url}/signin`, { waitUntil: 'domcontentloaded' });
	const email = page
		.locator('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]')
		.first();
	await email.waitFor({ state: 'visible', timeout: 60000 });
	await email.fill(srv.owner.email);
	await page.locator('input[type="password"]').first().fill(srv.owner.password);
	await page.keyboard.press('Enter');
	await page.waitForURL((u) => !/\/signin/.test(u.pathname), { timeout: 60000 });
}

/**
 * Waits for the network to go idle (at most 15 s), then `ms` more for animations.
 * @param {Page} page
 * @param {number} [ms]
 */
async function waitQuiet(page, ms = 800) {
	await page.waitForLoadState('networkidle', { timeout: 15000 }).catch(() => {});
	await page.waitForTimeout(ms);
}

/**
 * Moves the pointer to the top of the page, off the parameters (hover shows their Fixed/Expression toggles).
 * @param {Page} page
 */
async function parkPointer(page) {
	await page.mouse.move(VIEWPORT.width / 2, 20);
	await page.waitForTimeout(300);
}

module.exports = { VIEWPORT, openPage, signIn, waitQuiet, parkPointer };
