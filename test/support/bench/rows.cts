// The benchmark's rows: what each measures (the node, a sequential baseline, n8n's HTTP Request node,
// webhook bursts, Number of Images, queue mode) and the workflow it runs. A row runs as
// `Start → <input nodes> → Target` in the shared n8n (measure.cts) unless its kind brings a workflow
// or a run of its own. The memory rows: memory.cts.
import crypto from 'node:crypto';

import { randomId, type WorkflowInput } from '../n8n/index.cjs';

type Kind = 'none' | 'node' | 'http' | 'burst-node' | 'burst-http' | 'variants' | Queue;
type Queue = 'queue' | 'queue-shared';
/**
 * `n`: items (webhook calls, uploads); `images`: Number of Images (default 1); `conc`: the node's
 * Concurrency, the HTTP Request node's items in flight, or what each worker keeps in flight; `limited`:
 * under the new-account limit; `queue`: workers, the account's limits, bursts in a row, calls per burst.
 */
export interface Row {
	name: string;
	group: string;
	label: string;
	kind: Kind;
	op: 'generate' | 'edit';
	n: number;
	images?: number;
	seed?: number;
	conc?: number;
	limited?: boolean;
	retryAfter?: boolean;
	batching?: { batchSize: number; batchInterval: number };
	queue?: { workers: number; bursts: number; calls: number; faults?: Limit };
}
type Limit = { maxConcurrent: number; rpm?: number };

/** The API's limit for a new account, as the simulator plays it in the limited rows. */
export const LIMIT = { maxConcurrent: 5, rpm: 10, rpmWindowMs: 60000 };
export const API_KEY = 'sk-bench-simulator';
/** The measured node of every workflow. */
export const TARGET = 'Target';
export const VARIANTS = { items: 5, images: 4, conc: 5, seed: 1000 };

/** Every row, by group: unlimited, limited, then the others. */
export function allRows(sizes: { items: number; limitedItems: number }): Row[] {
	const [N, M] = [sizes.items, sizes.limitedItems];
	const [node, http, edit, gen] = ['node', 'http', 'edit', 'generate'] as const;
	const [c5, c10, seq] = [', c=5 (default)', ', c=10', ' (node, Edit, c=1)'];
	const [v, seed] = [VARIANTS, VARIANTS.seed];
	const variants = `${v.items} items × ${v.images} images, c=${v.conc}`;
	const shared = (what: string) => `Queue, 2 workers at c=5, 30 uploads at once, account ${what}`;
	const queue = (workers: number) => ({ workers, bursts: 1, calls: 50 });
	const limit = (max: number, rpm?: number): Limit => ({ maxConcurrent: max, ...(rpm && { rpm }) });
	type Args = [string, string, Kind, Row['op'], number, string, Partial<Row>?];
	const r = (...[name, group, kind, op, n, label, more]: Args): Row => {
		return { name, group, kind, op, n, label, ...more };
	};
	const lim = { limited: true };
	// prettier-ignore
	return [
		r('baseline', 'unlimited', 'none', edit, N, 'n8n + Code node only (memory reference)'),
		r('gen-c5', 'unlimited', node, gen, N, `StepFun node, Generate${c5}`, { conc: 5 }),
		r('gen-c10', 'unlimited', node, gen, N, `StepFun node, Generate${c10}`, { conc: 10 }),
		r('edit-c5', 'unlimited', node, edit, N, `StepFun node, Edit${c5}`, { conc: 5 }),
		r('edit-c10', 'unlimited', node, edit, N, `StepFun node, Edit${c10}`, { conc: 10 }),
		r('edit-seq', 'unlimited', node, edit, N, `Sequential baseline${seq}`, { conc: 1 }),
		r('http-edit', 'unlimited', http, edit, N, 'HTTP Request node, Edit (defaults)', { conc: N }),
		r('lim-edit-c5', 'limited', node, edit, M, `StepFun node, Edit${c5}`, { conc: 5, ...lim }),
		r('lim-edit-c10', 'limited', node, edit, M, `StepFun node, Edit${c10}`, { conc: 10, ...lim }),
		r('lim-edit-seq', 'limited', node, edit, M, `Sequential baseline${seq}`, { conc: 1, ...lim }),
		r('lim-http-edit', 'limited', http, edit, M, 'HTTP Request node, Edit (defaults)', { conc: M, ...lim }),
		r('lim-http-batched', 'limited', http, edit, M, 'HTTP Request, batching 5 per 30 s (hand-tuned)', { conc: 5, ...lim, batching: { batchSize: 5, batchInterval: 30000 } }),
		r('lim-edit-c5-ra', 'limited', node, edit, M, 'StepFun node, Edit, c=5, API sends Retry-After', { conc: 5, ...lim, retryAfter: true }),
		r('burst-node', 'burst', 'burst-node', edit, 50, 'StepFun node, Edit, 50 webhook calls of 1 item (defaults)', { conc: 5, ...lim }),
		r('burst-http', 'burst', 'burst-http', edit, 50, 'HTTP Request node, Edit, 50 webhook calls of 1 item (defaults)', { conc: 50, ...lim }),
		r('lim-edit-100', 'limited-long', node, edit, 100, `StepFun node, Edit${c5}, 100 items`, { conc: 5, ...lim }),
		r('variants-gen', 'variants', 'variants', gen, v.items, `StepFun node, Generate, ${variants}, Seed ${seed}`, { images: v.images, conc: v.conc, seed }),
		r('variants-gen-random', 'variants', 'variants', gen, v.items, `StepFun node, Generate, ${variants}, random seeds`, { images: v.images, conc: v.conc }),
		r('variants-edit', 'variants', 'variants', edit, v.items, `StepFun node, Edit, ${variants}, Seed ${seed}`, { images: v.images, conc: v.conc, seed }),
		r('queue-1w', 'queue', 'queue', edit, 50, 'Queue mode, 50 webhook-edit calls at once, 1 worker', { conc: 5, queue: queue(1) }),
		r('queue-2w', 'queue', 'queue', edit, 50, 'Queue mode, 50 webhook-edit calls at once, 2 workers', { conc: 10, queue: queue(2) }),
		r('queue-lim-c5', 'queue-shared', 'queue-shared', edit, 300, shared('5 in flight, 10 bursts'), { conc: 5, queue: { workers: 2, bursts: 10, calls: 30, faults: limit(5) } }),
		r('queue-lim-rpm', 'queue-shared', 'queue-shared', edit, 30, shared('5 in flight + 10 RPM'), { conc: 5, ...lim, queue: { workers: 2, bursts: 1, calls: 30, faults: limit(5, 10) } }),
	];
}

