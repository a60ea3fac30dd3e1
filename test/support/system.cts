// The development layer's one door to the operating system: child processes (each in a process group
// of its own, all killed when this process ends), free ports, temp folders, delays.
import { spawn, type ChildProcess, type StdioOptions } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** The repository. */
export const ROOT = path.resolve(__dirname, '../..');
/** Where the real n8n installs and the unpacked browser live (test/support/n8n/ensure-n8n.sh's). */
export const CACHE_DIR =
	process.env.STEPFUN_N8N_CACHE ??
	path.join(process.env.XDG_CACHE_HOME ?? path.join(os.homedir(), '.cache'), 'n8n-nodes-stepfun');

export const delay = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The last `n` characters of a text, marked with … when cut. */
export const tail = (text: unknown, n = 4000) => {
	const s = String(text ?? '');
	return s.length > n ? `…${s.slice(-n)}` : s;
};

/** A free TCP port on 127.0.0.1 (free when asked; another process may take it later). */
export const freePort = () =>
	new Promise<number>((resolve, reject) => {
		const server = net.createServer().unref().on('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const { port } = server.address() as net.AddressInfo;
			server.close(() => resolve(port));
		});
	});

const live = new Set<ChildProcess>();
const tempDirs = new Set<string>();
let exitHandlers = false;

/** Kills every process group still running and removes the temp folders (at exit, or on a signal). */
export function killAll(): void {
	for (const child of live) signalGroup(child, 'SIGKILL');
	live.clear();
	if (!process.env.N8N_HARNESS_KEEP_TMP) for (const dir of tempDirs) removeDir(dir);
}

function installExitHandlers(): void {
	if (exitHandlers) return;
	exitHandlers = true;
	process.on('exit', killAll);
	for (const [signal, code] of [
		['SIGINT', 130],
		['SIGTERM', 143],
		['SIGHUP', 129],
	] as const) {
		process.on(signal, () => {
			killAll();
			// Only decide the exit when nobody else listens for this signal.
			if (process.listenerCount(signal) <= 1) process.exit(code);
		});
	}
}

/** A new temp folder, removed at exit (unless N8N_HARNESS_KEEP_TMP is set) if nobody removed it before. */
export function tempDir(prefix: string): string {
	installExitHandlers();
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	tempDirs.add(dir);
	return dir;
}

export function removeDir(dir: string): void {
	fs.rmSync(dir, { recursive: true, force: true, maxRetries: 2 });
	tempDirs.delete(dir);
}

/** Signals a child's whole process group (the child alone when the group is gone). */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
	try {
		process.kill(-child.pid!, signal);
	} catch {
		child.kill(signal);
	}
}

/** Environment variables to add (undefined: leave out). */
export type EnvVars = Record<string, string | undefined>;

/**
 * `label`: for messages; `stopSignal`: the program's orderly shutdown (default SIGTERM); `stdoutFd`:
 * stdout into this file, complete even when the program exits right after a large write; `input`:
 * written to stdin; `ipc`: a Node script's IPC channel; `echoStderr`: its stderr on ours too (a long
 * install's progress); `onStart`: called once it runs (runProcess); `check`: runProcess rejects (with
 * the output tails, `error.result`) on a non-zero exit; `timeoutMs`: runProcess kills it then, and
 * rejects.
 */
export interface ProcessOptions {
	label?: string;
	env?: NodeJS.ProcessEnv;
	cwd?: string;
	uid?: number;
	gid?: number;
	stopSignal?: NodeJS.Signals;
	stdoutFd?: number;
	input?: string;
	ipc?: boolean;
	echoStderr?: boolean;
	onStart?: (proc: Proc) => void;
	check?: boolean;
	timeoutMs?: number;
}
export type Exit = { code: number | null; signal: NodeJS.Signals | null };
export type RunResult = Exit & { stdout: string; stderr: string; ms: number };
type WaitOptions = { timeoutMs: number; what: () => string; since?: number; intervalMs?: number };

/** A child process in its own tracked process group, and its output so far (`logs`: the last MB). */
export interface Proc {
	child: ChildProcess;
	label: string;
	stdout(): string;
	stderr(): string;
	logs(): string;
	exited(): Exit | null;
	done: Promise<Exit>;
	/** Polls `probe` until true; rejects (with the log tail) when the process exits first, or stops
	 * it and rejects after the timeout. */
	waitFor(probe: () => boolean | Promise<boolean>, options: WaitOptions): Promise<void>;
	waitForLog(pattern: RegExp, timeoutMs: number): Promise<void>;
	/** stopSignal to the group, SIGKILL after graceMs. */
	stop(graceMs?: number): Promise<void>;
	fail(message: string): Error;
}

