// The package installed the way a user installs it (npm-packed tarball → community package in the n8n user
// folder, type n8n-nodes-stepfun.stepFunImage), then a real n8n server: the webhook example driven over
// HTTP, and n8n's own credential test.
import { startSimulator, type Simulator } from '../support/simulator/index.cjs';
import { decodePng } from '../support/simulator/png.cjs';
import {
	EXAMPLE_CREDENTIAL,
	PACKAGE_NODE_TYPE,
	createInstance,
	execute,
	fixturePath,
	importWorkflows,
	installPackageFromTarball,
	loadExample,
	packPackage,
	pollRequest,
	postMultipart,
	readFile,
	removeTempDirs,
	sha256,
	tarballFiles,
	versions,
	type E2eInstance,
	type InstalledPackage,
	type N8nServer,
} from './e2e-helpers.cjs';

const API_KEY = 'sk-e2e-server';
const UPLOAD = 'input-80x60.jpg';

let tgz: string;

beforeAll(() => {
	tgz = packPackage();
});

afterAll(() => removeTempDirs());

test('the npm tarball holds the built package and nothing else', () => {
	const files = tarballFiles(tgz);
	expect(files).toEqual(
		expect.arrayContaining([
			'package/package.json',
			'package/index.js',
			'package/dist/nodes/StepFunImage/StepFunImage.node.js',
			'package/dist/credentials/StepPlanApi.credentials.js',
		]),
	);
	expect(
		files.filter((f) => /^package\/(nodes|credentials|test|scripts|examples)\//.test(f)),
	).toEqual([]);
});

describe.each(versions())('n8n %s: community package + server', (version) => {
	let sim: Simulator;
	let inst: E2eInstance;
	let installed: InstalledPackage;
	let ids: { webhook: string; generate: string; form: string };
	let server: N8nServer | undefined;

	beforeAll(async () => {
		sim = await startSimulator({ apiKey: API_KEY });
		inst = await createInstance(version, { customExtension: false });
		installed = await installPackageFromTarball(inst, tgz);
		await inst.importCredentials([
			{
				...EXAMPLE_CREDENTIAL,
				type: 'stepPlanApi',
				data: { apiKey: API_KEY, endpoint: 'custom', baseUrl: sim.stepPlanBaseUrl },
			},
		]);
		// The webhook example as shipped: node type n8n-nodes-stepfun.stepFunImage, placeholder credential.
		const [webhook, form, generate] = await importWorkflows(inst, [
			loadExample('webhook-edit'),
			loadExample('form-generate'),
			{
				name: 'e2e package generate',
				nodes: [
					{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} },
					{
						name: 'Generate Image',
						type: PACKAGE_NODE_TYPE,
						typeVersion: 1,
						parameters: {
							operation: 'generate',
							prompt: 'A paper boat on a pond',
							size: '896x1184',
							options: { fileName: 'boat' },
						},
						credentials: { stepPlanApi: EXAMPLE_CREDENTIAL },
					},
				],
				connections: { Start: { main: [[{ node: 'Generate Image', type: 'main', index: 0 }]] } },
			},
		]);
		ids = { webhook, generate, form };
	}, 240000);

	afterAll(async () => {
		await inst?.cleanup();
		await sim?.close();
	});

	beforeEach(() => sim.reset());

	test('installs from the tarball as n8n-nodes-stepfun and runs as n8n-nodes-stepfun.stepFunImage', async () => {
		expect(installed.packageName).toBe('n8n-nodes-stepfun');
		expect(installed.nodeTypes.map((n) => n.name)).toEqual([PACKAGE_NODE_TYPE]);

		const run = await execute(inst, ids.generate);
		const [item] = run.nodes['Generate Image'];
		expect(item.json).toMatchObject({
			operation: 'generate',
			model: 'step-image-edit-2',
			width: 896,
			height: 1184,
			fileName: 'boat.png',
		});
		const png = decodePng(item.binary.data.buffer!);
		expect([png.width, png.height]).toEqual([896, 1184]);
		expect(sim.apiRequests().map((r) => [r.route, r.status])).toEqual([
			['/images/generations', 200],
		]);
	});

	describe('server', () => {
		beforeAll(async () => {
			server = await inst.startServer();
		}, 240000);

		afterAll(async () => {
			await server?.stop();
		});

		test('lists the package under Settings > Community nodes', async () => {
			const res = await server!.request('GET', '/rest/community-packages');
			expect(res.status).toBe(200);
			const list = (
				res.body as {
					data: Array<{ packageName: string; installedNodes: Array<{ type: string }> }>;
				}
			).data;
			const mine = list.find((p) => p.packageName === 'n8n-nodes-stepfun');
			expect(mine?.installedNodes.map((n) => n.type)).toEqual([PACKAGE_NODE_TYPE]);
		});

		test('examples/webhook-edit.json: a multipart POST to the production URL returns the edited PNG', async () => {
			await inst.activateWorkflow(ids.webhook);
			const upload = readFile(fixturePath(UPLOAD));
			const res = await postMultipart(server!.webhookUrl('stepfun-edit'), [
				{ name: 'prompt', value: 'Make it look like a linocut print' },
				{ name: 'data', filename: UPLOAD, contentType: 'image/jpeg', data: upload },
			]);
			expect({ status: res.status, text: res.status === 200 ? '' : res.text }).toEqual({
				status: 200,
				text: '',
			});
			expect(res.headers['content-type']).toMatch(/^image\/png/);
			const png = decodePng(res.body);
			expect([png.width, png.height]).toEqual([80, 60]);
			expect(res.headers['x-stepfun-seed']).toMatch(/^\d+$/);

			const [req] = sim.apiRequests();
			expect(sim.apiRequests()).toHaveLength(1);
			expect(req.route).toBe('/images/edits');
			expect(req.fields).toMatchObject({
				model: 'step-image-edit-2',
				prompt: 'Make it look like a linocut print',
			});
			expect(req.files[0].sha256).toBe(sha256(upload));
			expect(req.files[0]).toMatchObject({ format: 'jpeg', width: 80, height: 60 });
			expect(req.outputSha256).toBe(sha256(res.body));
			expect(String(req.seedUsed)).toBe(res.headers['x-stepfun-seed']);
		});

		test('without a prompt field the webhook example uses its default prompt', async () => {
			const upload = readFile(fixturePath('input-64x48.png'));
			const res = await postMultipart(server!.webhookUrl('stepfun-edit'), [
				{ name: 'data', filename: 'input-64x48.png', contentType: 'image/png', data: upload },
			]);
			expect(res.status).toBe(200);
			const png = decodePng(res.body);
			expect([png.width, png.height]).toEqual([64, 48]);
			expect(sim.apiRequests()[0].fields.prompt).toBe('Make it look like a watercolor painting');
		});

		test('examples/form-generate.json: submitting the form leads to the completion page with the image', async () => {
			await inst.activateWorkflow(ids.form);
			const submit = await postMultipart(`${server!.url}/form/stepfun-generate`, [
				{ name: 'field-0', value: 'A red fox in the snow' },
				{ name: 'field-1', value: '1360x768' },
			]);
			expect({ status: submit.status, text: submit.status === 200 ? '' : submit.text }).toEqual({
				status: 200,
				text: '',
			});
			const { formWaitingUrl } = JSON.parse(submit.text) as { formWaitingUrl?: string };
			expect(formWaitingUrl).toMatch(/\/form-waiting\//);

			// the form answers before the workflow finishes; the waiting page turns into the completion page
			const page = await pollRequest(formWaitingUrl!, (text) =>
				text.includes('Here is your image'),
			);
			expect(page.status).toBe(200);
			const [req] = sim.apiRequests();
			expect(sim.apiRequests()).toHaveLength(1);
			expect(req.route).toBe('/images/generations');
			expect(req.json).toMatchObject({ prompt: 'A red fox in the snow', size: '1360x768' });
			expect(page.text).toContain('Here is your image');
			expect(page.text).toContain(`Seed ${String(req.seedUsed)}, 1360x768.`);
			expect(page.text).toContain('stepfun-image.png');
		});

		test('n8n’s credential test accepts the simulator key and rejects a wrong one', async () => {
			const good = await inst.testCredential({ id: EXAMPLE_CREDENTIAL.id });
			expect(good).toMatchObject({ status: 'OK' });

			const bad = await inst.testCredential({
				id: EXAMPLE_CREDENTIAL.id,
				data: { apiKey: 'sk-wrong' },
			});
			expect(bad.status).toBe('Error');
			// n8n 2.x applies the credential's own 401 rule; 1.x answers with its generic wording.
			expect(bad.message).toMatch(
				version.startsWith('1.')
					? /^Authorization failed - please check your credentials$/
					: /^The API key was rejected \(HTTP 401\)\. .*Endpoint matches its region/,
			);

			// (n8n itself may send the failing test request more than once)
			const [first, ...rest] = sim
				.apiRequests()
				.map((r) => [r.method, r.path, r.authorization, r.status]);
			expect(first).toEqual(['GET', '/step_plan/v1/models', `Bearer ${API_KEY}`, 200]);
			expect(rest.length).toBeGreaterThanOrEqual(1);
			for (const r of rest)
				expect(r).toEqual(['GET', '/step_plan/v1/models', 'Bearer sk-wrong', 401]);
		});
	});
});