type WorkflowNode = Record<string, any>;
type Credential = { id: string; name: string };
const link = (node: string) => ({ main: [[{ node, type: 'main', index: 0 }]] });
/** An n8n core node (`n8n-nodes-base.<type>`) in a row at `x`. */
const node = (name: string, type: string, typeVersion: number, x: number, parameters: object) => {
	return { name, type: `n8n-nodes-base.${type}`, typeVersion, position: [x, 0], parameters };
};
const code = (name: string, x: number, jsCode: string) => node(name, 'code', 2, x, { jsCode });

/** The measured node: the StepFun node or the HTTP Request node, set up for the row. */
function targetNode(row: Row, cred: Credential, simBaseUrl: string): WorkflowNode {
	const base = { name: TARGET, position: [400, 0], onError: 'continueRegularOutput' };
	if (row.kind === 'http' || row.kind === 'burst-http') {
		const bodyParameters = [
			{ name: 'model', value: 'step-image-edit-2' },
			{ parameterType: 'formBinaryData', name: 'image', inputDataFieldName: 'data' },
			{ name: 'prompt', value: '={{ $json.prompt }}' },
			{ name: 'response_format', value: 'b64_json' },
		];
		const auth = { parameters: [{ name: 'Authorization', value: `Bearer ${API_KEY}` }] };
		const options = row.batching ? { batching: { batch: row.batching } } : {};
		const url = `${simBaseUrl}/images/edits`;
		const headers = { sendHeaders: true, headerParameters: auth };
		const body = { sendBody: true, contentType: 'multipart-form-data' };
		const parameters = { method: 'POST', url, ...headers, ...body, options };
		Object.assign(parameters, { bodyParameters: { parameters: bodyParameters } });
		return { ...base, type: 'n8n-nodes-base.httpRequest', typeVersion: 4.2, parameters };
	}
	// One item per execution in a burst: the node's default Concurrency.
	const options = row.kind === 'burst-node' ? {} : { concurrency: row.conc };
	const [operation, prompt] = [row.op, '={{ $json.prompt }}'];
	const parameters: Record<string, unknown> =
		operation === 'generate'
			? { operation, prompt, size: '1024x1024', options }
			: { operation, prompt, binaryPropertyName: 'data', options };
	if (row.kind === 'variants') {
		parameters.numberOfImages = row.images;
		parameters.imageOptions = row.seed === undefined ? {} : { seed: row.seed };
	}
	const credentials = { stepPlanApi: { id: cred.id, name: cred.name } };
	return { ...base, type: 'CUSTOM.stepFunImage', typeVersion: 1, parameters, credentials };
}

