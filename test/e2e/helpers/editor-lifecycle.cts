// The install path in the editor, as a person clicks it, in headless Chromium against a real n8n (inside
// the registry's namespaces, ./lifecycle.cts): Settings → Community Nodes → Install, the nodes panel,
// Execute step on the installed node with the image in the output panel, Update, Uninstall, and the
// workflow opened afterwards. Each step: a screenshot, and what the page and n8n's REST API say.
import fs from 'node:fs';
import path from 'node:path';

import type { Page } from 'playwright-core';

import { launchChromium } from '../../support/browser/chromium.cjs';
import { capture, openPage, signIn, waitQuiet } from '../../support/browser/page.cjs';
import { PACKAGE_NODE_TYPE } from '../../support/demo/examples.cjs';
import { createInstance, OWNER } from '../../support/n8n/index.cjs';
import { publish, trustEnv, type RegistryFiles } from '../../support/registry/index.cjs';
import { ROOT } from '../../support/system.cjs';
import type { Simulator } from '../../support/simulator/index.cjs';

/** A package as n8n's REST API lists it. */
export type Listed = { packageName: string; installedVersion: string; updateAvailable?: string };
export interface ExecutedStep {
	/** What the output panel shows: its text, and whether it shows the image's preview. */
	outputText: string;
	/** The image's width and height as the page decoded it. */
	preview: number[];
	/** The run as n8n saved it: the StepFun node's first output binary. */
	binary?: { mimeType: string; fileName?: string };
}
export interface EditorLifecycleReport {
	installedCard: string;
	listedAfterInstall: Listed[];
	nodesPanel: string;
	executeAfterInstall: ExecutedStep;
	cardBeforeUpdate: string;
	listedAfterUpdate: Listed[];
	cardAfterUpdate: string;
	executeAfterUpdate: ExecutedStep;
	listedAfterUninstall: Listed[];
	cardsAfterUninstall: number;
	/** The workflow opened after the uninstall: the canvas node's text and the panel's. */
	unknownNode: { canvas: string; panel: string };
	pageErrors: string[];
	screenshots: string[];
}

/** The package under test: its name, and the version of this checkout (the first one published). */
export const PACKAGE = require(path.join(ROOT, 'package.json')) as {
	name: string;
	version: string;
};
const NAME = PACKAGE.name;
const NODE = 'StepFun Image';
const log = (line: string) => void process.stderr.write(`[editor lifecycle] ${line}\n`);
const text = async (page: Page, selector: string) =>
	(
		(await page
			.locator(selector)
			.first()
			.innerText({ timeout: 5000 })
			.catch(() => '')) ?? ''
	)
		.replace(/\s+/g, ' ')
		.trim();

/** Manual Trigger → StepFun Image (Generate, 256×256 on the simulator). */
function generateWorkflow(credential: { id: string; name: string }) {
	const trigger = { id: 't1', name: 'When clicking ‘Execute workflow’', typeVersion: 1 };
	return {
		name: 'Installed from the registry',
		nodes: [
			{ ...trigger, type: 'n8n-nodes-base.manualTrigger', position: [0, 0], parameters: {} },
			{
				id: 's1',
				name: NODE,
				type: PACKAGE_NODE_TYPE,
				typeVersion: 1,
				position: [260, 0],
				parameters: { operation: 'generate', prompt: 'A lighthouse at dawn', size: '1024x1024' },
				credentials: { stepPlanApi: credential },
			},
		],
		connections: { [trigger.name]: { main: [[{ node: NODE, type: 'main', index: 0 }]] } },
	};
}

