// Mirrors n8n 2.41.1 packages/cli/src/credentials-helper.ts (dist/credentials-helper.js):
// CredentialsHelper.authenticate, preAuthentication, resolveValue, getCredentialsProperties and
// applyDefaultsAndOverwrites, minus overwrites, external secrets and OAuth's pinned fields. The data
// comes from memory (one credential per type) instead of n8n's database.
import { Credentials, getAdditionalKeys } from 'n8n-core';
import { ICredentialsHelper, NodeHelpers, UnexpectedError, isExpression } from 'n8n-workflow';
import { Workflow } from 'n8n-workflow';
import type * as T from 'n8n-workflow';

type Data = T.ICredentialDataDecryptedObject;
type Helper = ICredentialsHelper;
type Keys = T.IWorkflowDataProxyAdditionalKeys;
type Args<K extends keyof Helper> = Helper[K] extends (...a: infer A) => unknown ? A : never;
type Defaults = [T.IWorkflowExecuteAdditionalData, Data, string, T.WorkflowExecuteMode];
type Context = [T.IExecuteData?, T.ICredentialsExpressionResolveValues?];

/** n8n's registry of node types over a plain map, with the `mock` type credential expressions use. */
export function mockNodeTypes(types: Record<string, T.INodeType>): T.INodeTypes {
	const mock = { description: { properties: [] } } as unknown as T.INodeType;
	const byName: Record<string, T.INodeType> = { mock, ...types };
	return {
		getKnownTypes: () => ({}),
		getByName: (name) => byName[name],
		getByNameAndVersion: (name, version) => {
			if (!byName[name]) throw new UnexpectedError(`Unknown node type "${name}"`);
			return NodeHelpers.getVersionedNodeType(byName[name], version);
		},
	};
}

const mock = { id: 'mock', type: 'mock', typeVersion: 1, parameters: {} };
const mockNode: T.INode = { ...mock, name: '', position: [0, 0] };

export class HarnessCredentialsHelper extends ICredentialsHelper {
	private readonly types = new Map<string, T.ICredentialType>();
	/** Every request's options after `authenticate` ran (for assertions). */
	readonly authenticatedRequests: T.IHttpRequestOptions[] = [];

	/** `data`: decrypted credential data by credential type name. */
	private readonly data: Record<string, Data>;
	constructor(types: T.ICredentialType[], data: Record<string, Data> = {}) {
		super();
		this.data = data;
		for (const type of types) this.types.set(type.name, type);
	}

	private type(name: string): T.ICredentialType {
		const type = this.types.get(name);
		if (type) return type;
		throw new UnexpectedError(`Unknown credential type "${name}" (pass it in credentialTypes)`);
	}

	getParentTypes(name: string): string[] {
		return (this.types.get(name)?.extends ?? []).flatMap((p) => [p, ...this.getParentTypes(p)]);
	}

	isCredentialUsableByNode(): boolean {
		return true;
	}

	async authenticate(...[credentials, typeName, incoming, workflow, node]: Args<'authenticate'>) {
		const options = incoming as T.IHttpRequestOptions;
		const { authenticate } = this.type(typeName);
		let result = options;
		if (typeof authenticate === 'function') result = await authenticate(credentials, options);
		else if (authenticate?.type === 'generic') {
			if (!workflow || !node) {
				const what = 'Workflow and node are required for declarative credential authentication';
				throw new UnexpectedError(what);
			}
			options.headers ??= {};
			const target = options as unknown as Record<string, Record<string, unknown>>;
			const keys = { $credentials: credentials };
			const resolve = (value: string) => this.resolveValue(value, keys, workflow, node);
			for (const [outer, values] of Object.entries(authenticate.properties)) {
				for (const [key, value] of Object.entries(values as Record<string, string>)) {
					target[outer] = { ...target[outer], [resolve(key)]: resolve(value) };
				}
			}
		}
		this.authenticatedRequests.push(result);
		return result;
	}

