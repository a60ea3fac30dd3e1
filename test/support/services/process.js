// @ts-check
'use strict';
/**
 * A service (redis-server, postgres) as a child process in its own process group, tracked like the n8n
 * children (../n8n/processes.js: killed when this process exits), with its log, a wait for the line that
 * says it is ready, and a stop with the service's own shutdown signal.
 */
const { spawn } = require('node:child_process');

const { killGroup, killLeftovers, track } = require('../n8n/processes');
const { tail } = require('../n8n/util');

/**
 * @typedef {object} ServiceSpawn
 * @property {string} label for messages ("redis-server :6390")
 * @property {string} command
 * @property {string[]} args
 * @property {NodeJS.ProcessEnv} [env] default: this process's
 * @property {string} [cwd]
 * @property {number} [uid] run as this user (root only)
 * @property {number} [gid]
 * @property {NodeJS.Signals} [stopSignal] the service's orderly shutdown, default SIGTERM
 */

/**
 * @typedef {object} ServiceProcess
 * @property {import('node:child_process').ChildProcess} child
 * @property {string} label
 * @property {() => string} logs stdout and stderr so far (the last megabyte)
 * @property {() => boolean} exited
 * @property {(pattern: RegExp, timeoutMs: number) => Promise<void>} waitForLog resolves once the log
 *   matches; rejects (with the log tail) when the process exits first or after the timeout
 * @property {(graceMs?: number) => Promise<void>} stop stopSignal to the group, SIGKILL after graceMs
 */

/**
 * @param {ServiceSpawn} spec
 * @returns {ServiceProcess}
 */
function startService({ label, command, args, env, cwd, uid, gid, stopSignal = 'SIGTERM' }) {
	const child = track(
		spawn(command, args, {
			env: env || process.env,
			cwd,
			uid,
			gid,
			stdio: ['ignore', 'pipe', 'pipe'],
			detached: true,
		}),
	);
	let logs = '';
	/** @type {Array<() => void>} */
	const watchers = [];
	/** @param {Buffer} d */
	const onData = (d) => {
		logs += d;
		if (logs.length > 1e6) logs = logs.slice(-5e5);
		for (const w of watchers.slice()) w();
	};
	child.stdout?.on('data', onData);
	child.stderr?.on('data', onData);
	let exited = false;
	/** @type {Error | null} */
	let spawnError = null;
	const exit = new Promise((resolve) => {
		child.once('error', (e) => {
			spawnError = e;
			exited = true;
			resolve(undefined);
		});
		child.once('exit', () => {
			exited = true;
			resolve(undefined);
		});
	});
	/** @param {string} message */
	const fail = (message) => new Error(`${label}: ${message}\n${tail(logs, 3000)}`);

	/** @type {ServiceProcess['waitForLog']} */
	const waitForLog = (pattern, timeoutMs) =>
		new Promise((resolve, reject) => {
			const done = () => {
				const at = watchers.indexOf(check);
				if (at >= 0) watchers.splice(at, 1);
				clearTimeout(timer);
			};
			const check = () => {
				if (pattern.test(logs)) {
					done();
					resolve();
				}
			};
			const timer = setTimeout(() => {
				done();
				reject(fail(`not ready after ${timeoutMs} ms (waiting for ${pattern})`));
			}, timeoutMs);
			watchers.push(check);
			exit.then(() => {
				if (!watchers.includes(check)) return;
				done();
				reject(fail(spawnError ? `could not start: ${spawnError.message}` : 'exited early'));
			});
			check();
		});

	/** @type {ServiceProcess['stop']} */
	const stop = async (graceMs = 10000) => {
		if (!exited) {
			const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
			killGroup(child, stopSignal);
			await exit;
			clearTimeout(timer);
		}
		killLeftovers(child);
	};

	return { child, label, logs: () => logs, exited: () => exited, waitForLog, stop };
}

module.exports = { startService };