export function startProcess(command: string, args: string[], options: ProcessOptions = {}): Proc {
	installExitHandlers();
	const { label = [command, ...args].join(' '), stopSignal = 'SIGTERM' } = options;
	const input = options.input === undefined ? 'ignore' : 'pipe';
	const stdio: StdioOptions = [
		input,
		options.stdoutFd ?? 'pipe',
		'pipe',
		...(options.ipc ? ['ipc' as const] : []),
	];
	const { env = process.env, cwd, uid, gid } = options;
	const child = spawn(command, args, { env, cwd, uid, gid, stdio, detached: true });
	live.add(child);
	const output = { out: '', err: '', logs: '' };
	// A long-running process keeps the last 16 MB of each stream, and the last MB of both together.
	const keep = (stream: 'out' | 'err', d: Buffer) => {
		output[stream] =
			output[stream].length > 32e6 ? output[stream].slice(-16e6) + d : output[stream] + d;
		output.logs = output.logs.length > 2e6 ? output.logs.slice(-1e6) + d : output.logs + d;
	};
	child.stdout?.on('data', (d: Buffer) => keep('out', d));
	child.stderr?.on('data', (d: Buffer) => {
		keep('err', d);
		if (options.echoStderr) process.stderr.write(d);
	});
	if (options.input !== undefined) child.stdin?.end(options.input);
	let exit: Exit | null = null;
	const done = new Promise<Exit>((resolve) => {
		child.once('error', (e) => {
			output.err += e.message;
			exit ??= { code: -1, signal: null };
			resolve(exit);
		});
		child.once('exit', (code, signal) => {
			exit ??= { code, signal };
			live.delete(child);
			signalGroup(child, 'SIGKILL'); // leftovers in the group (task runners ...)
			// Its output is complete once the pipes close (soon, now that the group is gone).
			child.once('close', () => resolve(exit!));
			setTimeout(() => resolve(exit!), 2000).unref();
		});
	});
	const fail = (message: string) => new Error(`${label}: ${message}\n${tail(output.logs)}`);
	const stop = async (graceMs = 10000) => {
		if (!exit && child.exitCode === null && child.signalCode === null) {
			const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), graceMs);
			signalGroup(child, stopSignal);
			await done.finally(() => clearTimeout(timer));
		}
		await done;
	};
	const waitFor: Proc['waitFor'] = async (probe, { timeoutMs, what, since, intervalMs = 300 }) => {
		for (const start = since ?? Date.now(); ; await delay(intervalMs)) {
			if (exit) throw fail(`exited early (${exit.code ?? exit.signal}) before ${what()}`);
			if (await probe()) return;
			if (Date.now() - start <= timeoutMs) continue;
			await stop(2000);
			throw fail(`${what()} after ${timeoutMs} ms`);
		}
	};
	const waitForLog = (pattern: RegExp, timeoutMs: number) => {
		const what = () => `no log line matching ${pattern}`;
		return waitFor(() => pattern.test(output.logs), { timeoutMs, intervalMs: 100, what });
	};
	const [stdout, stderr, logs] = [() => output.out, () => output.err, () => output.logs];
	return {
		child,
		label,
		stdout,
		stderr,
		logs,
		exited: () => exit,
		done,
		waitFor,
		waitForLog,
		stop,
		fail,
	};
}

/** A program run to completion: a non-zero exit resolves unless `check`; a timeout rejects. */
export async function runProcess(command: string, args: string[], options: ProcessOptions = {}) {
	const { timeoutMs = 180000, label = [command, ...args].join(' ') } = options;
	const started = Date.now();
	const proc = startProcess(command, args, options);
	options.onStart?.(proc);
	const timer = setTimeout(() => void proc.stop(0), timeoutMs);
	const exit = await proc.done.finally(() => clearTimeout(timer));
	const ms = Date.now() - started;
	const result: RunResult = { ...exit, stdout: proc.stdout(), stderr: proc.stderr(), ms };
	if (ms >= timeoutMs)
		throw Object.assign(proc.fail(`timed out after ${timeoutMs} ms`), { result });
	if (!options.check || result.code === 0) return result;
	const message =
		`${label} failed (exit ${result.code ?? result.signal})\n` +
		`--- stdout ---\n${tail(result.stdout)}\n--- stderr ---\n${tail(result.stderr)}`;
	throw Object.assign(new Error(message), { result });
}