	async preAuthentication(...[helpers, credentials, name, node, old]: Args<'preAuthentication'>) {
		const type = this.type(name);
		const expirable = type.properties.find((p) => p.type === 'hidden' && p.typeOptions?.expirable);
		if (expirable === undefined || typeof type.preAuthentication !== 'function') return undefined;
		const testing = node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';
		if (credentials[expirable.name] !== '' && !old && !testing) return undefined;
		const output = (await type.preAuthentication.call(helpers, credentials)) as Data;
		if (output[expirable.name] === undefined) return undefined;
		this.data[name] = { ...this.data[name], ...output };
		return Object.assign(credentials, output);
	}

	async runPreAuthentication(...[helpers, credentials, name]: Args<'runPreAuthentication'>) {
		const type = this.type(name);
		if (typeof type.preAuthentication !== 'function') return undefined;
		return ((await type.preAuthentication.call(helpers, credentials)) as Data) ?? undefined;
	}

	resolveValue(value: string, keys: Keys, wf: Workflow, node: T.INode) {
		if (!isExpression(value)) return value;
		const args = ['internal', keys, undefined, ''] as const;
		const resolved = wf.expression.getSimpleParameterValue(node, value, ...args);
		return resolved ? resolved.toString() : '';
	}

	async getCredentials(...[{ id, name }, type]: Args<'getCredentials'>) {
		const credentials = new Credentials({ id, name }, type);
		await credentials.setData(this.data[type] ?? {});
		return credentials;
	}

	async getDecrypted(...[extra, , type, mode, execute, raw, resolve]: Args<'getDecrypted'>) {
		const data = this.data[type];
		if (!data) throw new UnexpectedError(`No credentials of type "${type}" given to the harness`);
		if (raw === true) return structuredClone(data);
		const copy = structuredClone(data);
		return await this.applyDefaultsAndOverwrites(extra, copy, type, mode, execute, resolve);
	}

	/** Defaults from the credential's properties, then `={{ ... }}` expressions resolved. */
	async applyDefaultsAndOverwrites(
		...[extra, original, type, mode, execute, resolve]: [...Defaults, ...Context]
	): Promise<Data> {
		const properties = this.getCredentialsProperties(type);
		const defaults = [{ ...original } as T.INodeParameters, true, false, null, null] as const;
		let data = NodeHelpers.getNodeParameters(properties, ...defaults) as Data;
		if (original.oauthTokenData !== undefined) data.oauthTokenData = original.oauthTokenData;
		const keys = getAdditionalKeys(extra, mode, null, { isCredential: true });
		const value = data as T.INodeParameters;
		if (!resolve) {
			const nodeTypes = mockNodeTypes({});
			const wf = new Workflow({ nodes: [mockNode], connections: {}, active: false, nodeTypes });
			const { expression } = wf;
			const args = [keys, undefined, undefined, data] as const;
			return expression.getComplexParameterValue(mockNode, value, mode, ...args) as Data;
		}
		try {
			const { workflow, runExecutionData: run, runIndex, itemIndex, node } = resolve;
			const where = [run, runIndex, itemIndex, node.name, resolve.connectionInputData] as const;
			const args = [mode, keys, execute, false, data] as const;
			data = workflow.expression.getParameterValue(value, ...where, ...args) as Data;
		} catch (error) {
			(error as Error).message += ' [Error resolving credentials]';
			throw error;
		}
		return data;
	}

	async updateCredentials(...[, type, data]: Args<'updateCredentials'>) {
		this.data[type] = { ...data };
	}

	async updateCredentialsOauthTokenData(
		...[, type, data]: Args<'updateCredentialsOauthTokenData'>
	) {
		this.data[type] = { ...this.data[type], oauthTokenData: data.oauthTokenData };
	}

	getCredentialsProperties(type: string): T.INodeProperties[] {
		const { extends: parents = [], properties } = this.type(type);
		const combined: T.INodeProperties[] = [];
		for (const parent of parents) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, properties);
		return combined;
	}
}
