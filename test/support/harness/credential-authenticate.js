// @ts-check
'use strict';
/**
 * A credential type's `authenticate` and `preAuthentication` steps, as n8n's CLI CredentialsHelper
 * runs them (packages/cli/src/credentials-helper.ts `authenticate`, `resolveValue`,
 * `preAuthentication`).
 */

const { UnexpectedError, isExpression } = require('n8n-workflow');

/** @typedef {import('n8n-workflow').ICredentialDataDecryptedObject} ICredentialDataDecryptedObject */
/** @typedef {import('n8n-workflow').ICredentialType} ICredentialType */
/** @typedef {import('n8n-workflow').IHttpRequestHelper} IHttpRequestHelper */
/** @typedef {import('n8n-workflow').IHttpRequestOptions} IHttpRequestOptions */
/** @typedef {import('n8n-workflow').INode} INode */
/** @typedef {import('n8n-workflow').IRequestOptionsSimplified} IRequestOptionsSimplified */
/** @typedef {import('n8n-workflow').IWorkflowDataProxyAdditionalKeys} IWorkflowDataProxyAdditionalKeys */
/** @typedef {import('n8n-workflow').Workflow} Workflow */

/**
 * Resolves a `={{ ... }}` value (e.g. `=Bearer {{$credentials.apiKey}}`) with n8n-workflow's
 * expression machinery; other values pass through.
 * @param {string} parameterValue
 * @param {IWorkflowDataProxyAdditionalKeys} additionalKeys
 * @param {Workflow} workflow
 * @param {INode} node
 * @returns {string}
 */
function resolveCredentialValue(parameterValue, additionalKeys, workflow, node) {
	if (!isExpression(parameterValue)) return parameterValue;
	const returnValue = workflow.expression.getSimpleParameterValue(
		node,
		parameterValue,
		'internal',
		additionalKeys,
		undefined,
		'',
	);
	if (!returnValue) return '';
	return returnValue.toString();
}

/**
 * Returns the request options after the credential type's `authenticate` (a function, or a generic
 * declarative one whose values may be expressions over `$credentials`) ran on them.
 * @param {ICredentialType} credentialType
 * @param {ICredentialDataDecryptedObject} credentials
 * @param {IHttpRequestOptions | IRequestOptionsSimplified} incomingRequestOptions
 * @param {Workflow} [workflow]
 * @param {INode} [node]
 * @returns {Promise<IHttpRequestOptions>}
 */
async function authenticateRequest(
	credentialType,
	credentials,
	incomingRequestOptions,
	workflow,
	node,
) {
	const requestOptions = /** @type {IHttpRequestOptions} */ (incomingRequestOptions);
	const { authenticate } = credentialType;
	if (typeof authenticate === 'function') {
		return await authenticate(credentials, requestOptions);
	}
	if (authenticate && typeof authenticate === 'object') {
		if (!workflow || !node) {
			throw new UnexpectedError(
				'Workflow and node are required for declarative credential authentication',
			);
		}
		if (requestOptions.headers === undefined) requestOptions.headers = {};
		if (authenticate.type === 'generic') {
			/** @type {Record<string, Record<string, unknown>>} */
			const target = /** @type {never} */ (requestOptions);
			for (const [outerKey, outerValue] of Object.entries(authenticate.properties)) {
				for (const [key, value] of Object.entries(outerValue)) {
					const keyResolved = resolveCredentialValue(
						key,
						{ $credentials: credentials },
						workflow,
						node,
					);
					const valueResolved = resolveCredentialValue(
						value,
						{ $credentials: credentials },
						workflow,
						node,
					);
					if (!target[outerKey]) target[outerKey] = {};
					target[outerKey][keyResolved] = valueResolved;
				}
			}
		}
	}
	return requestOptions;
}

/**
 * The CLI's `preAuthentication` decision: for a credential type with an expirable hidden property
 * and a `preAuthentication` function, runs it when the property is empty, the credentials expired or
 * a credential test runs, and returns its output if it set that property (undefined otherwise).
 * @param {ICredentialType} credentialType
 * @param {IHttpRequestHelper} helpers
 * @param {ICredentialDataDecryptedObject} credentials
 * @param {INode} node
 * @param {boolean} credentialsExpired
 * @returns {Promise<ICredentialDataDecryptedObject | undefined>}
 */
async function preAuthenticateExpirable(
	credentialType,
	helpers,
	credentials,
	node,
	credentialsExpired,
) {
	const expirableProperty = credentialType.properties.find(
		(property) => property.type === 'hidden' && property?.typeOptions?.expirable === true,
	);
	if (expirableProperty?.name === undefined) return undefined;
	const isTestingCredentials =
		node?.parameters?.temp === '' && node?.type === 'n8n-nodes-base.noOp';
	if (typeof credentialType.preAuthentication === 'function') {
		if (credentials[expirableProperty.name] === '' || credentialsExpired || isTestingCredentials) {
			const output = await credentialType.preAuthentication.call(helpers, credentials);
			if (output[expirableProperty.name] === undefined) return undefined;
			return /** @type {ICredentialDataDecryptedObject} */ (output);
		}
	}
	return undefined;
}

module.exports = { authenticateRequest, preAuthenticateExpirable, resolveCredentialValue };
