// @ts-check
'use strict';
/**
 * One n8n installation with one user folder (sqlite database, installed packages): the environment of its
 * processes, one-shot commands (imports, `n8n execute`), long-running processes (its server, others),
 * community packages, cleanup. Made by createInstance() (create.js).
 */
const fsp = require('node:fs/promises');
const path = require('node:path');

const { runN8n, runN8nOk } = require('./command');
const { n8nEnv } = require('./env');
const imports = require('./imports');
const { startN8nProcess } = require('./launch');
const packages = require('./packages');
const { forgetTempDir, stopChild } = require('./processes');
const rest = require('./rest');
const { executeOutcome } = require('./results');
const { requireServer, startServer } = require('./server');

/** @typedef {import('./env').EnvVars} EnvVars */
/** @typedef {import('./command').RunOptions} RunOptions */
/** @typedef {import('./command').RunResult} RunResult */
/** @typedef {import('./server').N8nServer} N8nServer */
/** @typedef {import('./results').N8nRun} N8nRun */

/**
 * @typedef {object} InstanceOptions
 * @property {string} [version] n8n version (default DEFAULT_VERSION)
 * @property {string} [nodeBin] with n8nBin: an n8n to use instead of ensureN8n(version)
 * @property {string} [n8nBin]
 * @property {string} [userFolder] default: a temp folder, removed by cleanup() or at exit
 * @property {string[]} [customExtensions] N8N_CUSTOM_EXTENSIONS folders (must exist)
 * @property {EnvVars} [env] added to every process's environment
 * @property {'filesystem' | 'default' | 'database'} [binaryDataMode] N8N_DEFAULT_BINARY_DATA_MODE
 * @property {string | string[]} [restrictFileAccessTo] N8N_RESTRICT_FILE_ACCESS_TO
 * @property {(message: string) => void} [log]
 */

/**
 * @typedef {InstanceOptions & { version: string; nodeBin: string; n8nBin: string; userFolder: string;
 *   ownsUserFolder: boolean }} ResolvedInstanceOptions
 */

class N8nInstance {
	/** @param {ResolvedInstanceOptions} opts */
	constructor(opts) {
		this.version = opts.version;
		this.nodeBin = opts.nodeBin;
		this.n8nBin = opts.n8nBin;
		this.userFolder = opts.userFolder;
		this.ownsUserFolder = opts.ownsUserFolder;
		this.customExtensions = opts.customExtensions || [];
		this.dataDir = path.join(this.userFolder, '.n8n');
		this.nodesDir = path.join(this.dataDir, 'nodes');
		this.extraEnv = opts.env || {};
		this.binaryDataMode = opts.binaryDataMode;
		this.restrictFileAccessTo = opts.restrictFileAccessTo;
		this.log = opts.log || (() => {});
		/** @type {N8nServer | null} */
		this.server = null;
		/** @type {Set<import('node:child_process').ChildProcess>} every running process of this instance */
		this.children = new Set();
	}

	get major() {
		return Number(this.version.split('.')[0]);
	}

	/**
	 * Environment for every n8n process of this instance, plus `extra`.
	 * @param {EnvVars} [extra]
	 * @returns {NodeJS.ProcessEnv}
	 */
	env(extra = {}) {
		return n8nEnv(this, extra);
	}

	/**
	 * Run `n8n <args>` to completion (see command.js): never rejects on a non-zero exit, rejects on timeout.
	 * The process is in `children` before this returns.
	 * @param {string[]} args
	 * @param {RunOptions} [options]
	 * @returns {Promise<RunResult>}
	 */
	run(args, options) {
		return runN8n(this, args, options);
	}

	/**
	 * run(), rejecting on a non-zero exit.
	 * @param {string[]} args
	 * @param {RunOptions} [options]
	 * @returns {Promise<RunResult>}
	 */
	runOk(args, options) {
		return runN8nOk(this, args, options);
	}

	/**
	 * Start a long-running `n8n <args>` (e.g. `worker`) with this instance's environment plus `env`;
	 * cleanup() stops it.
	 * @param {string[]} args
	 * @param {{ env?: EnvVars }} [options]
	 * @returns {import('./launch').N8nProcess}
	 */
	startProcess(args, options) {
		return startN8nProcess(this, args, options);
	}

	/**
	 * Write `data` (a string, or JSON) into a new file under <user folder>/harness-tmp; resolves its path.
	 * @param {string} name
	 * @param {unknown} data
	 * @returns {Promise<string>}
	 */
	writeTemp(name, data) {
		return imports.writeTemp(this.userFolder, name, data);
	}

