// A real n8n for the end-to-end suites: an instance with the built package, workflow imports, and
// headless runs (`n8n execute`) decoded into items.
import path from 'node:path';

import {
	createInstance as create,
	nodeOutput,
	type N8nError,
	type N8nInstance,
	type N8nItem,
	type N8nRun,
	type WorkflowInput,
} from '../../support/n8n/index.cjs';
import { freePort } from '../../support/system.cjs';
import { FIXTURES_DIR, ROOT } from './files.cjs';

export interface DecodedBinary {
	mimeType?: string;
	fileName?: string;
	fileSize?: string | number;
	id?: string;
	/** The inline bytes (binary data mode `default`). */
	buffer?: Buffer;
}
export interface DecodedItem {
	json: Record<string, any>;
	binary: Record<string, DecodedBinary>;
}
export interface ExecuteResult {
	nodes: Record<string, DecodedItem[]>;
	lastNodeExecuted: string | undefined;
	ms?: number;
}
export interface RunError {
	message: string;
	description?: string;
	nodeName?: string;
	httpCode?: string;
}
/** A failed run: the execution's error, and per node its items or its error. */
export interface FailedRun {
	error?: RunError;
	nodes: Record<string, DecodedItem[] | { error: N8nError }>;
}

/** n8n `version` with the built package, the fixtures readable, inline binary data unless told otherwise. */
export async function createInstance(
	version: string,
	{
		customExtension = true,
		allowDirs = [] as string[],
		env = {} as Record<string, string>,
		binaryDataMode = 'default' as 'default' | 'filesystem' | 'database',
	} = {},
): Promise<N8nInstance> {
	const customExtensions = customExtension ? [path.join(ROOT, 'dist')] : [];
	return await create({
		version,
		customExtensions,
		binaryDataMode,
		restrictFileAccessTo: [FIXTURES_DIR, ...allowDirs],
		env,
	});
}

/** One `n8n import:workflow` for them all; their ids. */
export const importWorkflows = (inst: N8nInstance, workflows: WorkflowInput[]) =>
	inst.importWorkflows(workflows);

const decodeItems = (items: N8nItem[]): DecodedItem[] =>
	items.map((item) => {
		const binary: Record<string, DecodedBinary> = {};
		for (const [key, { mimeType, fileName, fileSize, id, data }] of Object.entries(
			item.binary ?? {},
		)) {
			binary[key] = {
				mimeType,
				fileName,
				fileSize,
				id,
				buffer: data && !id ? Buffer.from(data, 'base64') : undefined,
			};
		}
		return { json: item.json, binary };
	});

/** Each node's decoded items; rejects when the run failed. */
export async function execute(inst: N8nInstance, workflowId: string): Promise<ExecuteResult> {
	const run = await inst.execute(workflowId);
	const { runData, lastNodeExecuted } = run.data.resultData;
	const nodes = Object.fromEntries(
		Object.keys(runData).map((name) => [name, decodeItems(nodeOutput(run, name))]),
	);
	return { nodes, lastNodeExecuted, ms: run.process?.ms };
}

/** A run that must fail: the failing node's error as n8n stored it, and every node's items or error. */
export async function executeExpectingFailure(
	inst: N8nInstance,
	workflowId: string,
): Promise<FailedRun> {
	const failure = await inst.execute(workflowId).then(
		() => undefined,
		(error: Error & { run?: N8nRun }) => error,
	);
	if (!failure) return { error: undefined, nodes: {} };
	if (!failure.run)
		return { error: { message: `no execution result: ${failure.message}` }, nodes: {} };
	const { runData, error: err = {} as Partial<N8nError> } = failure.run.data.resultData;
	const nodes: FailedRun['nodes'] = {};
	for (const [name, runs] of Object.entries(runData ?? {})) {
		nodes[name] = runs[0]?.error
			? { error: runs[0].error }
			: decodeItems(runs[0]?.data?.main?.[0] ?? []);
	}
	const text = (v: unknown) => (v === undefined || v === null ? undefined : String(v));
	const error = {
		message: String(err.message ?? ''),
		description: text(err.description),
		nodeName: err.node?.name,
		httpCode: text(err.httpCode),
	};
	return { error, nodes };
}

/** `n8n execute --id=<id> --rawOutput` as a process, whatever the outcome. */
export async function executeRaw(inst: N8nInstance, workflowId: string) {
	const env = { N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
	const res = await inst.run(
		['execute', `--id=${workflowId}`, '--rawOutput'],
		{ env, timeoutMs: 300000 },
		true,
	);
	return { code: res.code, stdout: res.stdout, stderr: res.stderr };
}
