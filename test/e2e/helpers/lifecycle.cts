// The install path n8n users take, run inside the registry's namespaces (../../support/registry): the
// packed package published to the stand-in for n8n's default registry, then installed, updated and
// uninstalled through n8n's REST API (what Settings → Community Nodes calls), a workflow run on it after
// each step; and in queue mode, the package installed on the main reaching both workers the way n8n
// distributes it. Run as a script (`lifecycle.cts <json>`); it writes its report as JSON to `out`.
import fs from 'node:fs';
import path from 'node:path';

import { PACKAGE_NODE_TYPE, loadExample } from '../../support/demo/examples.cjs';
import { postForm } from '../../support/http.cjs';
import { createInstance, startQueueStack, type N8nServer } from '../../support/n8n/index.cjs';
import {
	defaultRegistryHost,
	isolatedArgs,
	makeRegistryFiles,
	namespaceProblem,
	publish,
	startRegistry,
	trustEnv,
	type RegistryFiles,
} from '../../support/registry/index.cjs';
import { ensureRedisServer } from '../../support/services/redis.cjs';
import { startSimulator, type Simulator } from '../../support/simulator/index.cjs';
import { decodePng } from '../../support/simulator/png.cjs';
import { delay, killAll, runProcess, tempDir } from '../../support/system.cjs';
import {
	editorLifecycle,
	PACKAGE,
	type EditorLifecycleReport,
	type Listed,
} from './editor-lifecycle.cjs';
import { FIXTURES_DIR, ROOT, packPackage } from './files.cjs';

export interface LifecycleJob {
	version: string;
	tgz: string;
	/** The later release published for the update step. */
	nextVersion: string;
	files: RegistryFiles;
	upload: string;
	out: string;
	/** Where the editor's screenshots go. */
	screenshots: string;
	/** Which parts run (all by default). */
	stages?: Stage[];
}
export type Stage = 'editor' | 'rest' | 'queue';
export interface EditRun {
	status: number;
	contentType?: string;
	width?: number;
	height?: number;
	text?: string;
}
export interface LifecycleReport {
	registry: string;
	editor: EditorLifecycleReport;
	installed: Listed;
	installedNodes: string[];
	listedAfterInstall: Listed[];
	nodeTypeAfterInstall: string[];
	runAfterInstall: EditRun;
	listedBeforeUpdate: Listed[];
	updated: Listed;
	runAfterUpdate: EditRun;
	listedAfterUninstall: Listed[];
	nodeTypeAfterUninstall: string[];
	workflowAfterUninstall: { status: number; nodeTypes: string[] };
	runAfterUninstall: EditRun;
	healthAfterUninstall: number;
	queue: {
		installed: Listed;
		workerPackages: (string | null)[];
		runs: EditRun[];
		executionsPerWorker: number[];
	};
}

const { name: NAME, version: FIRST_VERSION } = PACKAGE;
const API_KEY = 'sk-lifecycle';
const log = (line: string) => void process.stderr.write(`[lifecycle] ${line}\n`);

const list = async (s: N8nServer) => (await s.api('GET', '/rest/community-packages')) as Listed[];
/** The node types among `names` n8n knows (what the editor asks before it draws a node). */
async function nodeTypes(s: N8nServer, names: string[]) {
	const known: string[] = [];
	for (const name of names) {
		const res = await s.request('POST', '/rest/node-types', { nodeInfos: [{ name, version: 1 }] });
		// The description names the type without its package prefix.
		const described = res.status === 200 && res.body?.data?.[0]?.name === name.split('.').pop();
		if (described) known.push(name);
		else if (!/Unrecognized node type/.test(res.text))
			throw new Error(`node-types: HTTP ${res.status} ${res.text.slice(0, 300)}`);
	}
	return known;
}

/** The Webhook → Edit → Respond example on the installed node, active; its webhook URL. */
async function editWorkflow(s: N8nServer, sim: Simulator) {
	const credential = await s.createCredential({
		name: 'Step Plan account',
		type: 'stepPlanApi',
		data: { apiKey: API_KEY, endpoint: 'custom', baseUrl: sim.stepPlanBaseUrl },
	});
	const id = await s.createWorkflow(
		loadExample('webhook-edit', { nodeType: PACKAGE_NODE_TYPE, credential }),
	);
	await s.activateWorkflow(id);
	return { id, url: s.webhookUrl('stepfun-edit') };
}

async function edit(url: string, upload: Buffer, prompt: string): Promise<EditRun> {
	const parts = [
		{ name: 'prompt', value: prompt },
		{ name: 'data', filename: 'input.png', contentType: 'image/png', data: upload },
	];
	const res = await postForm(url, parts);
	const contentType = res.headers['content-type'];
	if (res.status !== 200 || !/^image\/png/.test(contentType ?? ''))
		return { status: res.status, contentType, text: res.text.slice(0, 500) };
	const { width, height } = decodePng(res.buffer);
	return { status: res.status, contentType, width, height };
}

/** Polls `probe` each second until it gives a value (or the timeout). */
async function until<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs = 120000) {
	const started = Date.now();
	for (;;) {
		const value = await probe();
		if (value !== undefined) return value;
		if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
		await delay(1000);
	}
}

