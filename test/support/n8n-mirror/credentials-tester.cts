// Mirrors n8n 2.41.1 packages/cli/src/services/credentials-tester.service.ts
// (dist/services/credentials-tester.service.js): CredentialsTester.testCredentials for a credential with
// a `test.request`, and runRequestTest: a temp node (n8n's NoOp) whose one property's `routing.request`
// is the test request, run through n8n-core's real RoutingNode; its error or answer judged by the rules.
import { ExecuteContext, ExecutionLifecycleHooks, RoutingNode } from 'n8n-core';
import { NodeConnectionTypes, Workflow } from 'n8n-workflow';
import type * as T from 'n8n-workflow';

import { createAdditionalData } from './additional-data.cjs';
import { HarnessCredentialsHelper, mockNodeTypes } from './credentials-helper.cjs';

export type CredentialTestResult = { status: 'OK' | 'Error'; message: string };

type RoutingError = Error & {
	cause?: { code?: string; response?: { status: number; statusText: string } };
};

function getPath(object: unknown, keyPath: string): unknown {
	let current = object;
	for (const part of keyPath.split('.')) current = (current as Record<string, unknown>)?.[part];
	return current;
}

type Data = T.ICredentialDataDecryptedObject;
export async function testCredential(credentialType: T.ICredentialType, data: Data) {
	const test = credentialType.test;
	const error = (message: string): CredentialTestResult => ({ status: 'Error', message });
	if (!test) return error('No testing function found for this credential.');
	const helper = new HarnessCredentialsHelper([credentialType], { [credentialType.name]: data });
	const base = { id: 'harnessCredTest', nodes: [], connections: {} } as unknown as T.IWorkflowBase;
	const hooks = new ExecutionLifecycleHooks('internal', 'harness-credential-test', base);
	const additionalData = createAdditionalData({ credentialsHelper: helper, hooks });
	const { name: type } = credentialType;
	const name = `${type} (harness)`;
	const credentials: T.ICredentialsDecrypted = { id: 'harness-credential', name, type, data };
	try {
		const copy = structuredClone(data);
		const args = [additionalData, copy, type, 'internal'] as const;
		credentials.data = await helper.applyDefaultsAndOverwrites(...args);
	} catch (caught) {
		return error(String((caught as Error).message));
	}
	const temp = { displayName: 'Temp', name: 'temp', type: 'string' as const, default: '' };
	const nodeType: T.INodeType = {
		description: {
			displayName: 'No Operation, do nothing',
			name: 'noOp',
			group: ['organization'],
			version: 1,
			description: 'No Operation',
			defaults: { name: 'No Operation, do nothing' },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			credentials: [{ name: credentialType.name, required: true }],
			properties: [{ ...temp, routing: { request: test.request } }],
		},
	};
	const ref = { [type]: { id: credentials.id, name } };
	const noOp = { id: 'temp', parameters: {}, name: 'Temp-Node', type: 'noOp', typeVersion: 1 };
	const node: T.INode = { ...noOp, position: [0, 0], credentials: ref };
	const nodeTypes = mockNodeTypes({ noOp: nodeType });
	const workflow = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	const runExecutionData = { resultData: { runData: {} } } as unknown as T.IRunExecutionData;
	type Input = [T.INodeExecutionData[], T.ITaskDataConnections];
	const [none, one]: Input = [[], { main: [[{ json: {} }]] }];
	const input = [runExecutionData, 0, none, one] as const;
	const executeData = { node, data: {}, source: null };
	const where = [workflow, node, additionalData, 'internal'] as const;
	const context = new ExecuteContext(...where, ...input, executeData, []);
	let response: T.INodeExecutionData[][] | null | undefined;
	try {
		response = await new RoutingNode(context, nodeType, credentials).runNode();
	} catch (caught) {
		const { cause, message } = caught as RoutingError;
		const answer = cause?.response;
		if (answer) {
			for (const rule of test.rules ?? []) {
				const matches = rule.type === 'responseCode' && answer.status === rule.properties.value;
				if (matches) return error(rule.properties.message);
			}
			const status = `Received HTTP status code: ${answer.status}`;
			if (answer.status < 199 || answer.status > 299) return error(answer.statusText || status);
		} else if (cause?.code) {
			return error(cause.code);
		}
		return error(String(message));
	}
	for (const rule of test.rules ?? []) {
		if (rule.type !== 'responseSuccessBody') continue;
		const found = getPath(response?.[0][0].json, rule.properties.key);
		if (found === rule.properties.value) return error(rule.properties.message);
	}
	return { status: 'OK', message: 'Connection successful!' } as CredentialTestResult;
}
