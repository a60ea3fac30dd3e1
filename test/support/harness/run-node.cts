// runNode(): a node in a two-node workflow ("Harness Input" → the node) run by n8n-core's real
// WorkflowExecute, so expressions, pairedItem, onError, the cancel signal and the execution context's
// helpers are n8n's own code; its output read back through the real BinaryDataService.
import { ExecutionLifecycleHooks, WorkflowExecute, type BinaryDataService } from 'n8n-core';
import { NodeConnectionTypes, NodeHelpers, Workflow } from 'n8n-workflow';
import type { IBinaryData, IDataObject, IExecuteFunctions, INode, INodeType } from 'n8n-workflow';
import type { INodeExecutionData, IPairedItemData, IRun, IWorkflowBase } from 'n8n-workflow';
import type * as T from 'n8n-workflow';

import { createAdditionalData } from '../n8n-mirror/additional-data.cjs';
import { HarnessCredentialsHelper, mockNodeTypes } from '../n8n-mirror/credentials-helper.cjs';
import { useBinaryDataMode, type BinaryMode } from './services.cjs';

export const INPUT_NODE_NAME = 'Harness Input';
export const DEFAULT_NODE_NAME = 'Node Under Test';

type InputBinary = { data: Buffer | Uint8Array | string; mimeType?: string; fileName?: string };
/** An input item; its binaries are stored through n8n-core's real prepareBinaryData. */
export interface HarnessInputItem {
	json: IDataObject;
	binary?: Record<string, InputBinary>;
}

export interface RunNodeOptions {
	/** The node class instance, e.g. `new StepFunImage()`. */
	node: INodeType;
	credentialTypes?: T.ICredentialType[];
	/** Credential data by credential type name; each becomes a credential set on the node. */
	credentials?: Record<string, T.ICredentialDataDecryptedObject>;
	/** As stored in a workflow (expressions like `={{ $json.prompt }}` allowed). */
	parameters?: T.INodeParameters;
	/** Default: one empty item. */
	items?: HarnessInputItem[];
	binaryMode?: BinaryMode;
	/** `onError: 'continueRegularOutput'` */
	continueOnFail?: boolean;
	typeVersion?: number;
	/** Aborting it cancels the execution as n8n's "stop execution" does. */
	signal?: AbortSignal;
	/** Default `n8n-nodes-harness.<description.name>`. */
	nodeTypeName?: string;
}

export type HarnessOutputBinary = IBinaryData & { buffer: Buffer };
export interface HarnessOutputItem {
	json: IDataObject;
	pairedItem?: IPairedItemData | IPairedItemData[] | number;
	binary?: Record<string, HarnessOutputBinary>;
	error?: unknown;
}
/** The error instance the node threw (n8n keeps only a plain copy in the run data). */
export type HarnessNodeError = Error &
	Record<'description' | 'httpCode', string | null | undefined>;

export interface RunNodeResult {
	/** The output's items, binaries read back. */
	items: HarnessOutputItem[];
	/** Set when the node failed the execution (not continueOnFail). */
	error?: HarnessNodeError;
	status: IRun['status'];
	canceled: boolean;
	/** Request options after the credential's authenticate ran, one per authenticated request. */
	authenticatedRequests: T.IHttpRequestOptions[];
	executionId: string;
	raw: IRun;
}

/** The start node: emits the given items. */
function inputNodeType(items: HarnessInputItem[]): INodeType {
	return {
		description: {
			displayName: INPUT_NODE_NAME,
			name: 'harnessInput',
			group: ['input'],
			version: 1,
			description: 'Emits the items given to runNode()',
			defaults: { name: INPUT_NODE_NAME },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			properties: [],
		},
		async execute(this: IExecuteFunctions) {
			const out: INodeExecutionData[] = [];
			for (const item of items) {
				const json = structuredClone(item.json);
				const outItem: INodeExecutionData = { json, pairedItem: { item: 0 } };
				for (const [key, { data, fileName, mimeType }] of Object.entries(item.binary ?? {})) {
					const bytes = Buffer.isBuffer(data) ? data : Buffer.from(data);
					outItem.binary ??= {};
					outItem.binary[key] = await this.helpers.prepareBinaryData(bytes, fileName, mimeType);
				}
				out.push(outItem);
			}
			return [out];
		},
	};
}

/** The node under test, wrapped to keep the error instance it throws and to know when it settled. */
function tracked(node: INodeType, version: number) {
	const type = NodeHelpers.getVersionedNodeType(node, version) as INodeType;
	const execute = type.execute!;
	const seen: { error?: unknown; settled?: Promise<unknown> } = {};
	const wrapper: INodeType = Object.assign(Object.create(null), type, {
		description: type.description,
		methods: type.methods,
		async execute(this: IExecuteFunctions) {
			const run = execute.call(this);
			seen.settled = run.catch(() => undefined);
			return await run.catch((error: unknown) => {
				seen.error = error;
				throw error;
			});
		},
	});
	return { wrapper, seen };
}

