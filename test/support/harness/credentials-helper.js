// @ts-check
'use strict';
/** Credential types + a CredentialsHelper that behaves like n8n's CLI one. */

const { Credentials } = require('n8n-core');
const { ICredentialsHelper, NodeHelpers, UnexpectedError } = require('n8n-workflow');

const {
	authenticateRequest,
	preAuthenticateExpirable,
	resolveCredentialValue,
} = require('./credential-authenticate');
const { applyCredentialDefaults } = require('./credential-defaults');

/** @typedef {import('n8n-workflow').ICredentialDataDecryptedObject} ICredentialDataDecryptedObject */
/** @typedef {import('n8n-workflow').ICredentialType} ICredentialType */
/** @typedef {import('n8n-workflow').ICredentialsExpressionResolveValues} ICredentialsExpressionResolveValues */
/** @typedef {import('n8n-workflow').IExecuteData} IExecuteData */
/** @typedef {import('n8n-workflow').IHttpRequestOptions} IHttpRequestOptions */
/** @typedef {import('n8n-workflow').INode} INode */
/** @typedef {import('n8n-workflow').INodeProperties} INodeProperties */
/** @typedef {import('n8n-workflow').IWorkflowDataProxyAdditionalKeys} IWorkflowDataProxyAdditionalKeys */
/** @typedef {import('n8n-workflow').IWorkflowExecuteAdditionalData} IWorkflowExecuteAdditionalData */
/** @typedef {import('n8n-workflow').WorkflowExecuteMode} WorkflowExecuteMode */
/** @typedef {import('n8n-workflow').Workflow} Workflow */

class HarnessCredentialsHelper extends ICredentialsHelper {
	/**
	 * @param {ICredentialType[]} [credentialTypes]
	 * @param {Record<string, ICredentialDataDecryptedObject>} [credentials] Data by credential type name.
	 */
	constructor(credentialTypes = [], credentials = {}) {
		super();
		/** @type {Map<string, ICredentialType>} */
		this.types = new Map();
		for (const type of credentialTypes) this.types.set(type.name, type);
		/** @type {Record<string, ICredentialDataDecryptedObject>} */
		this.credentialsByType = { ...credentials };
		/**
		 * Every request options object after `authenticate` ran (for assertions).
		 * @type {IHttpRequestOptions[]}
		 */
		this.authenticatedRequests = [];
	}

	/**
	 * @param {string} typeName
	 * @returns {ICredentialType}
	 */
	getType(typeName) {
		const type = this.types.get(typeName);
		if (!type) {
			throw new UnexpectedError(
				`Unknown credential type "${typeName}" (pass it in credentialTypes)`,
			);
		}
		return type;
	}

	/** @type {ICredentialsHelper['getParentTypes']} */
	getParentTypes(typeName) {
		const type = this.types.get(typeName);
		if (!type?.extends) return [];
		const parents = [];
		for (const parent of type.extends) {
			parents.push(parent, ...this.getParentTypes(parent));
		}
		return parents;
	}

	/** @type {ICredentialsHelper['isCredentialUsableByNode']} */
	isCredentialUsableByNode(credentialType, nodeType) {
		const type = this.types.get(credentialType);
		if (!type?.restrictToSupportedNodes) return true;
		const shortName = String(nodeType).split('.').pop();
		return (type.supportedNodes ?? []).some((name) => name === nodeType || name === shortName);
	}

	/**
	 * Same algorithm as packages/cli/src/credentials-helper.ts `authenticate`.
	 * @type {ICredentialsHelper['authenticate']}
	 */
	async authenticate(credentials, typeName, incomingRequestOptions, workflow, node) {
		const credentialType = this.getType(typeName);
		const result = await authenticateRequest(
			credentialType,
			credentials,
			incomingRequestOptions,
			workflow,
			node,
		);
		this.authenticatedRequests.push(result);
		return result;
	}

	/**
	 * @param {string} parameterValue
	 * @param {IWorkflowDataProxyAdditionalKeys} additionalKeys
	 * @param {Workflow} workflow
	 * @param {INode} node
	 * @returns {string}
	 */
	resolveValue(parameterValue, additionalKeys, workflow, node) {
		return resolveCredentialValue(parameterValue, additionalKeys, workflow, node);
	}

