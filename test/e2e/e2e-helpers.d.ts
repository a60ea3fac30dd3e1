// Types for e2e-helpers.js (the .js side may use Node built-ins; .ts tests may not).

export interface Workflow {
	id?: string;
	name: string;
	nodes: WorkflowNode[];
	connections: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }>;
	settings?: Record<string, unknown>;
	[key: string]: unknown;
}

export interface WorkflowNode {
	id?: string;
	name: string;
	type: string;
	typeVersion: number;
	position?: [number, number];
	parameters: Record<string, unknown>;
	credentials?: Record<string, { id: string; name: string }>;
	webhookId?: string;
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	[key: string]: unknown;
}

export interface DecodedBinary {
	mimeType?: string;
	fileName?: string;
	fileSize?: string | number;
	id?: string;
	/** Inline bytes (binary data mode `default`). */
	buffer?: Buffer;
}

export interface DecodedItem {
	json: Record<string, unknown>;
	binary: Record<string, DecodedBinary>;
}

export interface ExecuteResult {
	nodes: Record<string, DecodedItem[]>;
	lastNodeExecuted: string;
	ms?: number;
}

export interface RunError {
	message: string;
	description?: string;
	nodeName?: string;
	httpCode?: string;
}

export interface FailedRun {
	error?: RunError;
	nodes: Record<string, DecodedItem[] | { error: { message?: string; description?: string } }>;
}

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message?: string;
}

export interface HttpResult {
	status: number;
	headers: Record<string, string | string[] | undefined>;
	body: Buffer;
	text: string;
}

export interface N8nServer {
	url: string;
	port: number;
	readyMs: number;
	webhookUrl(path: string): string;
	request(
		method: string,
		path: string,
		body?: unknown,
		opts?: { headers?: Record<string, string>; timeoutMs?: number },
	): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: unknown; text: string; buffer: Buffer }>;
	logs(): string;
	stop(): Promise<void>;
}

export interface InstalledPackage {
	packageName: string;
	version: string;
	dir: string;
	nodeTypes: Array<{ name: string; displayName: string; version: number }>;
}

export interface E2eInstance {
	version: string;
	userFolder: string;
	importCredentials(
		creds: Array<{ id?: string; name?: string; type: string; data: Record<string, unknown> }>,
	): Promise<Array<{ id: string; name: string; type: string }>>;
	startServer(opts?: { port?: number }): Promise<N8nServer>;
	activateWorkflow(id: string): Promise<unknown>;
	testCredential(opts: { id: string; type?: string; name?: string; data?: Record<string, unknown> }): Promise<CredentialTestResult>;
	installCommunityPackageFromTarball(tgz: string, opts?: { register?: boolean }): Promise<InstalledPackage>;
	cleanup(): Promise<void>;
}

export const ROOT: string;
export const FIXTURES_DIR: string;
export const EXAMPLE_CREDENTIAL: { id: string; name: string };
export const PACKAGE_NODE_TYPE: string;
export const CUSTOM_NODE_TYPE: string;

/** n8n versions under test (E2E_N8N_VERSIONS, default 2.41.1,1.123.81). */
export function versions(): string[];
export function loadExample(
	name: 'webhook-edit' | 'marketing-batch' | 'form-generate',
	opts?: { nodeType?: string; credential?: { id: string; name: string }; id?: string },
): Workflow;
export function marketingWorkflow(
	opts: { nodeType?: string; credential?: { id: string; name: string }; id?: string },
	folder: string,
): Workflow;
export function formTwinWorkflow(
	opts: { nodeType?: string; credential?: { id: string; name: string }; id?: string },
	submission?: Record<string, string>,
): Workflow;
export function createInstance(
	version: string,
	opts?: { customExtension?: boolean; allowDirs?: string[]; env?: Record<string, string> },
): Promise<E2eInstance>;
/** `n8n execute --id=<id> --rawOutput` as a process, whatever the outcome. */
export function executeRaw(inst: E2eInstance, workflowId: string): Promise<{ code: number | null; stdout: string; stderr: string }>;
/** Files under `dir` (recursively) whose bytes contain `needle`. */
export function filesContaining(dir: string, needle: string): string[];
/** The self-signed test certificate (for NODE_EXTRA_CA_CERTS). */
export const TLS_CERT: string;
export function importWorkflows(inst: E2eInstance, workflows: Workflow[]): Promise<string[]>;
export function execute(inst: E2eInstance, workflowId: string): Promise<ExecuteResult>;
export function executeExpectingFailure(inst: E2eInstance, workflowId: string): Promise<FailedRun>;
export function packPackage(): string;
export function tarballFiles(tgz: string): string[];
export function postMultipart(
	url: string,
	parts: Array<{ name: string; value?: string; filename?: string; contentType?: string; data?: Buffer }>,
): Promise<HttpResult>;
export function sha256(buf: Buffer | Uint8Array): string;
export function fixturePath(name: string): string;
export function tempDir(prefix: string): string;
export function removeTempDirs(): void;
export function readFile(path: string): Buffer;
export function listDir(path: string): string[];
export function randomId(len?: number): string;
/** GET `url` (no session) until `done(text)` is true or the timeout passes; resolves the last answer. */
export function pollRequest(
	url: string,
	done: (text: string) => boolean,
	opts?: { timeoutMs?: number; intervalMs?: number },
): Promise<{ status: number; text: string }>;
