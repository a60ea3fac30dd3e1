import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { resolveBaseUrl } from '../helpers/endpoints';
import { CancelledError, RequestGovernor, runPool } from '../helpers/scheduler';
import { CREDENTIAL_TYPE, type TransportSettings } from '../transport';
import * as edit from './image/edit.operation';
import * as generate from './image/generate.operation';
import { readBatchSettings } from './image/shared';

export interface RunContext {
	governor: RequestGovernor;
	transport: TransportSettings;
	isStopping: () => boolean;
}

const operations = { generate, edit } as const;
type Operation = keyof typeof operations;

/**
 * Runs every input item, up to Concurrency at once, and returns the results in input order.
 * Each item yields its images or, with Continue On Fail, one error item paired to it.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const operation = this.getNodeParameter('operation', 0) as Operation;
	if (!operations[operation]) {
		throw new NodeOperationError(this.getNode(), `The operation "${operation}" is not supported`);
	}

	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	let baseUrl: string;
	try {
		baseUrl = resolveBaseUrl(credentials.endpoint as string, credentials.baseUrl as string);
	} catch (error) {
		throw new NodeOperationError(this.getNode(), (error as Error).message, {
			description: 'Open the Step Plan API credential and correct the Endpoint / Base URL.',
		});
	}

	const batch = readBatchSettings(this);
	const signal = this.getExecutionCancelSignal?.();
	const governor = new RequestGovernor({ maxConcurrency: batch.concurrency, signal });
	const continueOnFail = this.continueOnFail();
	const results: INodeExecutionData[][] = new Array(items.length);
	const failures = new Map<number, Error>();
	let stopping = false;
	const run: RunContext = {
		governor,
		transport: {
			baseUrl,
			timeoutMs: batch.timeoutMs,
			maxRetries: batch.maxRetries,
			rateLimitWaitMs: batch.rateLimitWaitMs,
			apiKey: typeof credentials.apiKey === 'string' ? credentials.apiKey : undefined,
		},
		isStopping: () => stopping || signal?.aborted === true,
	};

	// Twice as many items in progress as requests in flight: while one item stores its image, the
	// next one's request is already out, so per-item work overlaps the API's latency. The governor
	// still caps the requests themselves at Concurrency.
	await runPool(
		items.length,
		batch.concurrency * 2,
		async (itemIndex) => {
			try {
				results[itemIndex] = await operations[operation].execute.call(this, itemIndex, run);
			} catch (error) {
				if (error instanceof CancelledError) {
					stopping = true;
					return;
				}
				const wrapped = asNodeError(this, error, itemIndex);
				if (continueOnFail) {
					results[itemIndex] = [errorItem(wrapped, itemIndex)];
				} else {
					failures.set(itemIndex, wrapped);
					stopping = true;
				}
			}
		},
		run.isStopping,
	);

	if (signal?.aborted) {
		throw new NodeOperationError(
			this.getNode(),
			'The execution was cancelled; no further requests were sent',
		);
	}
	if (failures.size > 0) {
		// The lowest failing item, as a one-by-one run would have reported it.
		throw failures.get(Math.min(...failures.keys()))!;
	}
	return [results.flat()];
}

function asNodeError(ctx: IExecuteFunctions, error: unknown, itemIndex: number): Error {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	const message = error instanceof Error ? error.message : String(error);
	return new NodeOperationError(ctx.getNode(), `${message} [item ${itemIndex}]`, { itemIndex });
}

function errorItem(error: Error, itemIndex: number): INodeExecutionData {
	const e = error as NodeApiError;
	return {
		json: {
			error: e.message,
			description: e.description ?? null,
			httpCode: e.httpCode ?? null,
			itemIndex,
		},
		pairedItem: { item: itemIndex },
	};
}
