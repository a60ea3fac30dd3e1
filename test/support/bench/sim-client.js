// @ts-check
'use strict';
/**
 * The benchmark's side of sim-child.js: the simulator in a process of its own (so its CPU and memory count
 * neither here nor in n8n), driven by request/answer messages over IPC.
 */
const { fork } = require('node:child_process');
const path = require('node:path');

/**
 * @typedef {object} SimClient
 * @property {import('node:child_process').ChildProcess} child
 * @property {(cmd: string, args?: unknown) => Promise<any>} call runs a sim-child.js handler
 */

/** @returns {SimClient} */
function startSimChild() {
	const child = fork(path.join(__dirname, 'sim-child.js'), [], {
		stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
	});
	/** @type {Map<number, { resolve: (v: unknown) => void, reject: (e: Error) => void }>} */
	const pending = new Map();
	let nextId = 1;
	child.on('message', (msg) => {
		const m = /** @type {{ id: number, result?: unknown, error?: string }} */ (msg);
		const p = pending.get(m.id);
		if (!p) return;
		pending.delete(m.id);
		if (m.error) p.reject(new Error(`simulator: ${m.error}`));
		else p.resolve(m.result);
	});
	child.on('exit', (code) => {
		for (const p of pending.values()) p.reject(new Error(`simulator process exited (${code})`));
		pending.clear();
	});
	process.on('exit', () => {
		try {
			child.kill('SIGKILL');
		} catch {
			/* gone */
		}
	});
	/** @type {SimClient['call']} */
	const call = (cmd, args) =>
		new Promise((resolve, reject) => {
			const id = nextId++;
			pending.set(id, { resolve, reject });
			child.send({ id, cmd, args });
		});
	return { child, call };
}

module.exports = { startSimChild };
