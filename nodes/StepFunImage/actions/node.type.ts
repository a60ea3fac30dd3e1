// Types the router and the operations share, so neither imports the other.
import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import type { StepFunClient } from '../transport/client';

export type OperationName = 'generate' | 'edit';

/** One operation: its fields, and how it turns one input item into output items. */
export interface Operation {
	description: INodeProperties[];
	execute(
		this: IExecuteFunctions,
		itemIndex: number,
		client: StepFunClient,
	): Promise<INodeExecutionData[]>;
}
