// @ts-check
'use strict';
/**
 * What the page shows, read from its DOM: visible parameter labels and paths, and every error sign (issue
 * markers, danger callouts, error notifications, banners, "Problem loading" / "Install this node" texts).
 * probePage and canvasNodeState run inside the browser (page.evaluate), so they use no outside names.
 */

/** @typedef {import('playwright-core').Page} Page */

/**
 * @typedef {object} Notification
 * @property {boolean} error
 * @property {string} text
 */

/**
 * @typedef {object} ProbeResult
 * @property {boolean} found whether the root element is visible
 * @property {string[]} labels visible parameter labels, top to bottom (required markers "*" removed)
 * @property {string[]} required labels shown with a required marker
 * @property {string[]} parameterPaths visible inputs' data-parameter-path ("parameters.<name>")
 * @property {string[]} errors every error sign seen
 * @property {Notification[]} notifications
 */

/**
 * @typedef {object} CanvasNodeInfo
 * @property {boolean} found
 * @property {string} [text]
 * @property {boolean} [hasIssues]
 * @property {boolean} [hasIcon]
 */

/** Texts n8n shows when it cannot load a node or credential type. */
const ERROR_TEXTS = [
	/problem loading/i,
	/install this node/i,
	/node is not currently installed/i,
	/unrecognized node type/i,
	/could not (?:find|load) (?:node|credential)/i,
	/unknown (?:node|credential) type/i,
];

/**
 * Runs in the browser.
 * @param {{ rootSelector?: string, labelSelector?: string, errorTexts: string[] }} args
 * @returns {ProbeResult}
 */
function probePage({ rootSelector, labelSelector, errorTexts }) {
	/** @param {Element | null} el */
	const visible = (el) => {
		if (!el) return false;
		const r = el.getBoundingClientRect();
		if (r.width === 0 || r.height === 0) return false;
		const cs = getComputedStyle(el);
		return cs.visibility !== 'hidden' && cs.display !== 'none' && Number(cs.opacity) !== 0;
	};
	/** @param {Element} el */
	const text = (el) =>
		((el instanceof HTMLElement && el.innerText) || el.textContent || '')
			.replace(/\s+/g, ' ')
			.trim();
	const root = rootSelector ? document.querySelector(rootSelector) : document.body;
	/** @type {ProbeResult} */
	const out = {
		found: Boolean(root && visible(root)),
		labels: [],
		required: [],
		parameterPaths: [],
		errors: [],
		notifications: [],
	};
	const labelRoot = labelSelector ? document.querySelector(labelSelector) : root;
	if (labelRoot) {
		for (const label of Array.from(labelRoot.querySelectorAll('label.n8n-input-label'))) {
			if (!visible(label)) continue;
			const title = label.querySelector('.n8n-text') || label;
			// required fields carry a trailing "*"
			const t = text(title).replace(/\s*\*$/, '');
			if (t) out.labels.push(t);
			if (/\*$/.test(text(title))) out.required.push(t);
		}
		for (const el of Array.from(labelRoot.querySelectorAll('[data-parameter-path]'))) {
			if (visible(el)) out.parameterPaths.push(el.getAttribute('data-parameter-path') || '');
		}
	}
	if (root) {
		for (const el of Array.from(root.querySelectorAll('[data-test-id="parameter-issues"]'))) {
			if (!visible(el)) continue;
			const row = el.closest('[data-test-id="parameter-item"]');
			const label = row && row.querySelector('label.n8n-input-label');
			out.errors.push(`parameter issue marker on "${label ? text(label) : '?'}"`);
		}
		const callouts =
			'.n8n-callout--danger, .n8n-callout.danger, [class*="callout"][class*="danger"], [role="alert"]';
		for (const el of Array.from(root.querySelectorAll(callouts))) {
			if (visible(el) && text(el)) out.errors.push(`error callout: ${text(el)}`);
		}
		const rootText = text(root);
		for (const src of errorTexts) {
			const m = new RegExp(src, 'i').exec(rootText);
			if (m) out.errors.push(`text "${m[0]}" on the page`);
		}
	}
	for (const el of Array.from(document.querySelectorAll('.el-notification'))) {
		if (!visible(el)) continue;
		const isError =
			el.classList.contains('el-notification--error') ||
			Boolean(el.querySelector('.el-notification--error, .el-icon-error, [class*="error"]'));
		out.notifications.push({ error: isError, text: text(el) });
		if (isError) out.errors.push(`error notification: ${text(el)}`);
	}
	for (const el of Array.from(document.querySelectorAll('[data-test-id="banner-stack"] > *'))) {
		if (visible(el) && text(el)) out.errors.push(`banner: ${text(el)}`);
	}
	return out;
}

/**
 * Runs in the browser: the canvas node named `name` as drawn (issues marker, icon, text).
 * @param {string} name
 * @returns {CanvasNodeInfo}
 */
function canvasNodeState(name) {
	const nodes = Array.from(document.querySelectorAll('[data-test-id="canvas-node"]'));
	const el = nodes.find((n) => n instanceof HTMLElement && (n.innerText || '').includes(name));
	if (!(el instanceof HTMLElement)) return { found: false };
	const issues = el.querySelector('[data-test-id="node-issues"]');
	return {
		found: true,
		text: (el.innerText || '').replace(/\s+/g, ' ').trim(),
		hasIssues: Boolean(issues && issues.getBoundingClientRect().width > 0),
		hasIcon: Boolean(el.querySelector('img, svg')),
	};
}

/**
 * Probes the element at rootSelector (errors) and, within labelSelector, its parameters.
 * @param {Page} page
 * @param {string} [rootSelector]
 * @param {string} [labelSelector]
 */
async function probe(page, rootSelector, labelSelector) {
	const errorTexts = ERROR_TEXTS.map((r) => r.source);
	return await page.evaluate(probePage, { rootSelector, labelSelector, errorTexts });
}

/**
 * @param {Page} page
 * @param {string} name
 */
async function canvasNode(page, name) {
	return await page.evaluate(canvasNodeState, name);
}

module.exports = { ERROR_TEXTS, probe, canvasNode };
