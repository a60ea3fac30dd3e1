// Mirrors n8n 2.41.1 packages/cli/src/workflow-execute-additional-data.ts (dist/
// workflow-execute-additional-data.js) getBase: the IWorkflowExecuteAdditionalData n8n-core's execution
// code reads (URLs, ids, credentials), with n8n's default URLs on localhost:5678 and nothing that needs
// n8n's server (sub-workflows, task runners, variables, external secrets).
import type { ExecutionLifecycleHooks } from 'n8n-core';
import {
	UnexpectedError,
	type ICredentialsHelper,
	type IWorkflowExecuteAdditionalData,
} from 'n8n-workflow';

export function createAdditionalData(options: {
	credentialsHelper: ICredentialsHelper;
	hooks: ExecutionLifecycleHooks;
	executionId?: string;
	workflowId?: string;
}): IWorkflowExecuteAdditionalData {
	const notAvailable = (what: string) => async () => {
		throw new UnexpectedError(`${what} is not available in the n8n test harness`);
	};
	const base = 'http://localhost:5678';
	const additionalData: Omit<IWorkflowExecuteAdditionalData, 'externalSecretsProxy'> = {
		...options,
		userId: 'harness-user',
		projectId: 'harness-project',
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}/rest`,
		instanceBaseUrl: `${base}/`,
		formBaseUrl: `${base}/form`,
		formWaitingBaseUrl: `${base}/form-waiting`,
		formTestBaseUrl: `${base}/form-test`,
		webhookBaseUrl: `${base}/webhook`,
		webhookWaitingBaseUrl: `${base}/webhook-waiting`,
		webhookTestBaseUrl: `${base}/webhook-test`,
		mcpBaseUrl: `${base}/mcp`,
		mcpTestBaseUrl: `${base}/mcp-test`,
		variables: {},
		currentNodeParameters: undefined,
		executeWorkflow: notAvailable('executeWorkflow'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: notAvailable('startRunnerTask (Code node task runner)'),
		logAiEvent() {},
		setExecutionStatus() {},
		sendDataToUI() {},
	};
	// n8n-core reads externalSecretsProxy only to resolve `$secrets`, which no harness run uses.
	return additionalData as IWorkflowExecuteAdditionalData;
}
