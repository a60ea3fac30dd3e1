// One n8n installation with one user folder (its sqlite database, its installed packages): the
// environment of its processes, one-shot commands (imports, `n8n execute`), long-running processes (its
// server, workers), cleanup. Every process runs n8n's own Node in a process group of its own.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { freePort, removeDir, runProcess, startProcess, tempDir } from '../system.cjs';
import type { EnvVars, Proc } from '../system.cjs';
import { ensureN8n, N8N_VERSION } from './install.cjs';
import { executeOutcome, type N8nRun } from './results.cjs';
import { startServer, type N8nServer, type ServerOptions } from './server.cjs';

export type { EnvVars };
/** `userFolder`: default a temp folder, removed by cleanup() or at exit. */
export interface InstanceOptions {
	version?: string;
	userFolder?: string;
	customExtensions?: string[];
	env?: EnvVars;
	binaryDataMode?: 'filesystem' | 'default' | 'database';
	restrictFileAccessTo?: string[];
}
/** Imports: plaintext credential data (n8n encrypts it); missing ids, names and the rest filled in. */
export type CredentialInput = { id?: string; name?: string; type: string; data?: object };
export type WorkflowInput = { id?: string; name?: string; nodes: any[] } & Record<string, any>;
type Started = (p: Proc) => void;
type RunOptions = { env?: EnvVars; timeoutMs?: number; check?: boolean; onStart?: Started };

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
/** A random alphanumeric id (n8n's workflow and credential ids are 16 of these). */
export const randomId = (length = 16) =>
	Array.from(crypto.randomBytes(length), (b) => ALNUM[b % ALNUM.length]).join('');

/** n8n's settings for a quiet, headless, self-contained run. */
const OFF = 'DIAGNOSTICS VERSION_NOTIFICATIONS TEMPLATES PERSONALIZATION HIRING_BANNER'.split(' ');
const N8N_ENV: EnvVars = {
	...Object.fromEntries(OFF.map((k) => [`N8N_${k}_ENABLED`, 'false'])),
	N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
	N8N_SECURE_COOKIE: 'false',
	// Every process reads the credentials the others imported.
	N8N_ENCRYPTION_KEY: 'n8n-nodes-stepfun-test-encryption-key',
	// 2.41's default `vm` engine (isolated-vm) sometimes crashes at exit after a good run.
	N8N_EXPRESSION_ENGINE: 'legacy',
	N8N_LOG_LEVEL: 'info', // lower levels suppress the --rawOutput JSON of `n8n execute`
	N8N_LOG_OUTPUT: 'console',
	N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
	N8N_RUNNERS_ENABLED: 'true',
	N8N_GIT_NODE_DISABLE_BARE_REPOS: 'true',
	DB_TYPE: 'sqlite',
	DB_SQLITE_POOL_SIZE: '2',
	NODE_ENV: 'production',
	NODE_OPTIONS: '',
	npm_config_nodedir: undefined, // the machine's npm config must not reach n8n's own npm calls
};

export class N8nInstance {
	readonly major: number;
	readonly dataDir: string;
	readonly nodesDir: string;
	readonly userFolder: string;
	readonly nodeBin: string;
	readonly n8nBin: string;
	server: N8nServer | null = null;
	/** Running processes (a process leaves at exit). */
	private readonly children = new Set<Proc>();

	/** `install`: n8n's Node and n8n binaries; `options.userFolder` unset: a temp folder it owns. */
	constructor(
		readonly version: string,
		install: { nodeBin: string; n8nBin: string },
		readonly options: InstanceOptions,
	) {
		this.major = Number(version.split('.')[0]);
		[this.nodeBin, this.n8nBin] = [install.nodeBin, install.n8nBin];
		this.userFolder = options.userFolder ?? tempDir(`n8n-${version}-`);
		this.dataDir = path.join(this.userFolder, '.n8n');
		this.nodesDir = path.join(this.dataDir, 'nodes');
		fs.mkdirSync(this.dataDir, { recursive: true });
	}

	/** The environment of its processes: n8n's settings, the instance's additions, then `extra`. */
	env(extra: EnvVars = {}): NodeJS.ProcessEnv {
		const { customExtensions = [], binaryDataMode, restrictFileAccessTo } = this.options;
		const own: EnvVars = { N8N_USER_FOLDER: this.userFolder, N8N_CUSTOM_EXTENSIONS: undefined };
		if (customExtensions.length) own.N8N_CUSTOM_EXTENSIONS = customExtensions.join(';');
		if (binaryDataMode) own.N8N_DEFAULT_BINARY_DATA_MODE = binaryDataMode;
		if (restrictFileAccessTo) own.N8N_RESTRICT_FILE_ACCESS_TO = restrictFileAccessTo.join(';');
		const PATH = `${this.nodeBin}${path.delimiter}${process.env.PATH ?? ''}`;
		return { ...process.env, PATH, ...N8N_ENV, ...own, ...this.options.env, ...extra };
	}

	private spawnArgs(args: string[], env?: EnvVars) {
		const options = { label: `n8n ${args.join(' ')}`, env: this.env(env), cwd: this.userFolder };
		const argv: string[] = [this.n8nBin, ...args];
		return [path.join(this.nodeBin, 'node'), argv, options] as const;
	}

