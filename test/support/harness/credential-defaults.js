// @ts-check
'use strict';
/**
 * Filling in decrypted credential data as n8n's CLI CredentialsHelper `applyDefaultsAndOverwrites`
 * does (minus overwrites / external secrets): defaults from the credential's properties, then
 * `={{ ... }}` expressions resolved.
 */

const { getAdditionalKeys } = require('n8n-core');
const { NodeHelpers, Workflow } = require('n8n-workflow');

const { mockNodeTypes } = require('./node-types');

/** @typedef {import('n8n-workflow').ICredentialDataDecryptedObject} ICredentialDataDecryptedObject */
/** @typedef {import('n8n-workflow').ICredentialsExpressionResolveValues} ICredentialsExpressionResolveValues */
/** @typedef {import('n8n-workflow').IExecuteData} IExecuteData */
/** @typedef {import('n8n-workflow').INode} INode */
/** @typedef {import('n8n-workflow').INodeParameters} INodeParameters */
/** @typedef {import('n8n-workflow').INodeProperties} INodeProperties */
/** @typedef {import('n8n-workflow').IWorkflowExecuteAdditionalData} IWorkflowExecuteAdditionalData */
/** @typedef {import('n8n-workflow').WorkflowExecuteMode} WorkflowExecuteMode */

/**
 * @param {INodeProperties[]} credentialsProperties The credential type's (merged) properties.
 * @param {IWorkflowExecuteAdditionalData} additionalData
 * @param {ICredentialDataDecryptedObject} decryptedDataOriginal
 * @param {WorkflowExecuteMode} mode
 * @param {IExecuteData} [executeData]
 * @param {ICredentialsExpressionResolveValues} [expressionResolveValues]
 * @returns {ICredentialDataDecryptedObject}
 */
function applyCredentialDefaults(
	credentialsProperties,
	additionalData,
	decryptedDataOriginal,
	mode,
	executeData,
	expressionResolveValues,
) {
	let decryptedData = /** @type {ICredentialDataDecryptedObject} */ (
		NodeHelpers.getNodeParameters(
			credentialsProperties,
			/** @type {INodeParameters} */ ({ ...decryptedDataOriginal }),
			true,
			false,
			null,
			null,
		)
	);
	if (decryptedDataOriginal.oauthTokenData !== undefined) {
		decryptedData.oauthTokenData = decryptedDataOriginal.oauthTokenData;
	}
	const additionalKeys = getAdditionalKeys(additionalData, mode, null, { isCredential: true });
	if (expressionResolveValues) {
		try {
			decryptedData = /** @type {ICredentialDataDecryptedObject} */ (
				expressionResolveValues.workflow.expression.getParameterValue(
					/** @type {INodeParameters} */ (decryptedData),
					expressionResolveValues.runExecutionData,
					expressionResolveValues.runIndex,
					expressionResolveValues.itemIndex,
					expressionResolveValues.node.name,
					expressionResolveValues.connectionInputData,
					mode,
					additionalKeys,
					executeData,
					false,
					decryptedData,
				)
			);
		} catch (e) {
			/** @type {Error} */ (e).message += ' [Error resolving credentials]';
			throw e;
		}
	} else {
		const mockNode = /** @type {INode} */ ({
			name: '',
			typeVersion: 1,
			type: 'mock',
			position: [0, 0],
			parameters: {},
		});
		const workflow = new Workflow({
			nodes: [mockNode],
			connections: {},
			active: false,
			nodeTypes: mockNodeTypes({}),
		});
		decryptedData = /** @type {ICredentialDataDecryptedObject} */ (
			workflow.expression.getComplexParameterValue(
				mockNode,
				/** @type {INodeParameters} */ (decryptedData),
				mode,
				additionalKeys,
				undefined,
				undefined,
				decryptedData,
			)
		);
	}
	return decryptedData;
}

module.exports = { applyCredentialDefaults };
