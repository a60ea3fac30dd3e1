// Queue mode for the end-to-end suites: the stack (Redis, Postgres, a main and workers, the built node on
// every process), webhook bursts, and the measured figures on stderr (the .ts suites may not write there).
import path from 'node:path';

import { N8N_VERSION, startQueueStack } from '../../support/n8n/index.cjs';
import { ROOT } from './files.cjs';
import { postMultipart, type HttpResult, type MultipartPart } from './web.cjs';

export type { ExecutionSummary, QueueStack } from '../../support/n8n/index.cjs';
/** The n8n whose queue mode the suite runs (2.x). */
export const QUEUE_N8N_VERSION = N8N_VERSION;

export const startQueue = ({ workers = 2 } = {}) =>
	startQueueStack({
		version: QUEUE_N8N_VERSION,
		workers,
		customExtensions: [path.join(ROOT, 'dist')],
	});

/** Every form posted at the same moment: the answers in order, and the burst's wall time. */
export async function burst(
	url: string,
	forms: MultipartPart[][],
): Promise<{ answers: HttpResult[]; wallMs: number }> {
	const started = Date.now();
	const answers = await Promise.all(forms.map((parts) => postMultipart(url, parts)));
	return { answers, wallMs: Date.now() - started };
}

export const report = (line: string) => void process.stderr.write(`[queue e2e] ${line}\n`);