	/**
	 * `n8n <args>` to completion (a non-zero exit resolves; a timeout rejects). `toFile`: stdout
	 * through a file, complete even when n8n exits right after a large write (`n8n execute`).
	 */
	async run(args: string[], options: RunOptions = {}, toFile = false) {
		const { timeoutMs = 180000, check } = options;
		const file = toFile ? this.tempFile('stdout.txt') : undefined;
		const stdoutFd = file ? fs.openSync(file, 'w') : undefined;
		const [command, argv, spawn] = this.spawnArgs(args, options.env);
		const onStart = (proc: Proc) => (this.track(proc), options.onStart?.(proc));
		try {
			const result = await runProcess(command, argv, {
				...spawn,
				timeoutMs,
				stdoutFd,
				onStart,
				check,
			});
			return file ? { ...result, stdout: fs.readFileSync(file, 'utf8') } : result;
		} finally {
			if (stdoutFd !== undefined) fs.closeSync(stdoutFd);
			if (file) fs.rmSync(file, { force: true });
		}
	}

	/** run(), rejecting (with the output tails, `error.result`) on a non-zero exit. */
	runOk = (args: string[], options: RunOptions = {}) => this.run(args, { ...options, check: true });

	/** A long-running `n8n <args>` (`worker`, ...); cleanup() stops it. */
	start(args: string[], options: { env?: EnvVars } = {}): Proc {
		return this.track(startProcess(...this.spawnArgs(args, options.env)));
	}

	private track(proc: Proc): Proc {
		this.children.add(proc);
		void proc.done.then(() => this.children.delete(proc));
		return proc;
	}

	/** A new file's path under <user folder>/harness-tmp. */
	tempFile(name: string): string {
		const dir = path.join(this.userFolder, 'harness-tmp');
		fs.mkdirSync(dir, { recursive: true });
		return path.join(dir, `${randomId(6)}-${name}`);
	}

	/** `data` (a string, or JSON) in a new temp file; its path. */
	writeTemp(name: string, data: unknown): string {
		const file = this.tempFile(name);
		fs.writeFileSync(file, typeof data === 'string' ? data : JSON.stringify(data, null, 2));
		return file;
	}

	/** `n8n import:credentials`; the list with ids and names. The plaintext file goes at once. */
	async importCredentials(credentials: CredentialInput[]) {
		const list = credentials.map(({ id, name, type, data = {} }) => {
			return { id: id ?? randomId(), name: name ?? `${type} ${randomId(4)}`, type, data };
		});
		const file = this.writeTemp('credentials.json', list);
		await this.runOk(['import:credentials', `--input=${file}`]).finally(() => fs.rmSync(file));
		return list;
	}

	/** One `n8n import:workflow` (one boot) for them all; their ids. */
	async importWorkflows(workflows: WorkflowInput[]): Promise<string[]> {
		const list = workflows.map((wf) => {
			const w = structuredClone(wf);
			if (!/^[A-Za-z0-9]{16}$/.test(String(w.id))) w.id = randomId();
			Object.assign(w, { active: false, name: w.name ?? `harness ${w.id}` });
			w.connections ??= {};
			w.settings ??= { executionOrder: 'v1' };
			for (const node of w.nodes) {
				node.id ??= crypto.randomUUID();
				node.position ??= [0, 0];
				node.parameters ??= {};
			}
			return w;
		});
		await this.runOk(['import:workflow', `--input=${this.writeTemp('workflows.json', list)}`]);
		return list.map((w) => w.id!);
	}

	/**
	 * `n8n execute --id=<id> --rawOutput`: the parsed run, or an error with n8n's (`error.run`,
	 * `error.result`). Its task broker gets a free port: the default one may be another n8n's.
	 */
	async execute(id: string, { timeoutMs = 300000, ...options }: RunOptions = {}) {
		const env = { N8N_RUNNERS_BROKER_PORT: String(await freePort()), ...options.env };
		const args = ['execute', `--id=${id}`, '--rawOutput'];
		const res = await this.run(args, { ...options, env, timeoutMs }, true);
		return executeOutcome(res, id) as N8nRun;
	}

	/** `n8n start`, the owner set up and logged in; the same server while it runs. */
	async startServer(options?: ServerOptions): Promise<N8nServer> {
		this.server ??= await startServer(this, options);
		return this.server;
	}

	private get running(): N8nServer {
		if (!this.server) throw new Error('start the server first: await instance.startServer()');
		return this.server;
	}
	activateWorkflow = (id: string) => this.running.activateWorkflow(id);
	testCredential = (credential: { id: string; data?: Record<string, unknown> }) =>
		this.running.testCredential(credential);

	/** Stops the server and every process; removes a temp user folder (unless N8N_HARNESS_KEEP_TMP). */
	async cleanup(): Promise<void> {
		await this.server?.stop();
		await Promise.all([...this.children].map((c) => c.stop(3000)));
		if (!this.options.userFolder && !process.env.N8N_HARNESS_KEEP_TMP) removeDir(this.userFolder);
	}
}

/** An instance of n8n `version` (installed first if needed), with a temp user folder unless given one. */
export async function createInstance(options: InstanceOptions = {}): Promise<N8nInstance> {
	const version = options.version ?? N8N_VERSION;
	const customExtensions = (options.customExtensions ?? []).map((d) => path.resolve(d));
	for (const d of customExtensions) {
		const found = fs.statSync(d, { throwIfNoEntry: false })?.isDirectory();
		if (!found) throw new Error(`custom extension folder not found: ${d}`);
	}
	return new N8nInstance(version, await ensureN8n(version), { ...options, customExtensions });
}