async function readBack(items: INodeExecutionData[] | null, service: BinaryDataService) {
	const out: HarnessOutputItem[] = [];
	for (const item of items ?? []) {
		const copy = { ...item } as HarnessOutputItem;
		if (item.binary) {
			copy.binary = {};
			for (const [key, binary] of Object.entries(item.binary)) {
				const buffer = await service.getAsBuffer(binary);
				copy.binary[key] = { ...binary, buffer } as unknown as HarnessOutputBinary;
			}
		}
		out.push(copy);
	}
	return out;
}

let executions = 0;

export async function runNode(options: RunNodeOptions): Promise<RunNodeResult> {
	const { node, items = [{ json: {} }], signal } = options;
	const nodeName = DEFAULT_NODE_NAME;
	const service = await useBinaryDataMode(options.binaryMode ?? 'default');
	const { version: versions, name } = node.description;
	const version = options.typeVersion ?? (Array.isArray(versions) ? versions.at(-1)! : versions);
	const typeName = options.nodeTypeName ?? `n8n-nodes-harness.${name}`;
	const { wrapper, seen } = tracked(node, version);
	const credentials = options.credentials ?? {};
	const input = { id: 'harness-input', name: INPUT_NODE_NAME, type: 'n8n-nodes-harness.input' };
	const inputNode: INode = { ...input, typeVersion: 1, position: [0, 0], parameters: {} };
	const parameters = structuredClone(options.parameters ?? {});
	const tested = { id: 'harness-node-under-test', name: nodeName, type: typeName, parameters };
	const nodeUnderTest: INode = { ...tested, typeVersion: version, position: [220, 0] };
	const refs = Object.keys(credentials).map((t) => [
		t,
		{ id: `harness-${t}`, name: `${t} (harness)` },
	]);
	if (refs.length) nodeUnderTest.credentials = Object.fromEntries(refs);
	if (options.continueOnFail) nodeUnderTest.onError = 'continueRegularOutput';

	const executionId = `harness-exec-${++executions}`;
	const main = [[{ node: nodeName, type: NodeConnectionTypes.Main, index: 0 }]];
	const [nodes, connections] = [[inputNode, nodeUnderTest], { [INPUT_NODE_NAME]: { main } }];
	const settings = { executionOrder: 'v1' as const };
	const workflowData = { id: 'harnessWorkflow1', name: 'n8n harness workflow', nodes, connections };
	Object.assign(workflowData, { active: false, settings });
	const nodeTypes = mockNodeTypes({ [inputNode.type]: inputNodeType(items), [typeName]: wrapper });
	const workflow = new Workflow({ ...workflowData, active: false, settings, nodeTypes });
	const types = options.credentialTypes ?? [];
	const credentialsHelper = new HarnessCredentialsHelper(types, credentials);
	// The hooks read only these fields (a harness workflow is never saved).
	const hooks = new ExecutionLifecycleHooks(
		'manual',
		executionId,
		workflowData as unknown as IWorkflowBase,
	);
	let fail: (error: unknown) => void = () => {};
	const finished = new Promise<IRun>((resolve, reject) => {
		fail = reject;
		hooks.addHandler('workflowExecuteAfter', resolve);
	});
	const ids = { executionId, workflowId: workflowData.id };
	const additionalData = createAdditionalData({ credentialsHelper, hooks, ...ids });
	const executor = new WorkflowExecute(additionalData, 'manual');
	const execution = executor.run({ workflow, startNode: inputNode });
	execution.catch(fail);

	let canceled = false;
	const cancel = () => {
		canceled = true;
		execution.cancel();
	};
	if (signal?.aborted) cancel();
	else signal?.addEventListener('abort', cancel, { once: true });
	const run = await finished.finally(() => signal?.removeEventListener('abort', cancel));
	// After a cancel n8n reports the execution at once: wait for the node to stop too, so that a test
	// does not leak its work.
	await seen.settled;

	const taskData = run.data.resultData.runData[nodeName]?.[0];
	const output = await readBack(taskData?.data?.main?.[0] ?? [], service);
	const failed = taskData?.error ?? run.data.resultData.error;
	const error = failed ? ((seen.error ?? failed) as HarnessNodeError) : undefined;
	const { authenticatedRequests } = credentialsHelper;
	const result = { items: output, error, status: run.status, canceled, authenticatedRequests };
	return { ...result, executionId, raw: run };
}
