// n8n's filesystem binary data mode in a real n8n: the edit reads its input from the stored file and
// streams the result into n8n's storage as it arrives (Binary and Download From URL alike); a
// Write File node then saves exactly the bytes the API sent.
import { startSimulator, type Simulator } from '../support/simulator/index.cjs';
import { decodePng } from '../support/simulator/png.cjs';
import {
	CUSTOM_NODE_TYPE,
	createInstance,
	execute,
	fixturePath,
	importWorkflows,
	listDir,
	readFile,
	removeTempDirs,
	sha256,
	tempDir,
	versions,
	type E2eInstance,
	type Workflow,
} from './e2e-helpers.cjs';

const API_KEY = 'sk-e2e-fs-mode';
const CREDENTIAL = { id: 'e2eFilesystemCr1', name: 'Step Plan (simulator)' };
const INPUT = 'progressive-120x90.jpg';

function workflow(outDir: string): Workflow {
	const edit = (name: string, resultFormat: string, fileName: string) => ({
		name,
		type: CUSTOM_NODE_TYPE,
		typeVersion: 1,
		parameters: {
			operation: 'edit',
			prompt: `edit for ${name}`,
			options: { resultFormat, fileName },
		},
		credentials: { stepPlanApi: CREDENTIAL },
	});
	const save = (name: string) => ({
		name,
		type: 'n8n-nodes-base.readWriteFile',
		typeVersion: 1,
		parameters: {
			operation: 'write',
			fileName: `={{ "${outDir}/" + $binary.data.fileName }}`,
			dataPropertyName: 'data',
			options: {},
		},
	});
	const link = (to: string) => ({ main: [[{ node: to, type: 'main', index: 0 }]] });
	return {
		name: 'e2e filesystem mode',
		nodes: [
			{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} },
			{
				name: 'Read Input',
				type: 'n8n-nodes-base.readWriteFile',
				typeVersion: 1,
				parameters: { operation: 'read', fileSelector: fixturePath(INPUT), options: {} },
			},
			edit('Edit Binary', 'binary', 'in-response'),
			edit('Edit From URL', 'binaryFromUrl', 'downloaded'),
			save('Save Binary'),
			save('Save Download'),
		],
		connections: {
			Start: link('Read Input'),
			'Read Input': {
				main: [
					[
						{ node: 'Edit Binary', type: 'main', index: 0 },
						{ node: 'Edit From URL', type: 'main', index: 0 },
					],
				],
			},
			'Edit Binary': link('Save Binary'),
			'Edit From URL': link('Save Download'),
		},
	};
}

describe.each(versions())('n8n %s: filesystem binary data mode', (version) => {
	let sim: Simulator;
	let inst: E2eInstance;
	let outDir: string;
	let workflowId: string;

	beforeAll(async () => {
		sim = await startSimulator({ apiKey: API_KEY });
		outDir = tempDir('stepfun-e2e-fs-');
		inst = await createInstance(version, { allowDirs: [outDir], binaryDataMode: 'filesystem' });
		await inst.importCredentials([
			{
				...CREDENTIAL,
				type: 'stepPlanApi',
				data: { apiKey: API_KEY, endpoint: 'custom', baseUrl: sim.stepPlanBaseUrl },
			},
		]);
		[workflowId] = await importWorkflows(inst, [workflow(outDir)]);
	}, 240000);

	afterAll(async () => {
		await inst?.cleanup();
		await sim?.close();
		removeTempDirs();
	});

	test('edits stored as files: exactly the bytes the API sent, under their names', async () => {
		const run = await execute(inst, workflowId);
		const [binaryItem] = run.nodes['Edit Binary'];
		const [downloadItem] = run.nodes['Edit From URL'];
		// Filesystem mode: the items hold references, not bytes.
		expect(binaryItem.binary.data.id).toMatch(/^filesystem/);
		expect(downloadItem.binary.data.id).toMatch(/^filesystem/);
		expect(binaryItem.json).toMatchObject({ fileName: 'in-response.png', width: 120, height: 90 });
		expect(downloadItem.json).toMatchObject({ fileName: 'downloaded.png', width: 120, height: 90 });
		expect(listDir(outDir)).toEqual(['downloaded.png', 'in-response.png']);

		const edits = sim.apiRequests().filter((r) => r.route === '/images/edits');
		expect(edits).toHaveLength(2);
		const byPrompt = (p: string) => edits.find((r) => r.fields?.prompt === p)!;
		for (const [node, file] of [
			['Edit Binary', 'in-response.png'],
			['Edit From URL', 'downloaded.png'],
		]) {
			const saved = readFile(`${outDir}/${file}`);
			expect(sha256(saved)).toBe(byPrompt(`edit for ${node}`).outputSha256);
			expect([decodePng(saved).width, decodePng(saved).height]).toEqual([120, 90]);
		}
		// The input went up exactly as stored.
		for (const r of edits) expect(r.files[0].sha256).toBe(sha256(readFile(fixturePath(INPUT))));
		expect(sim.fileRequests()).toHaveLength(1);
	});
});
