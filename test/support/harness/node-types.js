// @ts-check
'use strict';
/**
 * Node types for the harness workflows: an INodeTypes registry, the start node that emits the items
 * given to runNode(), and the wrapper around the node under test.
 */

const {
	NodeConnectionTypes,
	NodeHelpers,
	UnexpectedError,
	isNodeClassInstance,
} = require('n8n-workflow');

const { INPUT_NODE_NAME } = require('./constants');

/** @typedef {import('n8n-workflow').INodeType} INodeType */
/** @typedef {import('n8n-workflow').IVersionedNodeType} IVersionedNodeType */
/** @typedef {import('n8n-workflow').INodeExecutionData} INodeExecutionData */
/** @typedef {import('n8n-workflow').IExecuteFunctions} IExecuteFunctions */

/**
 * An item for the start node; its binaries are stored through n8n-core's real prepareBinaryData.
 * @typedef {object} HarnessInputBinary
 * @property {Buffer | Uint8Array | string} data File content.
 * @property {string} [mimeType]
 * @property {string} [fileName]
 */

/**
 * @typedef {object} HarnessInputItem
 * @property {import('n8n-workflow').IDataObject} json
 * @property {Record<string, HarnessInputBinary>} [binary]
 */

/**
 * What the harness learns about the node under test while it runs.
 * @typedef {object} NodeTracker
 * @property {number | undefined} typeVersion The version to run.
 * @property {unknown} error The original error instance execute() threw, if any.
 * @property {Promise<void> | undefined} settled Resolves once execute() has settled.
 */

/** @type {INodeType} */
const MOCK_NODE_TYPE = /** @type {INodeType} */ (
	/** @type {unknown} */ ({ description: { properties: [] } })
);

/**
 * @param {Record<string, INodeType | IVersionedNodeType>} types
 * @returns {import('n8n-workflow').INodeTypes}
 */
function mockNodeTypes(types) {
	/** @type {Record<string, INodeType | IVersionedNodeType>} */
	const byName = { mock: MOCK_NODE_TYPE, ...types };
	return {
		getKnownTypes() {
			return {};
		},
		getByName(nodeType) {
			return byName[nodeType];
		},
		getByNameAndVersion(nodeType, version) {
			const type = byName[nodeType];
			if (!type) throw new UnexpectedError(`Unknown node type "${nodeType}"`);
			return NodeHelpers.getVersionedNodeType(type, version);
		},
	};
}

/**
 * The start node: emits the given items, storing their binaries with the real prepareBinaryData.
 * @param {HarnessInputItem[]} items
 * @returns {INodeType}
 */
function createInputNodeType(items) {
	return {
		description: {
			displayName: 'Harness Input',
			name: 'harnessInput',
			group: ['input'],
			version: 1,
			description: 'Emits the items given to runNode()',
			defaults: { name: INPUT_NODE_NAME },
			inputs: [NodeConnectionTypes.Main],
			outputs: [NodeConnectionTypes.Main],
			properties: [],
		},
		/** @this {IExecuteFunctions} */
		async execute() {
			const out = [];
			for (let i = 0; i < items.length; i++) {
				const item = items[i];
				/** @type {INodeExecutionData} */
				const outItem = { json: structuredClone(item.json ?? {}), pairedItem: { item: 0 } };
				if (item.binary) {
					outItem.binary = {};
					for (const [key, value] of Object.entries(item.binary)) {
						const buffer = Buffer.isBuffer(value.data) ? value.data : Buffer.from(value.data);
						outItem.binary[key] = await this.helpers.prepareBinaryData(
							buffer,
							value.fileName,
							value.mimeType,
						);
					}
				}
				out.push(outItem);
			}
			return [out];
		},
	};
}

/**
 * Wraps the node under test so the harness sees the original error instance it throws (n8n stores
 * only a plain-object copy in the run data) and knows when its execute() has settled.
 * @param {INodeType | IVersionedNodeType} nodeType
 * @param {NodeTracker} tracker
 * @returns {INodeType}
 */
function wrapNodeType(nodeType, tracker) {
	const versioned = NodeHelpers.getVersionedNodeType(nodeType, tracker.typeVersion);
	const original =
		/** @type {((this: unknown, ...args: unknown[]) => Promise<unknown>) | undefined} */ (
			versioned.execute
		);
	if (typeof original !== 'function') {
		throw new UnexpectedError(
			'runNode() supports programmatic nodes (with an execute() method) only',
		);
	}
	const classStyle = isNodeClassInstance(versioned);
	/** @type {Record<string, unknown>} */
	const wrapper = Object.create(null);
	const source = /** @type {Record<string, unknown>} */ (/** @type {unknown} */ (versioned));
	for (const key of Object.keys(versioned)) wrapper[key] = source[key];
	wrapper.description = versioned.description;
	wrapper.methods = versioned.methods;
	/**
	 * @this {IExecuteFunctions}
	 * @param {unknown[]} args
	 */
	wrapper.execute = async function (...args) {
		const promise = (async () => {
			// Class-style nodes (n8n's `Node` base class) take the context as their first argument.
			if (classStyle) return await original.call(versioned, this, ...args);
			return await original.apply(this, args);
		})();
		tracker.settled = promise.then(
			() => undefined,
			() => undefined,
		);
		try {
			return await promise;
		} catch (error) {
			tracker.error = error;
			throw error;
		}
	};
	return /** @type {INodeType} */ (/** @type {unknown} */ (wrapper));
}

module.exports = { mockNodeTypes, createInputNodeType, wrapNodeType };
