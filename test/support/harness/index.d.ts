import type {
	ICredentialDataDecryptedObject,
	ICredentialType,
	ICredentialsHelper,
	IBinaryData,
	IDataObject,
	IHttpRequestOptions,
	INodeParameters,
	INodeType,
	IPairedItemData,
	IRun,
	IVersionedNodeType,
	NodeApiError,
	NodeOperationError,
} from 'n8n-workflow';

export type BinaryMode = 'default' | 'filesystem';

export interface HarnessInputBinary {
	/** File content; stored through n8n-core's real prepareBinaryData / BinaryDataService. */
	data: Buffer | Uint8Array | string;
	mimeType?: string;
	fileName?: string;
}

export interface HarnessInputItem {
	json: IDataObject;
	binary?: Record<string, HarnessInputBinary>;
}

export interface RunNodeOptions {
	/** The node class instance, e.g. `new StepFunImage()` (programmatic nodes with execute()). */
	node: INodeType | IVersionedNodeType;
	/** Credential classes the node (and its requests) use, e.g. `[new StepPlanApi()]`. */
	credentialTypes?: ICredentialType[];
	/** Credential data keyed by credential type name; each becomes a credential set on the node. */
	credentials?: Record<string, ICredentialDataDecryptedObject>;
	/** Node parameters as stored in a workflow (expressions like `={{ $json.prompt }}` allowed). */
	parameters?: INodeParameters;
	/** Items emitted by the start node ("Harness Input"). Default: one empty item. */
	items?: HarnessInputItem[];
	/** n8n binary data mode for this run. Default: 'default' (inline base64). */
	binaryMode?: BinaryMode;
	/** Shortcut for node setting `onError: 'continueRegularOutput'`. */
	continueOnFail?: boolean;
	/** Raw node `onError` setting (overrides continueOnFail). */
	onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
	/** Node typeVersion. Default: the node's latest version. */
	typeVersion?: number;
	/** Aborting this signal cancels the execution like n8n's "stop execution" (PCancelable.cancel()). */
	signal?: AbortSignal;
	/** Name of the node under test in the workflow. Default: 'Node Under Test'. */
	nodeName?: string;
	/** Node type name. Default: `n8n-nodes-harness.<description.name>`. */
	nodeTypeName?: string;
	/** Workflow timezone setting. */
	timezone?: string;
}

export type HarnessOutputBinary = IBinaryData & { buffer: Buffer };

export interface HarnessOutputItem {
	json: IDataObject;
	pairedItem?: IPairedItemData | IPairedItemData[] | number;
	binary?: Record<string, HarnessOutputBinary>;
	error?: unknown;
}

export interface RunNodeResult {
	/** Items of the node's first output (binary buffers resolved through BinaryDataService). */
	items: HarnessOutputItem[];
	/** All outputs (e.g. [success, error] with onError 'continueErrorOutput'). */
	outputs: HarnessOutputItem[][];
	/**
	 * Set when the node failed the execution (not continueOnFail): the original error instance the
	 * node threw (NodeApiError / NodeOperationError ...), with message/description/httpCode.
	 */
	error?: (NodeApiError | NodeOperationError | Error) & {
		description?: string | null;
		httpCode?: string | null;
		[key: string]: unknown;
	};
	/** Execution status as n8n reports it ('success' | 'error' | 'canceled' ...). */
	status: IRun['status'];
	/** Whether `signal` aborted the execution. */
	canceled: boolean;
	/** Request options after the credential's authenticate ran (one entry per authenticated request). */
	authenticatedRequests: IHttpRequestOptions[];
	credentialsHelper: HarnessCredentialsHelper;
	executionId: string;
	/** The full IRun n8n-core produced. */
	raw: IRun;
}

export function runNode(options: RunNodeOptions): Promise<RunNodeResult>;

export interface TestCredentialOptions {
	credentialType: ICredentialType;
	data: ICredentialDataDecryptedObject;
	/** Parent credential types, if `credentialType.extends` is used. */
	credentialTypes?: ICredentialType[];
}

export interface CredentialTestResult {
	status: 'OK' | 'Error';
	message: string;
}

/** Runs the credential's `test.request` like n8n's CredentialsTester (real RoutingNode + HTTP). */
export function testCredential(options: TestCredentialOptions): Promise<CredentialTestResult>;

export interface RecordedRequest {
	method: string;
	url: string;
	path: string;
	headers: Record<string, string | string[] | undefined>;
	body: Buffer;
}

/** Minimal views of node's http request/response objects, so .ts tests need no 'http' import. */
export interface TestServerRequest {
	method?: string;
	url?: string;
	headers: Record<string, string | string[] | undefined>;
}
export interface TestServerResponse {
	statusCode: number;
	headersSent: boolean;
	setHeader(name: string, value: string | number | readonly string[]): unknown;
	writeHead(status: number, headers?: Record<string, string | number>): unknown;
	end(body?: string | Uint8Array): unknown;
	destroy(): unknown;
	on(event: 'close', listener: () => void): unknown;
}

export type TestServerHandler = (
	req: TestServerRequest,
	res: TestServerResponse,
	body: Buffer,
	record: RecordedRequest,
) => void | Promise<void>;

export interface TestServer {
	/** e.g. http://127.0.0.1:34567 */
	url: string;
	port: number;
	requests: RecordedRequest[];
	setHandler(handler: TestServerHandler): void;
	close(): Promise<void>;
}

/** Starts an HTTP server on 127.0.0.1 (random port). Default handler answers 200 `{ ok: true }`. */
export function startTestServer(handler?: TestServerHandler): Promise<TestServer>;
export function sendJson(res: TestServerResponse, status: number, body: unknown): void;
export function delay(ms: number): Promise<void>;
export function fileExists(filePath: string): boolean;
/** On-disk path of a filesystem-mode binary id. */
export function getBinaryFilePath(binaryDataId: string): string;
/** Root folder of the filesystem-mode binary store (after a filesystem run). */
export function getBinaryStoragePath(mode?: BinaryMode): string | undefined;
/** Makes n8n-core's real BinaryDataService for the mode the active one (runNode does this). */
export function useBinaryDataMode(mode: BinaryMode): Promise<unknown>;
/** Removes the harness temp dirs (registered with jest afterAll automatically). */
export function cleanup(): void;
/** Errors n8n-core passed to its ErrorReporter. */
export const reportedErrors: Array<{ error: unknown; options: unknown }>;

export declare class HarnessCredentialsHelper extends ICredentialsHelper {
	constructor(credentialTypes?: ICredentialType[], credentials?: Record<string, ICredentialDataDecryptedObject>);
	authenticatedRequests: IHttpRequestOptions[];
	credentialsByType: Record<string, ICredentialDataDecryptedObject>;
	getParentTypes(name: string): string[];
	isCredentialUsableByNode(credentialType: string, nodeType: string): boolean;
	authenticate: ICredentialsHelper['authenticate'];
	preAuthentication: ICredentialsHelper['preAuthentication'];
	runPreAuthentication: ICredentialsHelper['runPreAuthentication'];
	getCredentials: ICredentialsHelper['getCredentials'];
	getDecrypted: ICredentialsHelper['getDecrypted'];
	updateCredentials: ICredentialsHelper['updateCredentials'];
	updateCredentialsOauthTokenData: ICredentialsHelper['updateCredentialsOauthTokenData'];
	getCredentialsProperties: ICredentialsHelper['getCredentialsProperties'];
}

export const INPUT_NODE_NAME: string;
export const DEFAULT_NODE_NAME: string;