export async function editorLifecycle(
	job: {
		version: string;
		tgz: string;
		nextVersion: string;
		files: RegistryFiles;
		screenshots: string;
	},
	sim: Simulator,
	apiKey: string,
): Promise<EditorLifecycleReport> {
	fs.mkdirSync(job.screenshots, { recursive: true });
	const inst = await createInstance({ version: job.version, env: trustEnv(job.files) });
	const { browser } = await launchChromium(log);
	const pageErrors: string[] = [];
	const screenshots: string[] = [];
	const shot = async (page: Page, name: string) =>
		void screenshots.push(await capture(page, job.screenshots, `registry-${name}`));
	try {
		const s = await inst.startServer();
		const page = await openPage(browser, pageErrors);
		await signIn(page, { url: s.url, owner: OWNER });
		const list = async () => (await s.api('GET', '/rest/community-packages')) as Listed[];
		const settings = async () => {
			await page.goto(`${s.url}/settings/community-nodes`, { waitUntil: 'domcontentloaded' });
			await waitQuiet(page, 1000);
		};
		const card = () => page.locator('[data-test-id="community-package-card"]');
		const cardText = () => text(page, '[data-test-id="community-package-card"]');
		const confirm = (label: RegExp) =>
			page.getByRole('dialog').getByRole('button', { name: label }).last().click();

		// Install, from the settings page.
		await settings();
		await page
			.getByRole('button', { name: /install a community node/i })
			.first()
			.click();
		const modal = page.locator('[data-test-id="communityPackageInstall-modal"]');
		await modal.locator('[data-test-id="package-name-input"]').fill(NAME);
		await modal.locator('[data-test-id="user-agreement-checkbox"]').click();
		await shot(page, 'install-dialog');
		await modal.locator('[data-test-id="install-community-package-button"]').click();
		await card().filter({ hasText: NAME }).first().waitFor({ state: 'visible', timeout: 120000 });
		await waitQuiet(page);
		await shot(page, 'installed');
		const installedCard = await cardText();
		const listedAfterInstall = await list();
		log(`installed: ${installedCard}`);

		// Execute step on a workflow with the installed node.
		const credential = await s.createCredential({
			name: 'Step Plan (simulator)',
			type: 'stepPlanApi',
			data: { apiKey, endpoint: 'custom', baseUrl: sim.stepPlanBaseUrl },
		});
		const workflowId = await s.createWorkflow(generateWorkflow(credential));
		// The nodes panel finds it (after the trigger: an empty canvas offers triggers only).
		await page.goto(`${s.url}/workflow/${workflowId}`, { waitUntil: 'domcontentloaded' });
		await page.locator('[data-test-id="canvas-node"]').first().waitFor({ state: 'visible' });
		await waitQuiet(page);
		await page.locator('[data-test-id="node-creator-plus-button"]').first().click();
		await page.locator('[data-test-id="node-creator"] input').first().fill('StepFun');
		await waitQuiet(page);
		const nodesPanel = await text(page, '[data-test-id="node-creator"]');
		await shot(page, 'nodes-panel');
		await page.keyboard.press('Escape');
		const executeStep = async (name: string): Promise<ExecutedStep> => {
			await page.goto(`${s.url}/workflow/${workflowId}`, { waitUntil: 'domcontentloaded' });
			const node = page.locator('[data-test-id="canvas-node"]').filter({ hasText: NODE }).first();
			await node.waitFor({ state: 'visible', timeout: 60000 });
			await waitQuiet(page);
			await node.dblclick();
			await page.locator('[data-test-id="node-execute-button"]').first().click();
			const output = page.locator('[data-test-id="output-panel"]');
			await output
				.getByText(/image\/png/i)
				.first()
				.waitFor({ state: 'visible', timeout: 120000 });
			await waitQuiet(page, 1500);
			const outputText = await text(page, '[data-test-id="output-panel"]');
			await shot(page, name);
			// The binary view's View button: the image itself, as n8n serves it to the page.
			await output
				.getByRole('button', { name: /^view$/i })
				.first()
				.click();
			const image = page.locator('img').filter({ visible: true });
			await image.first().waitFor({ state: 'visible', timeout: 30000 });
			await waitQuiet(page);
			const sizes = await image.evaluateAll((els) =>
				(els as HTMLImageElement[]).map((e) => [e.naturalWidth, e.naturalHeight]),
			);
			const preview = sizes.find(([w]) => w >= 256) ?? [0, 0];
			await shot(page, `${name}-preview`);
			await page.keyboard.press('Escape');
			const [latest] = await s.listExecutions(workflowId, 1);
			const run = latest ? (await s.getExecution(inst.n8nBin, latest.id)).run : undefined;
			const data = (run?.data as any)?.resultData?.runData?.[NODE]?.[0]?.data?.main?.[0]?.[0];
			await page.keyboard.press('Escape');
			return { outputText, preview, binary: data?.binary?.data };
		};
		const executeAfterInstall = await executeStep('execute-step');

		// Update to the newer version, from the same page.
		await publish(job.files, job.tgz, job.nextVersion);
		await settings();
		const cardBeforeUpdate = await cardText();
		await card()
			.getByRole('button', { name: /update/i })
			.first()
			.click();
		await confirm(/update/i);
		await card().getByText(job.nextVersion).first().waitFor({ state: 'visible', timeout: 120000 });
		await waitQuiet(page);
		await shot(page, 'updated');
		const cardAfterUpdate = await cardText();
		const listedAfterUpdate = await list();
		log(`updated: ${cardAfterUpdate}`);
		const executeAfterUpdate = await executeStep('execute-step-updated');

		// Uninstall; the workflow still opens, its node unknown.
		await settings();
		await card().locator('[data-test-id="action-toggle"]').first().click();
		await page
			.getByText(/uninstall/i)
			.last()
			.click();
		await confirm(/uninstall/i);
		await card().first().waitFor({ state: 'detached', timeout: 120000 });
		await waitQuiet(page);
		await shot(page, 'uninstalled');
		const listedAfterUninstall = await list();
		const cardsAfterUninstall = await card().count();
		await page.goto(`${s.url}/workflow/${workflowId}`, { waitUntil: 'domcontentloaded' });
		const node = page.locator('[data-test-id="canvas-node"]').nth(1);
		await node.waitFor({ state: 'visible', timeout: 60000 });
		await waitQuiet(page, 1500);
		const canvas = (await node.innerText()).replace(/\s+/g, ' ').trim();
		await node.dblclick();
		await waitQuiet(page, 1500);
		const panel = await text(page, '[data-test-id="ndv"]');
		await shot(page, 'unknown-node');
		return {
			...{ installedCard, listedAfterInstall, nodesPanel, executeAfterInstall, cardBeforeUpdate },
			...{ listedAfterUpdate, cardAfterUpdate, executeAfterUpdate, listedAfterUninstall },
			...{ cardsAfterUninstall, unknownNode: { canvas, panel }, pageErrors, screenshots },
		};
	} catch (error) {
		const pages = browser.contexts().flatMap((c) => c.pages());
		for (const p of pages)
			await capture(p, job.screenshots, 'registry-failed').catch(() => undefined);
		if (pages[0])
			fs.writeFileSync(
				path.join(job.screenshots, 'registry-failed.html'),
				await pages[0].content(),
			);
		throw error;
	} finally {
		await browser.close().catch(() => undefined);
		await inst.cleanup();
	}
}
