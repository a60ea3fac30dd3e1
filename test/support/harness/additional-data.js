// @ts-check
'use strict';
/** The IWorkflowExecuteAdditionalData n8n-core's execution code reads (URLs, ids, credentials). */

const { UnexpectedError } = require('n8n-workflow');

/** @typedef {import('n8n-workflow').IWorkflowExecuteAdditionalData} IWorkflowExecuteAdditionalData */

/**
 * @typedef {object} AdditionalDataOptions
 * @property {import('n8n-workflow').ICredentialsHelper} credentialsHelper
 * @property {import('n8n-core').ExecutionLifecycleHooks} hooks
 * @property {string | undefined} executionId
 * @property {string | undefined} workflowId
 */

/**
 * @param {AdditionalDataOptions} options
 * @returns {IWorkflowExecuteAdditionalData}
 */
function createAdditionalData({ credentialsHelper, hooks, executionId, workflowId }) {
	/**
	 * @param {string} what
	 * @returns {() => Promise<never>}
	 */
	const notAvailable = (what) => async () => {
		throw new UnexpectedError(`${what} is not available in the n8n test harness`);
	};
	/** @type {Omit<IWorkflowExecuteAdditionalData, 'externalSecretsProxy'>} */
	const additionalData = {
		credentialsHelper,
		hooks,
		executionId,
		workflowId,
		userId: 'harness-user',
		projectId: 'harness-project',
		currentNodeExecutionIndex: 0,
		restApiUrl: 'http://localhost:5678/rest',
		instanceBaseUrl: 'http://localhost:5678/',
		formBaseUrl: 'http://localhost:5678/form',
		formWaitingBaseUrl: 'http://localhost:5678/form-waiting',
		formTestBaseUrl: 'http://localhost:5678/form-test',
		webhookBaseUrl: 'http://localhost:5678/webhook',
		webhookWaitingBaseUrl: 'http://localhost:5678/webhook-waiting',
		webhookTestBaseUrl: 'http://localhost:5678/webhook-test',
		mcpBaseUrl: 'http://localhost:5678/mcp',
		mcpTestBaseUrl: 'http://localhost:5678/mcp-test',
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
	// n8n-core reads externalSecretsProxy only to resolve `$secrets` expressions, which no harness
	// credential or parameter uses.
	return /** @type {IWorkflowExecuteAdditionalData} */ (additionalData);
}

module.exports = { createAdditionalData };
