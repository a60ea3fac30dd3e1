// The built package loaded into a real n8n (custom extension folder, type CUSTOM.stepFunImage), workflows
// executed headless with `n8n execute` against the StepFun simulator.
import {
	startSimulator,
	type RecordedRequest,
	type Simulator,
} from '../support/simulator/index.cjs';
import { decodePng } from '../support/simulator/png.cjs';
import {
	CUSTOM_NODE_TYPE,
	createInstance,
	execute,
	executeExpectingFailure,
	fixturePath,
	importWorkflows,
	listDir,
	marketingWorkflow,
	readFile,
	removeTempDirs,
	sha256,
	tempDir,
	versions,
	type E2eInstance,
	type Workflow,
	type WorkflowNode,
} from './e2e-helpers.cjs';

const API_KEY = 'sk-e2e-cli';
const GOOD = { id: 'e2eStepPlanGood1', name: 'Step Plan (simulator)' };
const BAD = { id: 'e2eStepPlanBad01', name: 'Step Plan (wrong key)' };
const INPUT = 'input-96x72.webp';

function node(
	name: string,
	type: string,
	parameters: Record<string, unknown>,
	extra: Partial<WorkflowNode> = {},
): WorkflowNode {
	return { name, type, typeVersion: 1, position: [0, 0], parameters, ...extra };
}

const stepfun = (
	name: string,
	parameters: Record<string, unknown>,
	cred = GOOD,
	extra: Partial<WorkflowNode> = {},
) => node(name, CUSTOM_NODE_TYPE, parameters, { credentials: { stepPlanApi: cred }, ...extra });

const link = (to: string) => ({ main: [[{ node: to, type: 'main', index: 0 }]] });

function generateAndEditWorkflow(): Workflow {
	return {
		name: 'e2e generate + edit',
		nodes: [
			node('Start', 'n8n-nodes-base.manualTrigger', {}),
			stepfun('Generate', {
				operation: 'generate',
				model: 'step-image-edit-2',
				prompt: 'A lighthouse at dusk, e2e',
				size: '768x1360',
				imageOptions: { seed: 1234, steps: 6, cfgScale: 2.5, negativePrompt: 'blurry' },
				options: { fileName: 'lighthouse' },
			}),
			node('Read Input', 'n8n-nodes-base.readWriteFile', {
				operation: 'read',
				fileSelector: fixturePath(INPUT),
				options: {},
			}),
			stepfun('Edit', {
				operation: 'edit',
				model: 'step-image-edit-2',
				binaryPropertyName: 'data',
				prompt: '={{ "Turn " + $binary.data.fileName + " into a pencil sketch" }}',
				imageOptions: { seed: 77 },
				options: { binaryPropertyOutput: 'edited' },
			}),
		],
		connections: {
			Start: {
				main: [
					[
						{ node: 'Generate', type: 'main', index: 0 },
						{ node: 'Read Input', type: 'main', index: 0 },
					],
				],
			},
			'Read Input': link('Edit'),
		},
	};
}

function errorsWorkflow(): Workflow {
	return {
		name: 'e2e errors',
		nodes: [
			node('Start', 'n8n-nodes-base.manualTrigger', {}),
			stepfun(
				'Bad Key',
				{ operation: 'generate', model: 'step-image-edit-2', prompt: 'a cat', size: '1024x1024' },
				BAD,
				{ onError: 'continueRegularOutput' },
			),
			stepfun('Retired Model', {
				operation: 'generate',
				model: 'step-image-edit-2',
				prompt: 'a dog',
				size: '1024x1024',
			}),
		],
		connections: { Start: link('Bad Key'), 'Bad Key': link('Retired Model') },
	};
}

const byRoute = (sim: Simulator, route: string): RecordedRequest[] =>
	sim.apiRequests().filter((r) => r.route === route);

