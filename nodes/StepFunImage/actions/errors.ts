// How failures become node errors and Continue On Fail items: shared by the router (one per
// item) and the variants of an item (one per image).
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { isAgentTool } from './tool';

/** Every error names its item, including those n8n's own helpers throw (expressions, binary data). */
export function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	const tag = `[item ${itemIndex}]`;
	if (error instanceof NodeApiError || error instanceof NodeOperationError) {
		if (!error.message.includes(tag)) error.message = `${error.message} ${tag}`;
		return error;
	}
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(ctx.getNode(), `${message} ${tag}`, { itemIndex });
}

/**
 * Whether a failure becomes an error item instead of stopping the node: with Continue On Fail, and
 * always as an agent's tool, where the item is what the model reads (so it can correct its call; a
 * thrown error reaches some agent versions as an empty text or stops the whole execution).
 */
export function failsSoftly(ctx: IExecuteFunctions): boolean {
	return ctx.continueOnFail() || isAgentTool(ctx);
}

/** The Continue On Fail item for an error, paired to its input item. */
export function errorItem(error: Error, itemIndex: number, variant?: number): INodeExecutionData {
	const e = error as NodeApiError;
	return {
		json: {
			error: e.message,
			description: e.description ?? null,
			httpCode: e.httpCode ?? null,
			itemIndex,
			...(variant !== undefined ? { variant } : {}),
		},
		pairedItem: { item: itemIndex },
	};
}
