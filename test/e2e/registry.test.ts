// Installing, updating and uninstalling the package the way n8n users do, from n8n's default registry
// (stood in for by verdaccio inside namespaces of their own: helpers/lifecycle.cts), in one n8n and in
// queue mode. Where the namespaces cannot be made, this fails and says why.
import { runLifecycle, type LifecycleReport } from './helpers/lifecycle.cjs';
import { N8N_VERSION } from '../support/n8n/install.cjs';
import { PACKAGE_NODE_TYPE } from '../support/demo/examples.cjs';

const NAME = 'n8n-nodes-stepfun';
const NEXT = '0.1.1';
const edited = {
	status: 200,
	contentType: expect.stringMatching(/^image\/png/),
	width: 64,
	height: 48,
};

describe(`n8n ${N8N_VERSION}: the package from the registry`, () => {
	let report: LifecycleReport;
	beforeAll(async () => {
		report = await runLifecycle(N8N_VERSION, NEXT);
	}, 900000);

	describe('in the editor (headless Chromium; screenshots/registry-*.png)', () => {
		const executed = {
			outputText: expect.stringMatching(/File Name: stepfun-1\.png .*Mime Type: image\/png/),
			preview: [1024, 1024],
			binary: expect.objectContaining({ mimeType: 'image/png', fileName: 'stepfun-1.png' }),
		};

		test('Settings → Community Nodes → Install: the package is listed, the nodes panel finds it', () => {
			const { editor } = report;
			expect(editor.installedCard).toMatch(/^n8n-nodes-stepfun 1 node: StepFun Image v0\.1\.0/);
			expect(editor.listedAfterInstall).toMatchObject([
				{ packageName: NAME, installedVersion: '0.1.0' },
			]);
			expect(editor.nodesPanel).toContain('StepFun Image');
			expect(editor.nodesPanel).not.toMatch(/No results/);
		});

		test('Execute step: the output panel shows the image (binary view and its preview)', () => {
			expect(report.editor.executeAfterInstall).toEqual(executed);
		});

		test('Update from the same page to the newer version; the step still runs', () => {
			const { editor } = report;
			expect(editor.cardBeforeUpdate).toMatch(/v0\.1\.0 Update$/);
			expect(editor.cardAfterUpdate).toMatch(new RegExp(`v${NEXT.replace(/\./g, '\\.')}$`));
			expect(editor.listedAfterUpdate).toMatchObject([
				{ packageName: NAME, installedVersion: NEXT },
			]);
			expect(editor.executeAfterUpdate).toEqual(executed);
		});

		test('Uninstall: the package is gone; the workflow opens with the node marked unknown, no crash', () => {
			const { editor } = report;
			expect(editor.listedAfterUninstall).toEqual([]);
			expect(editor.cardsAfterUninstall).toBe(0);
			expect(editor.unknownNode.canvas).toMatch(/^\? StepFun Image/);
			expect(editor.unknownNode.panel).toMatch(
				/This node is not currently installed\. It's part of the n8n-nodes-stepfun community package\./,
			);
			expect(editor.pageErrors.filter((e) => e.startsWith('pageerror:'))).toEqual([]);
			expect(editor.screenshots).toHaveLength(10);
		});
	});

	test('installed from the registry: listed, its node type known, a workflow runs on it', () => {
		expect(report.installed).toEqual({ packageName: NAME, installedVersion: '0.1.0' });
		expect(report.installedNodes).toEqual([PACKAGE_NODE_TYPE]);
		expect(report.listedAfterInstall.map((p) => [p.packageName, p.installedVersion])).toEqual([
			[NAME, '0.1.0'],
		]);
		expect(report.nodeTypeAfterInstall).toEqual([PACKAGE_NODE_TYPE]);
		expect(report.runAfterInstall).toEqual(edited);
	});

	test('a newer version published: offered as an update, installed, and the workflow still runs', () => {
		expect(report.listedBeforeUpdate[0]).toMatchObject({
			packageName: NAME,
			updateAvailable: NEXT,
		});
		expect(report.updated).toEqual({ packageName: NAME, installedVersion: NEXT });
		expect(report.runAfterUpdate).toEqual(edited);
	});

	test('uninstalled: gone from the list and the node types; the workflow still opens; n8n stays up', () => {
		expect(report.listedAfterUninstall).toEqual([]);
		expect(report.nodeTypeAfterUninstall).toEqual([]);
		expect(report.workflowAfterUninstall.status).toBe(200);
		expect(report.workflowAfterUninstall.nodeTypes).toContain(PACKAGE_NODE_TYPE);
		expect(report.runAfterUninstall.status).not.toBe(200);
		expect(report.healthAfterUninstall).toBe(200);
	});

	test('queue mode: installed on the main, it reaches both workers, and both run the uploads', () => {
		expect(report.queue.installed.packageName).toBe(NAME);
		expect(report.queue.workerPackages).toEqual([
			report.queue.installed.installedVersion,
			report.queue.installed.installedVersion,
		]);
		expect(report.queue.runs).toEqual(Array(10).fill(edited));
		expect(report.queue.executionsPerWorker.every((n) => n > 0)).toBe(true);
		expect(report.queue.executionsPerWorker.reduce((a, b) => a + b)).toBe(10);
	});
});
