// The one place failures become n8n errors: it alone names the item ("[item N]"), and it alone
// decides whether a failure becomes an error item the run goes on with (Continue On Fail, and always
// as an agent's tool) or the error the run stops with (the lowest failing item's).
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { Failure } from '../domain/failures';
import { CancelledError } from '../transport/wait';
import { isAgentTool } from './tool';

/** What one image of an item came to: its output items, or its failure. */
export type ImageOutcome =
	| { items: INodeExecutionData[] }
	| {
			error: unknown;
			/** the image's number (from 1), when the item asked for images */ variant?: number;
	  };

/**
 * An execution's failures: with Continue On Fail (and as an agent's tool, where the item is what the
 * model reads, so it can correct its call) each becomes an error item paired to its item; without,
 * the lowest failing item's error is raised, as a one-by-one run would report it.
 */
export class Failures {
	/** The lowest item that failed for good (Infinity: none). */
	lowest = Infinity;
	private readonly soft: boolean;
	private readonly raised = new Map<number, Error>();

	constructor(private readonly ctx: IExecuteFunctions) {
		this.soft = ctx.continueOnFail() || isAgentTool(ctx);
	}

	/** The item's output items, or undefined when it failed (the error is kept for raising). */
	settle(itemIndex: number, outcomes: ImageOutcome[]): INodeExecutionData[] | undefined {
		const items: INodeExecutionData[] = [];
		for (const outcome of outcomes) {
			if ('items' in outcome) {
				items.push(...outcome.items);
				continue;
			}
			// Stopped on purpose (a cancel, or a lower item failed): nothing to report for it.
			if (outcome.error instanceof CancelledError) continue;
			const error = itemError(this.ctx, outcome.error, itemIndex);
			if (!this.soft) {
				this.raised.set(itemIndex, error);
				this.lowest = Math.min(this.lowest, itemIndex);
				return undefined;
			}
			items.push(errorItem(error, itemIndex, outcome.variant));
		}
		return items;
	}

	/** The error the run stops with, if an item failed without Continue On Fail. */
	get error(): Error | undefined {
		return this.raised.get(this.lowest);
	}
}

/** Every error as an n8n error naming its item, including those n8n's own helpers throw (expressions, binary data). */
export function itemError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	const tag = `[item ${itemIndex}]`;
	if (error instanceof Failure) {
		const message = `${error.message} ${tag}`;
		const { description, api } = error;
		if (!api) return new NodeOperationError(ctx.getNode(), message, { itemIndex, description });
		return new NodeApiError(ctx.getNode(), api.response, {
			message,
			description,
			httpCode: api.httpCode ? String(api.httpCode) : undefined,
			itemIndex,
		});
	}
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

/** The credential's Base URL is unusable: nothing was sent for any item. */
export function credentialError(ctx: IExecuteFunctions, error: unknown): NodeOperationError {
	return new NodeOperationError(ctx.getNode(), (error as Error).message, {
		description: 'Open the Step Plan API credential and correct the Endpoint / Base URL.',
	});
}

/** The execution was stopped while items ran. */
export function cancelledError(ctx: IExecuteFunctions): NodeOperationError {
	return new NodeOperationError(
		ctx.getNode(),
		'The execution was cancelled; no further requests were sent',
	);
}
