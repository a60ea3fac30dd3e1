// "Number of Images": an item's images are separate requests (StepFun returns one per request),
// all sharing the account's governor, their results kept in order.
import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { LIMITS } from '../../helpers/models';
import { CancelledError } from '../../helpers/scheduler';
import { asNodeError, errorItem, failsSoftly } from '../errors';

/**
 * Runs `variants` images of one item at once and returns their items in variant order. With
 * Continue On Fail a failed image becomes its own error item beside its siblings' images;
 * without it, the first failed image's error is the item's.
 */
export async function runVariants(
	ctx: IExecuteFunctions,
	itemIndex: number,
	variants: number,
	run: (variant: number) => Promise<INodeExecutionData[]>,
): Promise<INodeExecutionData[]> {
	const settled = await Promise.allSettled(
		Array.from({ length: variants }, async (_, variant) => await run(variant)),
	);
	const failed = settled.findIndex((s) => s.status === 'rejected');
	if (failed === -1 || !failsSoftly(ctx)) {
		if (failed !== -1) throw (settled[failed] as PromiseRejectedResult).reason;
		return settled.flatMap((s) => (s as PromiseFulfilledResult<INodeExecutionData[]>).value);
	}
	return settled.flatMap((s, variant) => {
		if (s.status === 'fulfilled') return s.value;
		if (s.reason instanceof CancelledError) return [];
		return [errorItem(asNodeError(ctx, s.reason, itemIndex), itemIndex, variant + 1)];
	});
}

/** Image `variant` (from 0) of a seeded item uses seed + variant, wrapping past StepFun's maximum. */
export function variantSeed(seed: number | undefined, variant: number): number | undefined {
	if (seed === undefined) return undefined;
	return (seed + variant) % (LIMITS.seedMax + 1);
}