async function restLifecycle(job: LifecycleJob, sim: Simulator, upload: Buffer) {
	const inst = await createInstance({ version: job.version, env: trustEnv(job.files) });
	const s = await inst.startServer();
	log(`n8n ${job.version} ready on ${s.url}`);
	// The first release by name: the later one may be published already (by the editor's part).
	const first = { name: NAME, version: FIRST_VERSION };
	const installed = (await s.api('POST', '/rest/community-packages', first)) as Listed & {
		installedNodes: { type: string }[];
	};
	log(`installed ${NAME}@${installed.installedVersion}`);
	const types = [PACKAGE_NODE_TYPE];
	const report = {
		installed: { packageName: installed.packageName, installedVersion: installed.installedVersion },
		installedNodes: installed.installedNodes.map((n) => n.type).sort(),
		listedAfterInstall: await list(s),
		nodeTypeAfterInstall: await nodeTypes(s, types),
	} as Partial<LifecycleReport>;
	const wf = await editWorkflow(s, sim);
	report.runAfterInstall = await edit(wf.url, upload, 'after install');

	await publish(job.files, job.tgz, job.nextVersion);
	report.listedBeforeUpdate = await list(s);
	const updated = (await s.api('PATCH', '/rest/community-packages', {
		name: NAME,
		version: job.nextVersion,
	})) as Listed;
	report.updated = { packageName: updated.packageName, installedVersion: updated.installedVersion };
	log(`updated to ${updated.installedVersion}`);
	report.runAfterUpdate = await edit(wf.url, upload, 'after update');

	await s.api('DELETE', `/rest/community-packages?name=${NAME}`);
	log('uninstalled');
	report.listedAfterUninstall = await list(s);
	report.nodeTypeAfterUninstall = await nodeTypes(s, types);
	const opened = await s.request('GET', `/rest/workflows/${wf.id}`);
	const nodes = (opened.body?.data?.nodes ?? []) as { type: string }[];
	report.workflowAfterUninstall = { status: opened.status, nodeTypes: nodes.map((n) => n.type) };
	report.runAfterUninstall = await edit(wf.url, upload, 'after uninstall');
	report.healthAfterUninstall = (await s.request('GET', '/healthz')).status;
	await inst.cleanup();
	return report;
}

async function queueInstall(job: LifecycleJob, sim: Simulator, upload: Buffer) {
	const q = await startQueueStack({
		version: job.version,
		workers: 2,
		env: trustEnv(job.files),
		log,
	});
	try {
		const installed = (await q.server.api('POST', '/rest/community-packages', {
			name: NAME,
		})) as Listed;
		log(`queue: installed ${NAME}@${installed.installedVersion} on the main`);
		const workerPackage = (w: (typeof q.workers)[number]) => {
			const file = `${w.inst.nodesDir}/node_modules/${NAME}/package.json`;
			return fs.existsSync(file)
				? (JSON.parse(fs.readFileSync(file, 'utf8')).version as string)
				: null;
		};
		const workerPackages = await until('the workers to install the package', async () => {
			const versions = q.workers.map(workerPackage);
			return versions.every((v) => v === installed.installedVersion) ? versions : undefined;
		});
		const wf = await editWorkflow(q.server, sim);
		const runs = await Promise.all(
			Array.from({ length: 10 }, (_, i) => edit(wf.url, upload, `queue upload ${i + 1}`)),
		);
		const executions = q.executionWorkers();
		const perWorker = q.workers.map(
			(w) => [...executions.values()].filter((n) => n === w.number).length,
		);
		return {
			installed: {
				packageName: installed.packageName,
				installedVersion: installed.installedVersion,
			},
			workerPackages,
			runs,
			executionsPerWorker: perWorker,
		};
	} finally {
		await q.stop();
	}
}

async function main(job: LifecycleJob) {
	const registry = await startRegistry(job.files);
	await publish(job.files, job.tgz);
	log(`registry ${registry.url} serves ${NAME}`);
	const sim = await startSimulator({ apiKey: API_KEY });
	const upload = fs.readFileSync(job.upload);
	try {
		const stages = job.stages ?? ['editor', 'rest', 'queue'];
		const editor = stages.includes('editor') ? await editorLifecycle(job, sim, API_KEY) : undefined;
		const rest = stages.includes('rest') ? await restLifecycle(job, sim, upload) : undefined;
		const queue = stages.includes('queue') ? await queueInstall(job, sim, upload) : undefined;
		const report = { registry: registry.url, editor, ...rest, queue } as LifecycleReport;
		fs.writeFileSync(job.out, JSON.stringify(report, null, 2));
	} finally {
		await sim.close();
		await registry.close();
	}
}

/**
 * The whole path, from the test's side: the package packed, the namespaces made (or a clear error why
 * not), this file run inside them, and its report.
 */
export async function runLifecycle(
	version: string,
	nextVersion: string,
	stages?: Stage[],
): Promise<LifecycleReport> {
	const problem = await namespaceProblem();
	if (problem) throw new Error(problem);
	ensureRedisServer(log); // the namespaces have no network for apt-get
	const files = await makeRegistryFiles(defaultRegistryHost(version));
	const out = path.join(tempDir('stepfun-lifecycle-'), 'report.json');
	const upload = path.join(FIXTURES_DIR, 'input-64x48.png');
	const screenshots = path.join(ROOT, 'screenshots');
	const job: LifecycleJob = {
		version,
		tgz: packPackage(),
		nextVersion,
		files,
		upload,
		out,
		screenshots,
		stages,
	};
	const node = [process.execPath, '--require', 'tsx/cjs', __filename, JSON.stringify(job)];
	const { command, args } = isolatedArgs(files, node[0], node.slice(1));
	const run = await runProcess(command, args, { timeoutMs: 900000, echoStderr: true });
	if (run.code !== 0 || !fs.existsSync(out))
		throw new Error(`the install lifecycle failed (exit ${run.code}):\n${run.stderr.slice(-4000)}`);
	return JSON.parse(fs.readFileSync(out, 'utf8')) as LifecycleReport;
}

if (require.main === module) {
	main(JSON.parse(process.argv[2]) as LifecycleJob).then(
		() => process.exit(0),
		(error: Error) => {
			log(`failed: ${error.stack ?? error.message}`);
			killAll();
			process.exit(1);
		},
	);
}
