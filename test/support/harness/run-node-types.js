// @ts-check
'use strict';
/** The option and result types of runNode() (types only). */

/** @typedef {import('n8n-workflow').IBinaryData} IBinaryData */
/** @typedef {import('n8n-workflow').IDataObject} IDataObject */
/** @typedef {import('n8n-workflow').IRun} IRun */
/** @typedef {import('./binary-modes').BinaryMode} BinaryMode */
/** @typedef {import('./credentials-helper').HarnessCredentialsHelper} HarnessCredentialsHelper */
/** @typedef {import('./node-types').HarnessInputItem} HarnessInputItem */

/**
 * @typedef {object} RunNodeOptions
 * @property {import('n8n-workflow').INodeType | import('n8n-workflow').IVersionedNodeType} node
 *   The node class instance, e.g. `new StepFunImage()` (programmatic nodes with execute()).
 * @property {import('n8n-workflow').ICredentialType[]} [credentialTypes]
 *   Credential classes the node (and its requests) use, e.g. `[new StepPlanApi()]`.
 * @property {Record<string, import('n8n-workflow').ICredentialDataDecryptedObject>} [credentials]
 *   Credential data keyed by credential type name; each becomes a credential set on the node.
 * @property {import('n8n-workflow').INodeParameters} [parameters]
 *   Node parameters as stored in a workflow (expressions like `={{ $json.prompt }}` allowed).
 * @property {HarnessInputItem[]} [items]
 *   Items emitted by the start node ("Harness Input"). Default: one empty item.
 * @property {BinaryMode} [binaryMode] n8n binary data mode for this run. Default: 'default'.
 * @property {boolean} [continueOnFail] Shortcut for node setting `onError: 'continueRegularOutput'`.
 * @property {'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput'} [onError]
 *   Raw node `onError` setting (overrides continueOnFail).
 * @property {number} [typeVersion] Node typeVersion. Default: the node's latest version.
 * @property {AbortSignal} [signal]
 *   Aborting this signal cancels the execution like n8n's "stop execution" (PCancelable.cancel()).
 * @property {string} [nodeName] Name of the node under test. Default: 'Node Under Test'.
 * @property {string} [nodeTypeName] Node type name. Default: `n8n-nodes-harness.<description.name>`.
 * @property {string} [timezone] Workflow timezone setting.
 */

/** @typedef {IBinaryData & { buffer: Buffer }} HarnessOutputBinary */

/**
 * @typedef {object} HarnessOutputItem
 * @property {IDataObject} json
 * @property {import('n8n-workflow').IPairedItemData | import('n8n-workflow').IPairedItemData[] | number} [pairedItem]
 * @property {Record<string, HarnessOutputBinary>} [binary]
 * @property {unknown} [error]
 */

/**
 * The original error instance the node threw (NodeApiError / NodeOperationError ...).
 * @typedef {(import('n8n-workflow').NodeApiError | import('n8n-workflow').NodeOperationError | Error) & {
 *   description?: string | null;
 *   httpCode?: string | null;
 *   [key: string]: unknown;
 * }} HarnessNodeError
 */

/**
 * @typedef {object} RunNodeResult
 * @property {HarnessOutputItem[]} items
 *   Items of the node's first output (binary buffers resolved through BinaryDataService).
 * @property {HarnessOutputItem[][]} outputs
 *   All outputs (e.g. [success, error] with onError 'continueErrorOutput').
 * @property {HarnessNodeError} [error]
 *   Set when the node failed the execution (not continueOnFail): the original error instance the
 *   node threw, with message/description/httpCode.
 * @property {IRun['status']} status Execution status as n8n reports it ('success' | 'error' | 'canceled' ...).
 * @property {boolean} canceled Whether `signal` aborted the execution.
 * @property {import('n8n-workflow').IHttpRequestOptions[]} authenticatedRequests
 *   Request options after the credential's authenticate ran (one entry per authenticated request).
 * @property {HarnessCredentialsHelper} credentialsHelper
 * @property {string} executionId
 * @property {IRun} raw The full IRun n8n-core produced.
 */

module.exports = {};
