// What n8n prints and stores: the run JSON of `n8n execute --rawOutput` (after its log lines), a node's
// items, and the verdict on a run.
import { tail, type RunResult } from '../system.cjs';

/** A binary property: inline base64 `data` (binary data mode `default`) or a reference `id`. */
export interface N8nBinary {
	data?: string;
	mimeType?: string;
	fileName?: string;
	fileSize?: string | number;
	id?: string;
	[key: string]: unknown;
}
export interface N8nItem {
	json: Record<string, any>;
	binary?: Record<string, N8nBinary>;
	[key: string]: unknown;
}
export interface N8nError {
	message: string;
	name?: string;
	description?: string | null;
	httpCode?: string | number | null;
	node?: { name: string };
	[key: string]: unknown;
}
export interface NodeRun {
	startTime?: number;
	executionTime?: number;
	error?: N8nError;
	data?: Record<string, Array<N8nItem[] | null> | undefined>;
}
type RunData = Record<string, NodeRun[]>;
type ResultData = { runData: RunData; lastNodeExecuted?: string; error?: N8nError };
/** An IRun as n8n prints or stores it; `process`: the command that printed it, if any. */
export interface N8nRun {
	finished?: boolean;
	status?: string;
	data: { resultData: ResultData };
	process?: RunResult;
	[key: string]: unknown;
}

/** The JSON document n8n printed after its log lines (a line starting `{` or `[`), or undefined. */
export function extractJson(stdout: string): any {
	const lines = stdout.split('\n');
	for (let i = 0; i < lines.length; i++) {
		if (!/^[[{]\s*$|^\{"|^\[\{/.test(lines[i])) continue;
		// The document usually runs to the end; sometimes log lines follow it.
		for (let end = lines.length; end > i; end--) {
			if (!/[}\]]\s*$/.test(lines[end - 1])) continue;
			try {
				return JSON.parse(lines.slice(i, end).join('\n'));
			} catch {
				// a shorter slice
			}
		}
	}
	return undefined;
}

/** The items a node produced (default: the last node run); throws when it did not run or failed. */
export function nodeOutput(run: N8nRun, nodeName?: string, { runIndex = 0, outputIndex = 0 } = {}) {
	const resultData = run?.data?.resultData;
	if (!resultData) throw new Error('not an n8n run result');
	const name = nodeName ?? String(resultData.lastNodeExecuted);
	const runs = resultData.runData?.[name];
	const ran = Object.keys(resultData.runData ?? {}).join(', ');
	if (!runs) throw new Error(`node "${name}" did not run (ran: ${ran})`);
	const r = runs[runIndex];
	const failed = new Error(`node "${name}" failed: ${r?.error?.message}`);
	if (r?.error) throw Object.assign(failed, { nodeError: r.error });
	return (r?.data?.main?.[outputIndex] ?? []) as N8nItem[];
}

/**
 * The parsed run of a finished `n8n execute --id=<id> --rawOutput`, or an error with n8n's error and the
 * output tails (`error.run`: the run when n8n printed one, `error.result`: the process). A crash at exit
 * after a complete, successful run (2.41's isolated-vm) is accepted with a warning.
 */
export function executeOutcome(res: RunResult, workflowId: string): N8nRun {
	const run = extractJson(res.stdout) as N8nRun | undefined;
	const runError = run?.data?.resultData?.error;
	const crashed = res.code === 139 || res.signal === 'SIGSEGV';
	const crashedAfterSuccess = crashed && run?.finished !== false;
	if (run && !runError && (res.code === 0 || crashedAfterSuccess)) {
		const exit = res.code ?? res.signal;
		const warning = `[n8n] warning: n8n execute crashed at exit (${exit}) after a successful run\n`;
		if (res.code !== 0) process.stderr.write(warning);
		return Object.defineProperty(run, 'process', { value: res, enumerable: false });
	}
	const described = runError?.description ? ` — ${runError.description}` : '';
	const where = runError?.node ? ` (node "${runError.node.name}")` : '';
	const hint = res.code === 0 ? ' (is N8N_LOG_LEVEL at least info?)' : '';
	const nothing = `no JSON result in stdout${hint}`;
	const failure = `${runError?.name ?? 'Error'}: ${runError?.message}${described}${where}`;
	const reason = runError ? failure : run ? 'non-zero exit' : nothing;
	const exit = `exit ${res.code}${res.signal ? `, ${res.signal}` : ''}`;
	const [stdout, stderr] = [tail(res.stdout, 3000), tail(res.stderr, 3000)];
	const tails = `--- stdout (tail) ---\n${stdout}\n--- stderr (tail) ---\n${stderr}`;
	const message = `n8n execute --id=${workflowId} failed (${exit}): ${reason}\n${tails}`;
	throw Object.assign(new Error(message), { run, result: res });
}