	/** @type {ICredentialsHelper['preAuthentication']} */
	async preAuthentication(helpers, credentials, typeName, node, credentialsExpired) {
		const credentialType = this.getType(typeName);
		const output = await preAuthenticateExpirable(
			credentialType,
			helpers,
			credentials,
			node,
			credentialsExpired,
		);
		if (output === undefined) return undefined;
		this.credentialsByType[typeName] = { ...this.credentialsByType[typeName], ...output };
		return Object.assign(credentials, output);
	}

	/** @type {ICredentialsHelper['runPreAuthentication']} */
	async runPreAuthentication(helpers, credentials, typeName) {
		const credentialType = this.getType(typeName);
		if (typeof credentialType.preAuthentication !== 'function') return undefined;
		const output = await credentialType.preAuthentication.call(helpers, credentials);
		return /** @type {ICredentialDataDecryptedObject | undefined} */ (output ?? undefined);
	}

	/** @type {ICredentialsHelper['getCredentials']} */
	async getCredentials(nodeCredentials, type) {
		const credentials = new Credentials(
			{ id: nodeCredentials.id, name: nodeCredentials.name },
			type,
		);
		await credentials.setData(this.credentialsByType[type] ?? {});
		return credentials;
	}

	/** @type {ICredentialsHelper['getDecrypted']} */
	async getDecrypted(
		additionalData,
		nodeCredentials,
		type,
		mode,
		executeData,
		raw,
		expressionResolveValues,
	) {
		const stored = this.credentialsByType[type];
		if (stored === undefined) {
			throw new UnexpectedError(`No credentials of type "${type}" were given to the harness`);
		}
		const data = structuredClone(stored);
		if (raw === true) return data;
		return this.applyDefaultsAndOverwrites(
			additionalData,
			data,
			type,
			mode,
			executeData,
			expressionResolveValues,
		);
	}

	/**
	 * Same steps as the CLI's applyDefaultsAndOverwrites (minus overwrites / external secrets).
	 * @param {IWorkflowExecuteAdditionalData} additionalData
	 * @param {ICredentialDataDecryptedObject} decryptedDataOriginal
	 * @param {string} type
	 * @param {WorkflowExecuteMode} mode
	 * @param {IExecuteData} [executeData]
	 * @param {ICredentialsExpressionResolveValues} [expressionResolveValues]
	 * @returns {Promise<ICredentialDataDecryptedObject>}
	 */
	async applyDefaultsAndOverwrites(
		additionalData,
		decryptedDataOriginal,
		type,
		mode,
		executeData,
		expressionResolveValues,
	) {
		const credentialsProperties = this.getCredentialsProperties(type);
		return applyCredentialDefaults(
			credentialsProperties,
			additionalData,
			decryptedDataOriginal,
			mode,
			executeData,
			expressionResolveValues,
		);
	}

	/** @type {ICredentialsHelper['updateCredentials']} */
	async updateCredentials(nodeCredentials, type, data) {
		this.credentialsByType[type] = { ...data };
	}

	/** @type {ICredentialsHelper['updateCredentialsOauthTokenData']} */
	async updateCredentialsOauthTokenData(nodeCredentials, type, data) {
		this.credentialsByType[type] = {
			...this.credentialsByType[type],
			oauthTokenData: data.oauthTokenData,
		};
	}

	/** @type {ICredentialsHelper['getCredentialsProperties']} */
	getCredentialsProperties(type) {
		const credentialTypeData = this.getType(type);
		if (credentialTypeData.extends === undefined) return credentialTypeData.properties;
		/** @type {INodeProperties[]} */
		const combined = [];
		for (const parent of credentialTypeData.extends) {
			NodeHelpers.mergeNodeProperties(combined, this.getCredentialsProperties(parent));
		}
		NodeHelpers.mergeNodeProperties(combined, credentialTypeData.properties);
		return combined;
	}
}

module.exports = { HarnessCredentialsHelper };
