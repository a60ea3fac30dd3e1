// @ts-check
'use strict';
// The types the end-to-end suites share (JSDoc only; re-exported by ../e2e-helpers.js).

/**
 * A workflow as the suites write it (and n8n imports it).
 * @typedef {{ id?: string; name: string; nodes: WorkflowNode[];
 *   connections: Record<string, { main: Array<Array<{ node: string; type: string; index: number }>> }>;
 *   settings?: Record<string, unknown>; [key: string]: unknown }} Workflow
 */

/**
 * @typedef {{ id?: string; name: string; type: string; typeVersion: number; position?: [number, number];
 *   parameters: Record<string, unknown>; credentials?: Record<string, { id: string; name: string }>;
 *   webhookId?: string; onError?: 'stopWorkflow' | 'continueRegularOutput' | 'continueErrorOutput';
 *   [key: string]: unknown }} WorkflowNode
 */

/**
 * A binary property of an output item; `buffer` holds the inline bytes (binary data mode `default`).
 * @typedef {{ mimeType?: string; fileName?: string; fileSize?: string | number; id?: string;
 *   buffer?: Buffer }} DecodedBinary
 */

/** @typedef {{ json: Record<string, unknown>; binary: Record<string, DecodedBinary> }} DecodedItem */

/**
 * @typedef {{ nodes: Record<string, DecodedItem[]>; lastNodeExecuted: string | undefined;
 *   ms?: number }} ExecuteResult
 */

/** @typedef {{ message: string; description?: string; nodeName?: string; httpCode?: string }} RunError */

/**
 * A failed run: the execution's error, and per node its items or its error.
 * @typedef {{ error?: RunError; nodes: Record<string, DecodedItem[] | { error: import('../../support/n8n').N8nError }> }} FailedRun
 */

/** @typedef {{ status: number; headers: import('node:http').IncomingHttpHeaders; body: Buffer; text: string }} HttpResult */

/**
 * @typedef {{ name: string; value?: string; filename?: string; contentType?: string;
 *   data?: Buffer }} MultipartPart
 */

/** @typedef {import('../../support/n8n').N8nInstance} E2eInstance */
/** @typedef {import('../../support/n8n').N8nServer} N8nServer */
/** @typedef {import('../../support/n8n').InstalledPackage} InstalledPackage */
/** @typedef {import('../../support/n8n').CredentialTestResult} CredentialTestResult */
/** @typedef {import('../../support/n8n').N8nItem} N8nItem */

/** @typedef {'webhook-edit' | 'marketing-batch' | 'form-generate' | 'agent-image-tools'} ExampleName */
/** @typedef {{ nodeType?: string; credential?: { id: string; name: string }; id?: string }} ExampleOptions */

module.exports = {};
