// @ts-check
'use strict';
/** Reading what n8n printed: the JSON document after its log lines, a node's items, the verdict of a run. */
const { tail } = require('./util');

/**
 * A binary property as n8n prints it: inline base64 `data` (binary data mode `default`) or a reference `id`.
 * @typedef {{ data?: string; mimeType?: string; fileName?: string; fileExtension?: string; fileSize?: string | number;
 *   id?: string; [key: string]: unknown }} N8nBinary
 */

/**
 * An output item (n8n's INodeExecutionData, loosely: `json` is whatever the node produced).
 * @typedef {{ json: Record<string, any>; binary?: Record<string, N8nBinary>; pairedItem?: unknown;
 *   [key: string]: unknown }} N8nItem
 */

/**
 * An error as n8n stores it in a run.
 * @typedef {{ message: string; name?: string; description?: string | null; httpCode?: string | number | null;
 *   node?: { name: string; [key: string]: unknown }; [key: string]: unknown }} N8nError
 */

/**
 * One run of one node.
 * @typedef {{ startTime?: number; executionTime?: number; error?: N8nError;
 *   data?: { main?: Array<N8nItem[] | null> }; [key: string]: unknown }} NodeRun
 */

/**
 * The parsed result of `n8n execute --rawOutput` (an IRun). `_process` (not enumerable) is the process
 * result of the command that printed it.
 * @typedef {{ finished?: boolean; mode?: string; status?: string;
 *   data: { resultData: { runData: Record<string, NodeRun[]>; lastNodeExecuted?: string; error?: N8nError } };
 *   _process?: import('./command').RunResult; [key: string]: unknown }} N8nRun
 */

/**
 * Find the JSON document n8n printed after its log lines. Tries each line that starts a JSON value
 * (`{` or `[` at column 0), last candidates first for a complete parse to the end of the text.
 * @param {unknown} stdout
 * @returns {any} the parsed document, undefined when there is none
 */
function extractJson(stdout) {
	const text = String(stdout || '');
	const lines = text.split('\n');
	/** @type {number[]} */
	const starts = [];
	for (let i = 0; i < lines.length; i++) {
		if (/^[[{]\s*$/.test(lines[i]) || /^\{"/.test(lines[i]) || /^\[\{/.test(lines[i]))
			starts.push(i);
	}
	// The document usually runs to the end of stdout; sometimes log lines follow it.
	for (const i of starts) {
		const rest = lines.slice(i);
		for (let end = rest.length; end > 0; end--) {
			const last = rest[end - 1].trim();
			if (!(last.endsWith('}') || last.endsWith(']'))) continue;
			try {
				return JSON.parse(rest.slice(0, end).join('\n'));
			} catch {
				/* try a shorter slice */
			}
		}
	}
	return undefined;
}

/**
 * Items a node produced in a parsed run (default: the last node executed). Throws when the node did not
 * run or failed (the error carries n8n's as `nodeError`).
 * @param {N8nRun} run
 * @param {string} [nodeName]
 * @param {{ runIndex?: number; outputIndex?: number }} [options]
 * @returns {N8nItem[]}
 */
function nodeOutput(run, nodeName, { runIndex = 0, outputIndex = 0 } = {}) {
	const resultData = run && run.data && run.data.resultData;
	if (!resultData) throw new Error('not an n8n run result');
	const name = nodeName || resultData.lastNodeExecuted;
	const runs = resultData.runData && resultData.runData[String(name)];
	if (!runs) {
		const ran = Object.keys(resultData.runData || {}).join(', ');
		throw new Error(`node "${name}" did not run (ran: ${ran})`);
	}
	const r = runs[runIndex];
	if (r && r.error) {
		throw Object.assign(new Error(`node "${name}" failed: ${r.error.message}`), {
			nodeError: r.error,
		});
	}
	return (r && r.data && r.data.main && r.data.main[outputIndex]) || [];
}

/**
 * The verdict on a finished `n8n execute --id=<id> --rawOutput`: the parsed run, or an error with n8n's
 * error and output tails (`err.run` the parsed run when n8n printed one, `err.result` the process result).
 * A segfault at exit after a complete, successful run (2.41 + isolated-vm) is accepted with a warning.
 * @param {import('./command').RunResult} res
 * @param {string} workflowId
 * @returns {N8nRun}
 */
function executeOutcome(res, workflowId) {
	/** @type {N8nRun | undefined} */
	const run = extractJson(res.stdout);
	const runError = run && run.data && run.data.resultData && run.data.resultData.error;
	const ok = res.code === 0 && run && !runError;
	const crashedAfterSuccess =
		!ok &&
		run &&
		!runError &&
		(res.code === 139 || res.signal === 'SIGSEGV') &&
		run.finished !== false;
	if (run && (ok || crashedAfterSuccess)) {
		if (crashedAfterSuccess) {
			process.stderr.write(
				`[n8n harness] warning: n8n execute crashed at exit (${res.code || res.signal}) after a successful run\n`,
			);
		}
		Object.defineProperty(run, '_process', { value: res, enumerable: false });
		return run;
	}
	let reason;
	if (runError) {
		reason =
			`${runError.name || 'Error'}: ${runError.message}` +
			`${runError.description ? ' — ' + runError.description : ''}` +
			`${runError.node ? ` (node "${runError.node.name}")` : ''}`;
	} else if (!run) {
		reason =
			res.code === 0
				? 'no JSON result in stdout (is N8N_LOG_LEVEL at least info?)'
				: 'no JSON result in stdout';
	} else reason = 'non-zero exit';
	throw Object.assign(
		new Error(
			`n8n execute --id=${workflowId} failed (exit ${res.code}${res.signal ? ', ' + res.signal : ''}): ${reason}\n` +
				`--- stdout (tail) ---\n${tail(res.stdout, 3000)}\n--- stderr (tail) ---\n${tail(res.stderr, 3000)}`,
		),
		{ run, result: res },
	);
}

module.exports = { extractJson, nodeOutput, executeOutcome };
