import * as workflow from 'n8n-workflow';

/** Thrown when the execution was cancelled while waiting; nothing else is sent after it. */
export class CancelledError extends Error {
	constructor() {
		super('The execution was cancelled');
	}
}

/** The longest delay a timer holds (2^31 - 1 ms); a longer one would fire at once. */
export const MAX_TIMER_MS = 2_147_483_647;

/** Every retry waits at least this long, whatever Retry-After says (0, negative or past). */
export const RETRY_FLOOR_MS = 1000;

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

/** Exponential backoff with jitter for retry `attempt` (from 1), never below the retry floor. */
export function retryDelay(attempt: number, random = Math.random): number {
	return Math.max(RETRY_FLOOR_MS, backoffDelay(attempt, random, 2 * RETRY_FLOOR_MS, 8000));
}

/** Exponential backoff with jitter: half to all of baseMs·2^(attempt-1), capped at maxMs. */
export function backoffDelay(attempt: number, random: () => number, baseMs: number, maxMs: number) {
	const ceiling = Math.min(maxMs, baseMs * 2 ** Math.max(0, attempt - 1));
	return Math.round(ceiling / 2 + (random() * ceiling) / 2);
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
