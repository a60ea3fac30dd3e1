import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { resolveBaseUrl } from '../helpers/endpoints';
import { CancelledError, runPool } from '../helpers/scheduler';
import { openAccount } from '../transport/accounts';
import { StepFunClient } from '../transport/client';
import { CREDENTIAL_TYPE } from '../transport/http';
import * as edit from './image/edit.operation';
import * as generate from './image/generate.operation';
import { asNodeError, errorItem, failsSoftly } from './errors';
import { readBatchSettings, settle } from './image/parameters';
import type { Operation, OperationName } from './node.type';

const operations: Record<OperationName, Operation> = { generate, edit };

/**
 * Runs every input item through its operation, up to Concurrency requests at once, and returns
 * the results in input order. Each item yields its images or, with Continue On Fail, one error
 * item paired to it. Without it, the lowest failing item's error is raised, as a one-by-one run
 * would: items below it run to the end, items above it start nothing new.
 */
export async function router(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
	const items = this.getInputData();
	const name = this.getNodeParameter('operation', 0) as OperationName;
	const operation = operations[name];
	if (!operation) {
		throw new NodeOperationError(this.getNode(), `The operation "${name}" is not supported`);
	}

	const credentials = await this.getCredentials(CREDENTIAL_TYPE);
	const resolved = settle(() => resolveBaseUrl(credentials.endpoint, credentials.baseUrl));
	if (!resolved.ok) {
		throw new NodeOperationError(this.getNode(), (resolved.error as Error).message, {
			description: 'Open the Step Plan API credential and correct the Endpoint / Base URL.',
		});
	}
	const baseUrl = resolved.value;

	const batch = readBatchSettings(this);
	const signal = this.getExecutionCancelSignal?.();
	const continueOnFail = failsSoftly(this);
	const results: INodeExecutionData[][] = new Array(items.length);
	const failures = new Map<number, Error>();
	let lowestFailure = Infinity;
	// Every execution using this account in this n8n instance shares one governor.
	const governor = openAccount(baseUrl.href, credentials.apiKey, batch.concurrency, signal);
	const client = new StepFunClient(this, {
		baseUrl,
		apiKey: credentials.apiKey,
		timeoutMs: batch.timeoutMs,
		maxRetries: batch.maxRetries,
		rateLimitWaitMs: batch.rateLimitWaitMs,
		governor,
		isStopping: (itemIndex) => signal?.aborted === true || itemIndex > lowestFailure,
	});

	// Twice as many items in progress as requests in flight: while one item stores its image, the
	// next one's request is already out. The governor still caps the requests at Concurrency.
	try {
		await runPool(
			items.length,
			batch.concurrency * 2,
			async (itemIndex) => {
				try {
					results[itemIndex] = await operation.execute.call(this, itemIndex, client);
				} catch (error) {
					if (error instanceof CancelledError) return;
					const wrapped = asNodeError(this, error, itemIndex);
					if (continueOnFail) {
						results[itemIndex] = [errorItem(wrapped, itemIndex)];
					} else {
						failures.set(itemIndex, wrapped);
						lowestFailure = Math.min(lowestFailure, itemIndex);
					}
				}
			},
			// Items start in index order, so once one failed, every item not started yet is above it.
			() => signal?.aborted === true || lowestFailure !== Infinity,
		);
	} finally {
		governor.close();
	}

	if (signal?.aborted) {
		throw new NodeOperationError(
			this.getNode(),
			'The execution was cancelled; no further requests were sent',
		);
	}
	if (failures.size > 0) throw failures.get(lowestFailure)!;
	return [results.flat()];
}