/**
 * The input items. Generate: one Code node with the prompts. Edit: the PNG as base64 → Convert to File
 * (stored once, like an upload) → a Code node fanning it out to N items that all reference the stored
 * file (N inline copies would all be in the run data, more than `n8n execute --rawOutput` can flush).
 */
function inputNodes(row: Row, inputB64: string): WorkflowNode[] {
	const items = (prompt: string) =>
		`Array.from({ length: ${row.n} }, (_, i) => ({ json: { prompt: '${prompt}' + (i + 1) }`;
	const first = `return ${items('A lighthouse on a cliff at dusk, variation ')} }));`;
	if (row.op === 'generate') return [code('Make Items', 200, first)];
	const options = { fileName: 'input.png', mimeType: 'image/png' };
	const toFile = { operation: 'toBinary', sourceProperty: 'b64', binaryPropertyName: 'data' };
	const fanOut = `const binary = $input.first().binary;\nreturn ${items('Make the sky purple, variation ')}, binary }));`;
	return [
		code('Image Base64', 200, `return [{ json: { b64: '${inputB64}' } }];`),
		node('To File', 'convertToFile', 1.1, 400, { ...toFile, options }),
		code('Make Items', 600, fanOut),
	];
}

/** The production path of a burst row's webhook. */
export const webhookPath = (row: Row) => `bench-${row.name}`;

/** The row's workflow; none for queue rows (they run in stacks of their own). */
export function workflowFor(row: Row, cred: Credential, simBaseUrl: string, inputB64: string) {
	if (row.kind === 'queue' || row.kind === 'queue-shared') return null;
	const settings = { executionOrder: 'v1' };
	const wf = { id: randomId(), name: `bench ${row.name}`, active: false, settings };
	const target = row.kind === 'none' ? null : targetNode(row, cred, simBaseUrl);
	if (row.kind === 'burst-node' || row.kind === 'burst-http') {
		// Webhook (multipart: the image in `data`, `prompt`) → Target → Respond: examples/webhook-edit.json.
		const body = '{{ $json.body.prompt }}';
		const prompt = JSON.stringify(target).replaceAll('{{ $json.prompt }}', body);
		const hook = { httpMethod: 'POST', path: webhookPath(row), responseMode: 'responseNode' };
		const webhookId = crypto.randomUUID();
		const binary = { respondWith: 'binary', responseDataSource: 'set', inputFieldName: 'data' };
		const respond = row.kind === 'burst-node' ? binary : { respondWith: 'firstIncomingItem' };
		const nodes = [
			{ ...node('Webhook', 'webhook', 2, 0, { ...hook, options: {} }), webhookId },
			{ ...JSON.parse(prompt), position: [260, 0] },
			node('Respond', 'respondToWebhook', 1.1, 520, { ...respond, options: {} }),
		];
		const connections = { Webhook: link(TARGET), [TARGET]: link('Respond') };
		return { ...wf, nodes, connections } as WorkflowInput;
	}
	const inputs = inputNodes(row, inputB64);
	const connections: Record<string, unknown> = {};
	inputs.forEach((n, i) => (connections[i ? inputs[i - 1].name : 'Start'] = link(n.name)));
	if (target) connections['Make Items'] = link(TARGET);
	const nodes = [node('Start', 'manualTrigger', 1, 0, {}), ...inputs, ...(target ? [target] : [])];
	return { ...wf, nodes, connections } as WorkflowInput;
}

/** Output items with a result: an image and no error, or (HTTP Request) a base64 image in the JSON. */
export function delivered(row: Row, items: Array<{ json: Record<string, any>; binary?: object }>) {
	const hasB64 = (it: (typeof items)[number]) => !!it.json?.data?.[0]?.b64_json;
	const hasImage = (it: (typeof items)[number]) =>
		it.binary && Object.keys(it.binary).length > 0 && !it.json?.error;
	return items.filter(row.kind === 'http' ? hasB64 : hasImage).length;
}