describe.each(versions())('n8n %s: workflows run by the n8n CLI', (version) => {
	let sim: Simulator;
	let inst: E2eInstance;
	let outDir: string;
	let ids: { main: string; marketing: string; errors: string };

	beforeAll(async () => {
		sim = await startSimulator({ apiKey: API_KEY });
		outDir = tempDir('stepfun-e2e-marketing-');
		inst = await createInstance(version, { allowDirs: [outDir] });
		const data = { endpoint: 'custom', baseUrl: sim.stepPlanBaseUrl };
		await inst.importCredentials([
			{ ...GOOD, type: 'stepPlanApi', data: { ...data, apiKey: API_KEY } },
			{ ...BAD, type: 'stepPlanApi', data: { ...data, apiKey: 'sk-wrong-key' } },
		]);
		const [main, marketing, errors] = await importWorkflows(inst, [
			generateAndEditWorkflow(),
			marketingWorkflow({ nodeType: CUSTOM_NODE_TYPE, credential: GOOD }, outDir),
			errorsWorkflow(),
		]);
		ids = { main, marketing, errors };
	}, 240000);

	afterAll(async () => {
		await inst?.cleanup();
		await sim?.close();
		removeTempDirs();
	});

	beforeEach(() => sim.reset());

	test('Generate and Edit produce real PNGs from the requests the simulator expects', async () => {
		const run = await execute(inst, ids.main);

		// Generate: one image of the requested size, sent as a JSON body with the tuning fields
		const [gen] = run.nodes.Generate;
		expect(run.nodes.Generate).toHaveLength(1);
		expect(gen.json).toMatchObject({
			operation: 'generate',
			model: 'step-image-edit-2',
			seed: 1234,
			width: 768,
			height: 1360,
		});
		expect(gen.json.size).toBe('768x1360');
		const genBin = gen.binary.data;
		expect(genBin.mimeType).toBe('image/png');
		expect(genBin.fileName).toBe('lighthouse.png');
		const genPng = decodePng(genBin.buffer!);
		expect([genPng.width, genPng.height]).toEqual([768, 1360]);

		const [genReq] = byRoute(sim, '/images/generations');
		expect(byRoute(sim, '/images/generations')).toHaveLength(1);
		expect(genReq.authorization).toBe(`Bearer ${API_KEY}`);
		expect(genReq.contentType).toMatch(/^application\/json/);
		expect(genReq.json).toMatchObject({
			model: 'step-image-edit-2',
			prompt: 'A lighthouse at dusk, e2e',
			size: '768x1360',
			seed: 1234,
			steps: 6,
			cfg_scale: 2.5,
			negative_prompt: 'blurry',
		});
		expect(genReq.outputSha256).toBe(sha256(genBin.buffer!));

		// Edit: multipart with the exact input bytes; output keeps the input's dimensions
		const [edit] = run.nodes.Edit;
		expect(run.nodes.Edit).toHaveLength(1);
		expect(edit.json).toMatchObject({
			operation: 'edit',
			seed: 77,
			width: 96,
			height: 72,
			inputFileName: INPUT,
			inputWidth: 96,
			inputHeight: 72,
			inputMimeType: 'image/webp',
		});
		const editPng = decodePng(edit.binary.edited.buffer!);
		expect([editPng.width, editPng.height]).toEqual([96, 72]);

		const [editReq] = byRoute(sim, '/images/edits');
		expect(byRoute(sim, '/images/edits')).toHaveLength(1);
		expect(editReq.contentType).toMatch(/^multipart\/form-data; boundary=/);
		expect(editReq.fields).toMatchObject({
			model: 'step-image-edit-2',
			prompt: `Turn ${INPUT} into a pencil sketch`,
			seed: '77',
		});
		expect(editReq.files).toHaveLength(1);
		expect(editReq.files[0]).toMatchObject({
			field: 'image',
			format: 'webp',
			width: 96,
			height: 72,
		});
		expect(editReq.files[0].sha256).toBe(sha256(readFile(fixturePath(INPUT))));
		expect(editReq.outputSha256).toBe(sha256(edit.binary.edited.buffer!));
	});

	test('examples/marketing-batch.json: one image per product, saved to disk under its SKU', async () => {
		const run = await execute(inst, ids.marketing);
		const generated = run.nodes['Generate Images'];
		expect(generated.map((i) => i.json.sku)).toEqual(['MUG-001', 'TEE-014', 'LAMP-203']);
		expect(run.nodes['Save to Disk']).toHaveLength(3);
		expect(listDir(outDir)).toEqual(['LAMP-203.png', 'MUG-001.png', 'TEE-014.png']);
		for (const item of generated) {
			const onDisk = readFile(`${outDir}/${String(item.json.sku)}.png`);
			const png = decodePng(onDisk);
			expect([png.width, png.height]).toEqual([1360, 768]);
			expect(item.json).toMatchObject({
				width: 1360,
				height: 768,
				fileName: `${String(item.json.sku)}.png`,
			});
		}
		const requests = byRoute(sim, '/images/generations');
		expect(requests).toHaveLength(3);
		expect(requests.map((r) => (r.json as { size: string }).size)).toEqual([
			'1360x768',
			'1360x768',
			'1360x768',
		]);
		expect(requests.map((r) => (r.json as { prompt: string }).prompt).sort()).toEqual(
			generated.map((i) => String(i.json.prompt)).sort(),
		);
	});

	test('a wrong API key and a retired model end in the node’s clear errors', async () => {
		sim.setFaults({ retiredModels: ['step-image-edit-2'] });
		const failed = await executeExpectingFailure(inst, ids.errors);

		// continueRegularOutput: the error travels as an item
		const badKey = failed.nodes['Bad Key'];
		expect(Array.isArray(badKey)).toBe(true);
		const badItems = badKey as Array<{ json: Record<string, unknown> }>;
		expect(String(badItems[0].json.error)).toContain('The API key was rejected (HTTP 401)');

		// stopWorkflow: the execution fails with the node's message
		expect(failed.error).toBeDefined();
		expect(failed.error!.nodeName).toBe('Retired Model');
		expect(failed.error!.message).toContain(
			'Model "step-image-edit-2" is not available (HTTP 400)',
		);

		const statuses = sim.apiRequests().map((r) => r.status);
		expect(statuses).toEqual([401, 400]);
	});
});
