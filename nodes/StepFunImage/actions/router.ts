import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { resolveBaseUrl } from '../domain/endpoints';
import { ImageStore } from '../image/sinks';
import { openAccount } from '../transport/accounts';
import { StepFunClient } from '../transport/client';
import { CREDENTIAL_TYPE } from '../transport/http';
import { cancelledError, credentialError, Failures, itemError, type ImageOutcome } from './errors';
import * as edit from './image/edit.operation';
import * as generate from './image/generate.operation';
import { readBatchSettings } from './image/parameters';

/** One operation: its fields, and how it turns one input item into its images' outcomes. */
export interface Operation {
	execute(
		this: IExecuteFunctions,
		itemIndex: number,
		client: StepFunClient,
	): Promise<ImageOutcome[]>;
}

const operations: Record<string, Operation> = { generate, edit };

/**
 * Runs every input item through its operation, up to Concurrency requests at once, and returns
 * the results in input order. Each item yields its images or, with Continue On Fail, error items
 * paired to it. Without it, the lowest failing item's error is raised, as a one-by-one run would:
 * items below it run to the end, items above it start nothing new.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const name = this.getNodeParameter('operation', 0) as string;
	const operation = operations[name];
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${name}" is not supported`);
	}

	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	let baseUrl;
	try {
		baseUrl = resolveBaseUrl(credentials.endpoint, credentials.baseUrl);
	} catch (error) {
		throw credentialError(this, error);
	}

	let batch;
	try {
		batch = readBatchSettings(this);
	} catch (error) {
		throw itemError(this, error, 0);
	}
	const signal = this.getExecutionCancelSignal?.();
	const failures = new Failures(this);
	const results: INodeExecutionData[][] = new Array(items.length);
	// Every execution using this account in this n8n instance shares one governor.
	const governor = openAccount(baseUrl.href, credentials.apiKey, batch.concurrency, signal);
	const client = new StepFunClient(this, {
		baseUrl,
		apiKey: credentials.apiKey,
		timeoutMs: batch.timeoutMs,
		maxRetries: batch.maxRetries,
		rateLimitWaitMs: batch.rateLimitWaitMs,
		governor,
		store: new ImageStore(this),
		isStopping: (itemIndex) => signal?.aborted === true || itemIndex > failures.lowest,
	});

	// Twice as many items in progress as requests in flight: while one item stores its image, the
	// next one's request is already out. The governor still caps the requests at Concurrency.
	try {
		await runPool(
			items.length,
			batch.concurrency * 2,
			async (itemIndex) => {
				const outcomes = await operation.execute
					.call(this, itemIndex, client)
					.catch((error: unknown): ImageOutcome[] => [{ error }]);
				const settled = failures.settle(itemIndex, outcomes);
				if (settled) results[itemIndex] = settled;
			},
			// Items start in index order, so once one failed, every item not started yet is above it.
			() => signal?.aborted === true || failures.lowest !== Infinity,
		);
	} finally {
		governor.close();
	}

	if (signal?.aborted) throw cancelledError(this);
	const error = failures.error;
	if (error) throw error;
	return [results.flat()];
}

/**
 * Runs `task(i)` for i in 0..count-1 with at most `concurrency` tasks started but unfinished.
 * Stops starting new tasks once `shouldStop()` is true; always waits for started tasks to settle.
 */
export async function runPool(
	count: number,
	concurrency: number,
	task: (index: number) => Promise<void>,
	shouldStop: () => boolean,
): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < count && !shouldStop()) {
			const index = next++;
			await task(index);
		}
	};
	const workers = Array.from({ length: Math.max(1, Math.min(concurrency, count)) }, worker);
	await Promise.all(workers);
}
