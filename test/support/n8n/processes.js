// @ts-check
'use strict';
/**
 * Child-process bookkeeping. Every n8n child runs in its own process group (spawned `detached`) and is
 * tracked here; all groups are killed, and the temp folders removed, when this process exits or gets
 * SIGINT/SIGTERM/SIGHUP, so no n8n stays behind.
 */
const fs = require('node:fs');

/** @typedef {import('node:child_process').ChildProcess} ChildProcess */

/** @type {Set<ChildProcess>} each the leader of its own process group */
const liveChildren = new Set();
/** @type {Set<string>} */
const tempDirs = new Set();
let handlersInstalled = false;

/**
 * @param {ChildProcess} child
 * @returns {boolean}
 */
function hasExited(child) {
	return child.exitCode !== null || child.signalCode !== null;
}

/**
 * Signal a child's whole process group (the child alone when the group is gone).
 * @param {ChildProcess | null | undefined} child
 * @param {NodeJS.Signals} signal
 */
function killGroup(child, signal) {
	if (!child || hasExited(child)) return;
	try {
		if (child.pid === undefined) throw new Error('never started');
		process.kill(-child.pid, signal);
	} catch {
		try {
			child.kill(signal);
		} catch {
			/* gone */
		}
	}
}

/**
 * SIGKILL whatever is left in the process group of a child that has exited (task runners etc.).
 * @param {ChildProcess} child
 */
function killLeftovers(child) {
	try {
		if (child.pid === undefined) throw new Error('never started');
		process.kill(-child.pid, 'SIGKILL');
	} catch {
		/* group already empty */
	}
}

/** Kill every tracked process group and remove the temp folders (unless N8N_HARNESS_KEEP_TMP). */
function killAllSync() {
	for (const child of liveChildren) killGroup(child, 'SIGKILL');
	liveChildren.clear();
	if (!process.env.N8N_HARNESS_KEEP_TMP) {
		for (const dir of tempDirs) {
			try {
				fs.rmSync(dir, { recursive: true, force: true });
			} catch {
				/* best effort */
			}
		}
	}
	tempDirs.clear();
}

function installExitHandlers() {
	if (handlersInstalled) return;
	handlersInstalled = true;
	process.on('exit', killAllSync);
	const signals = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
	for (const [sig, code] of Object.entries(signals)) {
		process.on(sig, () => {
			killAllSync();
			// only decide the exit when nobody else listens for this signal
			if (process.listenerCount(sig) <= 1) process.exit(code);
		});
	}
}

/**
 * Track a child (spawned `detached`) until it exits.
 * @template {ChildProcess} T
 * @param {T} child
 * @returns {T}
 */
function track(child) {
	installExitHandlers();
	liveChildren.add(child);
	child.once('exit', () => liveChildren.delete(child));
	return child;
}

/**
 * Stop a child's whole process group: SIGTERM, then SIGKILL after `graceMs`.
 * @param {ChildProcess | null | undefined} child
 * @param {number} [graceMs]
 * @returns {Promise<void>}
 */
function stopChild(child, graceMs = 10000) {
	return new Promise((resolve) => {
		if (!child || hasExited(child)) return resolve();
		const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
		child.once('exit', () => {
			clearTimeout(timer);
			killLeftovers(child); // leftovers in the group (task runners etc.)
			resolve();
		});
		killGroup(child, 'SIGTERM');
	});
}

/**
 * A temp folder removed at exit (unless N8N_HARNESS_KEEP_TMP) if nobody removed it before.
 * @param {string} dir
 */
function addTempDir(dir) {
	tempDirs.add(dir);
	installExitHandlers();
}

/**
 * @param {string} dir a folder removed by its owner
 */
function forgetTempDir(dir) {
	tempDirs.delete(dir);
}

module.exports = {
	killGroup,
	killLeftovers,
	killAllSync,
	track,
	stopChild,
	addTempDir,
	forgetTempDir,
};
