// How failures become node errors and Continue On Fail items: shared by the router (one per
// item) and the variants of an item (one per image).
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

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
