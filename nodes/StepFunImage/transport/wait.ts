// Waiting that a cancel ends at once, and leaves no timer behind.
import * as workflow from 'n8n-workflow';

/** Thrown when the execution was cancelled while waiting; nothing else is sent after it. */
export class CancelledError extends Error {
	constructor() {
		super('The execution was cancelled');
	}
}

/** The longest delay a timer holds (2^31 - 1 ms); a longer one would fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

export function clampDelay(ms: number): number {
	if (Number.isNaN(ms)) return 0;
	return Math.min(Math.max(0, ms), MAX_TIMER_MS);
}

// n8n-workflow 2.x: sleep(ms, signal) clears its timer on abort; 1.x has sleepWithAbort for that.
const timerSleep: (ms: number, signal: AbortSignal) => Promise<void> =
	(workflow as { sleepWithAbort?: (ms: number, signal: AbortSignal) => Promise<void> })
		.sleepWithAbort ?? workflow.sleep;

/**
 * Waits `ms` (clamped to what a timer holds), or rejects with CancelledError as soon as `signal`
 * aborts. Either way no timer is left behind.
 */
export async function sleepAbortable(ms: number, signal?: AbortSignal): Promise<void> {
	if (signal?.aborted) throw new CancelledError();
	const timer = new AbortController();
	await new Promise<void>((resolve, reject) => {
		const onAbort = () => {
			timer.abort();
			reject(new CancelledError());
		};
		signal?.addEventListener('abort', onAbort, { once: true });
		timerSleep(clampDelay(ms), timer.signal).then(
			() => {
				signal?.removeEventListener('abort', onAbort);
				resolve();
			},
			() => {}, // aborted: already rejected above
		);
	});
}
