// @ts-check
'use strict';
/** One-shot n8n commands (`n8n import:workflow`, `n8n execute`, ...) run to completion. */
const fs = require('node:fs');
const path = require('node:path');

const { spawnN8n } = require('./launch');
const { killGroup, killLeftovers } = require('./processes');
const { randomId, tail } = require('./util');

/**
 * @typedef {object} RunResult
 * @property {number | null} code
 * @property {NodeJS.Signals | null} signal
 * @property {string} stdout
 * @property {string} stderr
 * @property {number} ms
 */

/**
 * @typedef {object} RunOptions
 * @property {number} [timeoutMs] default 180000; the process group is killed after it
 * @property {import('./launch').EnvVars} [env] added to the instance's environment
 * @property {string} [cwd] default: the user folder
 * @property {boolean} [stdoutToFile] collect stdout through a temp file instead of a pipe
 */

/** @typedef {Error & { result: RunResult }} RunError */

/**
 * Run `n8n <args>` to completion. Resolves { code, signal, stdout, stderr, ms }; never rejects on a
 * non-zero exit (callers decide). Rejects on timeout (the process group is killed).
 * `stdoutToFile: true` collects stdout through a temp file instead of a pipe (complete even when n8n exits
 * right after a large write; `execute` uses it).
 * The process is spawned (and in `host.children`) before this returns.
 * @param {import('./launch').N8nHost} host
 * @param {string[]} args
 * @param {RunOptions} [options]
 * @returns {Promise<RunResult>}
 */
function runN8n(host, args, { timeoutMs = 180000, env = {}, cwd, stdoutToFile = false } = {}) {
	return new Promise((resolve, reject) => {
		const t0 = Date.now();
		// stdoutToFile: n8n (seen with 1.123.81) can exit before a large stdout write to a pipe is flushed,
		// cutting `execute --rawOutput` JSON short (~1 MB); writes to a regular file are synchronous and always
		// complete.
		/** @type {string | undefined} */
		let outFile;
		/** @type {number | undefined} */
		let outFd;
		if (stdoutToFile) {
			const dir = path.join(host.userFolder, 'harness-tmp');
			fs.mkdirSync(dir, { recursive: true });
			outFile = path.join(dir, `${Date.now()}-${randomId(6)}-stdout.txt`);
			outFd = fs.openSync(outFile, 'w');
		}
		const child = spawnN8n(host, args, { env, cwd, stdout: outFd === undefined ? 'pipe' : outFd });
		if (outFd !== undefined) fs.closeSync(outFd);
		let stdout = '';
		let stderr = '';
		if (child.stdout) child.stdout.on('data', (d) => (stdout += d));
		child.stderr?.on('data', (d) => (stderr += d));
		let timedOut = false;
		const timer = setTimeout(() => {
			timedOut = true;
			killGroup(child, 'SIGKILL');
		}, timeoutMs);
		child.on('error', (e) => {
			clearTimeout(timer);
			reject(e);
		});
		child.on('exit', (code, signal) => {
			clearTimeout(timer);
			killLeftovers(child); // leftovers (task runner) of a finished command
			if (outFile) {
				try {
					stdout = fs.readFileSync(outFile, 'utf8');
					fs.rmSync(outFile, { force: true });
				} catch {
					/* keep what we have */
				}
			}
			const res = { code, signal, stdout, stderr, ms: Date.now() - t0 };
			if (timedOut) {
				const e = new Error(
					`n8n ${args.join(' ')} timed out after ${timeoutMs} ms\n` +
						`--- stdout ---\n${tail(stdout)}\n--- stderr ---\n${tail(stderr)}`,
				);
				return reject(Object.assign(e, { result: res }));
			}
			resolve(res);
		});
	});
}

/**
 * runN8n, rejecting (with the output tails, `err.result`) on a non-zero exit.
 * @param {import('./launch').N8nHost} host
 * @param {string[]} args
 * @param {RunOptions} [options]
 * @returns {Promise<RunResult>}
 */
async function runN8nOk(host, args, options) {
	const res = await runN8n(host, args, options);
	if (res.code !== 0) {
		const e = new Error(
			`n8n ${args.join(' ')} failed (exit ${res.code}${res.signal ? ', ' + res.signal : ''})\n` +
				`--- stdout ---\n${tail(res.stdout)}\n--- stderr ---\n${tail(res.stderr)}`,
		);
		throw Object.assign(e, { result: res });
	}
	return res;
}

module.exports = { runN8n, runN8nOk };
