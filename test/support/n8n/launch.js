// @ts-check
'use strict';
/**
 * Starting n8n processes for an instance: every one runs n8n's own node binary in its own, tracked process
 * group, with the instance's environment. Long-running ones (`n8n start`, and `n8n worker` for queue mode)
 * are an N8nProcess: collected logs, exit watch, readiness polling, stop.
 */
const { spawn } = require('node:child_process');
const path = require('node:path');

const { stopChild, track } = require('./processes');
const { delay, tail } = require('./util');

/** @typedef {import('node:child_process').ChildProcess} ChildProcess */
/** @typedef {import('./env').EnvVars} EnvVars */

/**
 * What starting an n8n process needs from an instance.
 * @typedef {object} N8nHost
 * @property {string} nodeBin folder with the node binary n8n runs on
 * @property {string} n8nBin path of n8n's bin/n8n
 * @property {string} userFolder N8N_USER_FOLDER, and the working directory
 * @property {Set<ChildProcess>} children the host's running processes (a process leaves it at exit)
 * @property {(extra?: EnvVars) => NodeJS.ProcessEnv} env the environment of an n8n process, plus `extra`
 */

/**
 * @typedef {object} SpawnOptions
 * @property {EnvVars} [env] added to the instance's environment
 * @property {string} [cwd] default: the user folder
 * @property {'pipe' | number} [stdout] a pipe (default) or a file descriptor
 */

/**
 * Spawn `n8n <args>` (stderr always piped) in its own tracked process group.
 * @param {N8nHost} host
 * @param {string[]} args
 * @param {SpawnOptions} [options]
 * @returns {ChildProcess}
 */
function spawnN8n(host, args, { env = {}, cwd, stdout = 'pipe' } = {}) {
	const child = track(
		spawn(path.join(host.nodeBin, 'node'), [host.n8nBin, ...args], {
			env: host.env(env),
			cwd: cwd || host.userFolder,
			stdio: ['ignore', stdout, 'pipe'],
			detached: true,
		}),
	);
	host.children.add(child);
	child.once('exit', () => host.children.delete(child));
	return child;
}

/**
 * @typedef {object} WaitOptions
 * @property {number} timeoutMs
 * @property {number} [since] when the time started (default: now)
 * @property {() => string} what what was not reached, for the timeout error ("/healthz/readiness not OK")
 * @property {number} [intervalMs] between probes, default 300
 */

/**
 * A long-running n8n process (`n8n start`, `n8n worker`, ...).
 * @typedef {object} N8nProcess
 * @property {ChildProcess} child
 * @property {string} label "n8n <args>"
 * @property {() => string} logs stdout and stderr so far (the last megabytes)
 * @property {() => { code: number | null; signal: NodeJS.Signals | null } | null} exited
 * @property {(graceMs?: number) => Promise<void>} stop SIGTERM the process group, SIGKILL after graceMs
 * @property {(probe: () => Promise<boolean>, options: WaitOptions) => Promise<void>} waitUntil
 *   poll `probe` until it resolves true; rejects (with the log tail) when the process exits first, or
 *   stops it and rejects after the timeout
 * @property {(message: string) => Error} fail an error with the message and the log tail
 */

/**
 * Start a long-running `n8n <args>` for `host`, with extra environment.
 * @param {N8nHost} host
 * @param {string[]} args
 * @param {{ env?: EnvVars }} [options]
 * @returns {N8nProcess}
 */
function startN8nProcess(host, args, { env = {} } = {}) {
	const label = `n8n ${args.join(' ')}`;
	const child = spawnN8n(host, args, { env });
	let logs = '';
	/** @param {Buffer | string} d */
	const onData = (d) => {
		logs += d;
		if (logs.length > 2e6) logs = logs.slice(-1e6);
	};
	child.stdout?.on('data', onData);
	child.stderr?.on('data', onData);
	/** @type {{ code: number | null; signal: NodeJS.Signals | null } | null} */
	let exited = null;
	child.on('exit', (code, signal) => {
		exited = { code, signal };
	});
	/** @type {N8nProcess['fail']} */
	const fail = (message) => new Error(`${message}\n${tail(logs)}`);

	/** @type {N8nProcess['waitUntil']} */
	const waitUntil = async (probe, { timeoutMs, since = Date.now(), what, intervalMs = 300 }) => {
		for (;;) {
			if (exited) throw fail(`${label} exited early (${exited.code ?? exited.signal})`);
			if (await probe()) return;
			if (Date.now() - since > timeoutMs) {
				await stopChild(child);
				throw fail(`${label}: ${what()} after ${timeoutMs} ms`);
			}
			await delay(intervalMs);
		}
	};

	return {
		child,
		label,
		logs: () => logs,
		exited: () => exited,
		stop: (graceMs) => stopChild(child, graceMs),
		waitUntil,
		fail,
	};
}

module.exports = { spawnN8n, startN8nProcess };