	/**
	 * Import credentials (`n8n import:credentials`). Each entry: { id?, name?, type, data: {plaintext} }.
	 * Plaintext `data` objects are encrypted by n8n on import. Returns the list with ids filled in.
	 * @param {import('./imports').CredentialInput | import('./imports').CredentialInput[]} creds
	 * @returns {Promise<import('./imports').ImportedCredential[]>}
	 */
	importCredentials(creds) {
		return imports.importCredentials(this, creds);
	}

	/**
	 * Import one workflow object (`n8n import:workflow`). Gives it a 16-char alphanumeric id if needed.
	 * @param {import('./imports').WorkflowInput} wf
	 * @returns {Promise<string>} the workflow id
	 */
	importWorkflow(wf) {
		return imports.importWorkflow(this, wf);
	}

	/**
	 * `n8n execute --id=<id> --rawOutput`, returning the parsed run ({ data: { resultData: { runData,
	 * lastNodeExecuted, error? } }, ... }). Throws when the run fails, with n8n's error and output tails
	 * (`err.run` holds the parsed run when n8n printed one, `err.result` the raw process result).
	 * The process is in `children` before this returns.
	 * @param {string} workflowId
	 * @param {{ timeoutMs?: number; env?: EnvVars }} [options]
	 * @returns {Promise<N8nRun>}
	 */
	async execute(workflowId, { timeoutMs = 300000, env } = {}) {
		const args = ['execute', `--id=${workflowId}`, '--rawOutput'];
		const res = await this.run(args, { timeoutMs, env, stdoutToFile: true });
		return executeOutcome(res, workflowId);
	}

	/**
	 * Install an npm-packed community node package into the user folder (see packages.js); call it before
	 * startServer()/execute(). Resolves { packageName, version, dir, nodeTypes }.
	 * @param {string} tgzPath
	 * @param {{ register?: boolean }} [options] register (default true): list it under Settings > Community nodes
	 * @returns {Promise<import('./packages').InstalledPackage>}
	 */
	installCommunityPackageFromTarball(tgzPath, options) {
		return packages.installCommunityPackageFromTarball(this, tgzPath, options);
	}

	/**
	 * @param {string} dir
	 * @param {import('./packages').PackageJson} pkg
	 * @returns {Promise<import('./packages').PackageNodeType[]>}
	 */
	describePackageNodes(dir, pkg) {
		return packages.describePackageNodes(this, dir, pkg);
	}

	/**
	 * @param {import('./packages').PackageJson} pkg
	 * @param {import('./packages').PackageNodeType[]} nodeTypes
	 * @returns {Promise<void>}
	 */
	registerCommunityPackage(pkg, nodeTypes) {
		return packages.registerCommunityPackage(this, pkg, nodeTypes);
	}

	/**
	 * Start `n8n start` (see server.js), set up the owner and log in; the same server while it runs.
	 * @param {import('./server').ServerOptions} [options]
	 * @returns {Promise<N8nServer>}
	 */
	async startServer(options) {
		if (this.server) return this.server;
		this.server = await startServer(this, options);
		return this.server;
	}

	/** @returns {N8nServer} */
	requireServer() {
		return requireServer(this);
	}

	/**
	 * Activate (2.x: publish) a workflow over REST; resolves the updated workflow.
	 * @param {string} id
	 * @returns {Promise<any>}
	 */
	async activateWorkflow(id) {
		return await rest.activateWorkflow(this.requireServer(), this.major, id);
	}

	/**
	 * n8n's own credential test (see rest.js). Resolves { status: 'OK' | 'Error', message }.
	 * @param {import('./server').CredentialToTest} [credential]
	 * @returns {Promise<import('./rest').CredentialTestResult>}
	 */
	async testCredential(credential) {
		return await rest.testCredential(this.requireServer(), credential);
	}

	/** Stop the server and any running command; remove the temp user folder (unless N8N_HARNESS_KEEP_TMP). */
	async cleanup() {
		if (this.server) await this.server.stop();
		await Promise.all([...this.children].map((c) => stopChild(c, 3000)));
		if (this.ownsUserFolder && !process.env.N8N_HARNESS_KEEP_TMP) {
			await fsp.rm(this.userFolder, { recursive: true, force: true });
			forgetTempDir(this.userFolder);
		}
	}
}

module.exports = { N8nInstance };
