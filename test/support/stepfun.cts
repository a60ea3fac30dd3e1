// Wires the StepFun Image node and its credential to a running simulator through the n8n-core harness.
import { createHash } from 'node:crypto';
import type { IDataObject, INodeParameters } from 'n8n-workflow';

import { StepPlanApi } from '../../credentials/StepPlanApi.credentials';
import { StepFunImage } from '../../nodes/StepFunImage/StepFunImage.node';
import { forgetAccounts } from '../../nodes/StepFunImage/transport/accounts';
import { runNode, type BinaryMode } from './harness/index.cjs';
import { decodePng } from './simulator/png.cjs';
import { startSimulator, type Simulator, type SimulatorOptions } from './simulator/index.cjs';

/** Hex SHA-256 of some bytes: how the tests compare an upload or a stored image with its source. */
export const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

/** An input item carrying an image in binary field `data`, as a Read File or Webhook node makes it. */
export function imageItem(name: string, data: Buffer, mimeType: string, json = {}) {
	return { json, binary: { data: { data, mimeType, fileName: name } } };
}

/** The Step Plan page's Edit example (a Chinese instruction, its image settings). */
export const STEP_PLAN_EDIT = {
	operation: 'edit',
	prompt: '让图中角色骑自行车，手上举个牌子写着"沙特阿拉伯"',
	imageOptions: { cfgScale: 1, steps: 8, seed: 1, textMode: true },
};

export interface RunOptions {
	items?: Array<{
		json: IDataObject;
		binary?: Record<string, { data: Buffer; mimeType?: string; fileName?: string }>;
	}>;
	/** n8n's binary data mode: 'default' (in memory), 'filesystem' or 'database'. */
	binaryMode?: BinaryMode;
	continueOnFail?: boolean;
	signal?: AbortSignal;
	apiKey?: string;
	baseUrl?: string;
	/** Run as n8n's tool variant of the node (what an AI Agent calls). */
	asTool?: boolean;
}

export async function runStepFun(
	sim: Simulator,
	parameters: INodeParameters,
	options: RunOptions = {},
) {
	return await runNode({
		node: new StepFunImage(),
		credentialTypes: [new StepPlanApi()],
		credentials: {
			stepPlanApi: {
				apiKey: options.apiKey ?? sim.apiKey,
				endpoint: 'custom',
				baseUrl: options.baseUrl ?? sim.stepPlanBaseUrl,
			},
		},
		parameters,
		items: options.items,
		binaryMode: options.binaryMode,
		continueOnFail: options.continueOnFail,
		signal: options.signal,
		nodeTypeName: options.asTool ? 'n8n-nodes-stepfun.stepFunImageTool' : undefined,
	});
}

/** Runs the node against any endpoint (a hostile test server), with a custom Base URL credential. */
export async function runStepFunAt(
	baseUrl: string,
	apiKey: string,
	parameters: INodeParameters,
	options: Omit<RunOptions, 'apiKey' | 'baseUrl'> = {},
) {
	return await runNode({
		node: new StepFunImage(),
		credentialTypes: [new StepPlanApi()],
		credentials: { stepPlanApi: { apiKey, endpoint: 'custom', baseUrl } },
		parameters,
		items: options.items,
		binaryMode: options.binaryMode,
		continueOnFail: options.continueOnFail,
		signal: options.signal,
	});
}

/** Width and height decoded from the PNG bytes themselves (CRC-checked full decode). */
export function pngSize(buffer: Buffer): { width: number; height: number } {
	const decoded = decodePng(buffer);
	return { width: decoded.width, height: decoded.height };
}

/** One simulator for a describe block: started before, closed after, reset before each test. */
export function useSimulator(options?: SimulatorOptions): () => Simulator {
	let sim: Simulator | undefined;
	beforeAll(async () => {
		sim = await startSimulator(options);
	});
	afterAll(async () => await sim?.close());
	beforeEach(() => {
		sim?.reset();
		// Each test starts with no learned rate limits (the governor is per account, per process).
		forgetAccounts();
	});
	return () => sim!;
}
