// The node as a person sees it: the real n8n editor (N8N_VERSION) in headless Chromium, the StepFun Image panel for
// Generate and for Edit, and the "Step Plan API" credential dialog. Screenshots land in screenshots/
// (git-ignored). The browser is the Chromium build of the devDependency @sparticuz/chromium (unpacked once into
// ~/.cache/n8n-nodes-stepfun), or the binary CHROMIUM_PATH names: `npm install` is all it needs.
import {
	chromiumProblem,
	pngInfo,
	runEditorCheck,
	type EditorCheckSummary,
	type PanelSummary,
} from '../support/browser/editor-check.cjs';
import { N8N_VERSION } from '../support/n8n/install.cjs';

const VERSION = N8N_VERSION;

let summary: EditorCheckSummary | undefined;

function result(): EditorCheckSummary {
	expect(summary).toBeDefined();
	return summary as EditorCheckSummary;
}

function panel(name: 'generate' | 'edit'): PanelSummary {
	return result().panels[name];
}

describe(`n8n ${VERSION} editor: StepFun Image panels and credential dialog`, () => {
	beforeAll(async () => {
		// Fails the whole suite with what is wrong and how to fix it when the browser is unusable: never a
		// silent skip.
		expect(await chromiumProblem()).toBeUndefined();
		summary = await runEditorCheck({ version: VERSION });
	}, 600000);

	it("has a Chromium to drive: the npm package's build, or the CHROMIUM_PATH binary", async () => {
		expect(await chromiumProblem()).toBeUndefined();
		const { browser } = result();
		expect(browser.source).toMatch(/^(@sparticuz\/chromium \d+\.\d+\.\d+|CHROMIUM_PATH)$/);
		expect(browser.version).toMatch(/\b\d+\.\d+\.\d+\.\d+\b/);
		if (browser.source !== 'CHROMIUM_PATH') {
			expect(browser.executablePath).toMatch(/\/chromium-\d+\.\d+\.\d+\/chromium$/);
		}
	});

	it('shows the Generate panel with Model, Prompt and Size, and no Input Binary Field', () => {
		const p = panel('generate');
		expect(p.title).toBe('StepFun Image');
		expect(p.operation).toBe('Generate');
		expect(p.credential).toBe('Step Plan (simulator)');
		expect(p.labels).toEqual(
			expect.arrayContaining([
				'Credential',
				'Operation',
				'Model',
				'Prompt',
				'Size',
				'Image Settings',
				'Options',
			]),
		);
		expect(p.labels).not.toContain('Input Binary Field');
		expect(p.parameters).toEqual(expect.arrayContaining(['operation', 'model', 'prompt', 'size']));
		expect(p.parameters).not.toContain('binaryPropertyName');
		// Model comes before Prompt, Prompt before Size
		expect(p.labels.indexOf('Model')).toBeLessThan(p.labels.indexOf('Prompt'));
		expect(p.labels.indexOf('Prompt')).toBeLessThan(p.labels.indexOf('Size'));
		expect(p.collections['Image Settings']).toEqual(
			expect.arrayContaining(['CFG Scale', 'Negative Prompt', 'Seed', 'Steps', 'Text Mode']),
		);
		expect(p.canvasNode).toMatchObject({ found: true, hasIssues: false });
	});

	it('shows the Edit panel with Input Binary Field and Prompt, and no Size', () => {
		const p = panel('edit');
		expect(p.title).toBe('StepFun Image');
		expect(p.operation).toBe('Edit');
		expect(p.labels).toEqual(
			expect.arrayContaining([
				'Credential',
				'Operation',
				'Model',
				'Input Binary Field',
				'Prompt',
				'Image Settings',
				'Options',
			]),
		);
		expect(p.labels).not.toContain('Size');
		expect(p.parameters).toEqual(expect.arrayContaining(['binaryPropertyName', 'prompt']));
		expect(p.parameters).not.toContain('size');
		expect(p.labels.indexOf('Input Binary Field')).toBeLessThan(p.labels.indexOf('Prompt'));
		expect(p.canvasNode).toMatchObject({ found: true, hasIssues: false });
	});

	it('shows the credential dialog with API Key and Endpoint, and its connection test passes', () => {
		const c = result().credential;
		expect(c.title).toContain('Step Plan API');
		expect(c.labels).toEqual(expect.arrayContaining(['API Key', 'Endpoint']));
		expect(c.required).toContain('API Key');
		// The imported credential uses the Custom endpoint, so Base URL is shown.
		expect(c.labels).toContain('Base URL');
		const endpoints = c.endpointOptions.map((o) => o.name);
		expect(endpoints).toEqual(
			expect.arrayContaining(['Custom', 'Step Plan China', 'Step Plan Global']),
		);
		expect(endpoints).toHaveLength(5);
		expect(c.connectionTest).toBe('success');
	});

	it('shows no error banners, notifications or issue markers', () => {
		const s = result();
		expect(panel('generate').errors).toEqual([]);
		expect(panel('edit').errors).toEqual([]);
		expect(s.credential.errors).toEqual([]);
		expect(s.problems).toEqual([]);
		expect(s.ok).toBe(true);
	});

	it('writes non-trivial screenshots', () => {
		const s = result();
		for (const file of [
			s.panels.generate.screenshot,
			s.panels.edit.screenshot,
			s.credential.screenshot,
		]) {
			const info = pngInfo(file);
			expect({ file, ...info, big: info.bytes > 20000 }).toEqual({
				file,
				exists: true,
				png: true,
				bytes: info.bytes,
				width: 1440,
				height: 900,
				big: true,
			});
		}
		expect(s.panels.generate.screenshot).toMatch(/screenshots\/generate-panel\.png$/);
		expect(s.panels.edit.screenshot).toMatch(/screenshots\/edit-panel\.png$/);
		expect(s.credential.screenshot).toMatch(/screenshots\/credential-dialog\.png$/);
	});
});
