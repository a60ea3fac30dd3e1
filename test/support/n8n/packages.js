// @ts-check
'use strict';
/**
 * Community packages: install an npm-packed package into an instance's user folder the way n8n documents
 * for manual installs, read its node types, and register it in n8n's database like n8n's own installer.
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const path = require('node:path');

const { track } = require('./processes');
const { tail } = require('./util');

/**
 * What the package steps need from an instance.
 * @typedef {object} PackageHost
 * @property {string} nodeBin
 * @property {string} n8nBin
 * @property {string} dataDir <user folder>/.n8n
 * @property {string} nodesDir <user folder>/.n8n/nodes
 * @property {(name: string, data: unknown) => Promise<string>} writeTemp
 * @property {(args: string[]) => Promise<unknown>} runOk
 */

/**
 * @typedef {{ name: string; version: string; author?: { name?: string; email?: string };
 *   n8n?: { nodes?: string[]; credentials?: string[] }; [key: string]: unknown }} PackageJson
 */

/** @typedef {{ name: string; displayName: string; version: number }} PackageNodeType name: `<package>.<node>` */

/**
 * @typedef {object} InstalledPackage
 * @property {string} packageName
 * @property {string} version
 * @property {string} dir
 * @property {PackageNodeType[]} nodeTypes
 */

/**
 * Run `node -e <script> ...args` with n8n's node binary; resolves stdout, rejects with `what` + stderr.
 * @param {PackageHost} host
 * @param {string} script
 * @param {string[]} args
 * @param {string} what
 * @param {NodeJS.ProcessEnv} [env]
 * @returns {Promise<string>}
 */
function runNodeScript(host, script, args, what, env) {
	return new Promise((resolve, reject) => {
		const child = spawn(path.join(host.nodeBin, 'node'), ['-e', script, ...args], {
			...(env ? { env } : {}),
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		let err = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (err += d));
		child.on('error', reject);
		child.on('exit', (code) =>
			code === 0 ? resolve(out) : reject(new Error(`${what}:\n${tail(err)}`)),
		);
	});
}

/**
 * [{ name: 'pkg.nodeName', displayName, version }] of a package's nodes, read with n8n's node binary.
 * @param {PackageHost} host
 * @param {string} dir the installed package
 * @param {PackageJson} pkg its package.json
 * @returns {Promise<PackageNodeType[]>}
 */
async function describePackageNodes(host, dir, pkg) {
	const files = ((pkg.n8n && pkg.n8n.nodes) || []).map((f) => path.join(dir, f));
	const script = `
      const path = require('path'); const out = [];
      for (const f of JSON.parse(process.argv[1])) {
        const m = require(f);
        const base = path.basename(f).replace(/\\.node\\.js$/, '');
        const Cls = m[base] || Object.values(m).find((v) => typeof v === 'function');
        const inst = new Cls();
        const d = inst.description || (inst.nodeVersions && Object.values(inst.nodeVersions).pop().description) || {};
        const v = inst.description ? d.version : (inst.currentVersion || inst.defaultVersion);
        out.push({ name: d.name, displayName: d.displayName, version: Array.isArray(v) ? Math.max(...v) : (v || 1) });
      }
      process.stdout.write(JSON.stringify(out));`;
	const n8nModules = path.resolve(path.dirname(host.n8nBin), '..', '..'); // <prefix>/node_modules
	const env = {
		...process.env,
		NODE_PATH: `${path.join(n8nModules, 'n8n', 'node_modules')}${path.delimiter}${n8nModules}`,
	};
	const res = await runNodeScript(
		host,
		script,
		[JSON.stringify(files)],
		`reading ${pkg.name}'s nodes failed`,
		env,
	);
	/** @type {PackageNodeType[]} */
	const nodes = JSON.parse(res);
	return nodes.map((n) => ({ ...n, name: `${pkg.name}.${n.name}` }));
}

/**
 * Record a manually installed package in installed_packages / installed_nodes (what n8n's own installer
 * writes), using n8n's sqlite3 module. The database must exist: a no-op `n8n import:credentials` creates
 * and migrates it when needed.
 * @param {PackageHost} host
 * @param {PackageJson} pkg
 * @param {PackageNodeType[]} nodeTypes
 * @returns {Promise<void>}
 */
async function registerCommunityPackage(host, pkg, nodeTypes) {
	const dbFile = path.join(host.dataDir, 'database.sqlite');
	if (!fs.existsSync(dbFile)) {
		const f = await host.writeTemp('empty.json', []);
		await host.runOk(['import:credentials', `--input=${f}`]);
	}
	const prefixModules = path.resolve(path.dirname(host.n8nBin), '..', '..');
	const script = `
      const sqlite3 = require(${JSON.stringify(path.join(prefixModules, 'sqlite3'))});
      const [dbFile, pkgJson, nodesJson] = process.argv.slice(1);
      const pkg = JSON.parse(pkgJson); const nodes = JSON.parse(nodesJson);
      const db = new sqlite3.Database(dbFile);
      const run = (sql, p) => new Promise((res, rej) => db.run(sql, p, (e) => (e ? rej(e) : res())));
      (async () => {
        await run('PRAGMA foreign_keys = ON');
        await run('DELETE FROM installed_nodes WHERE package = ?', [pkg.name]);
        await run('DELETE FROM installed_packages WHERE packageName = ?', [pkg.name]);
        await run('INSERT INTO installed_packages (packageName, installedVersion, authorName, authorEmail) VALUES (?, ?, ?, ?)',
          [pkg.name, pkg.version, (pkg.author && pkg.author.name) || null, (pkg.author && pkg.author.email) || null]);
        for (const n of nodes) await run('INSERT INTO installed_nodes (name, type, latestVersion, package) VALUES (?, ?, ?, ?)',
          [n.displayName, n.name, n.version, pkg.name]);
        db.close();
      })().catch((e) => { console.error(e); process.exit(1); });`;
	const args = [dbFile, JSON.stringify(pkg), JSON.stringify(nodeTypes)];
	await runNodeScript(host, script, args, `registering ${pkg.name} in ${dbFile} failed`);
}

/**
 * `npm install <tgz>` into the nodes folder the way n8n's installer does: no peer/dev dependencies (the
 * package resolves n8n-workflow from n8n), no scripts.
 * @param {PackageHost} host
 * @param {string} tgz
 * @returns {Promise<void>}
 */
function npmInstall(host, tgz) {
	/** @type {NodeJS.ProcessEnv} */
	const npmEnv = {
		...process.env,
		PATH: `${host.nodeBin}${path.delimiter}${process.env.PATH || ''}`,
	};
	delete npmEnv.npm_config_nodedir;
	const args = [
		'install',
		tgz,
		'--omit=dev',
		'--omit=peer',
		'--legacy-peer-deps',
		'--ignore-scripts',
	];
	args.push('--no-audit', '--no-fund', '--package-lock=false', '--install-strategy=shallow');
	args.push('--loglevel=error');
	return new Promise((resolve, reject) => {
		const child = track(
			spawn('npm', args, {
				cwd: host.nodesDir,
				env: npmEnv,
				stdio: ['ignore', 'pipe', 'pipe'],
				detached: true,
			}),
		);
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		child.stderr.on('data', (d) => (out += d));
		child.on('error', reject);
		child.on('exit', (code) =>
			code === 0
				? resolve()
				: reject(new Error(`npm install ${tgz} failed (${code}):\n${tail(out)}`)),
		);
	});
}

/**
 * Install an npm-packed community node package (a .tgz) the way n8n documents for manual installs:
 * into `<N8N_USER_FOLDER>/.n8n/nodes/node_modules/<name>`, without its peer/dev dependencies (like n8n's
 * own installer, so the package resolves n8n-workflow from n8n). n8n scans that folder at startup
 * (`n8n-nodes-*` and `@scope/n8n-nodes-*`) and loads the nodes as `<packageName>.<nodeName>`.
 * A running server does not pick it up until restarted: call this before startServer()/execute().
 * With { register: true } (default) the package is also recorded in n8n's installed_packages/installed_nodes
 * tables so Settings > Community nodes lists it (needs a started-once database; done here via a no-op import).
 * @param {PackageHost} host
 * @param {string} tgzPath
 * @param {{ register?: boolean }} [options]
 * @returns {Promise<InstalledPackage>}
 */
async function installCommunityPackageFromTarball(host, tgzPath, { register = true } = {}) {
	const tgz = path.resolve(tgzPath);
	await fsp.mkdir(host.nodesDir, { recursive: true });
	const pkgJsonPath = path.join(host.nodesDir, 'package.json');
	if (!fs.existsSync(pkgJsonPath)) {
		const root = { name: 'installed-nodes', private: true, dependencies: {} };
		await fsp.writeFile(pkgJsonPath, JSON.stringify(root, null, 2));
	}
	await npmInstall(host, tgz);
	// npm recorded "file:<tgz>"; n8n's own installer records the plain version. Do the same.
	/** @type {{ dependencies?: Record<string, string> }} */
	const rootPkg = JSON.parse(await fsp.readFile(pkgJsonPath, 'utf8'));
	let packageName;
	for (const [name, spec] of Object.entries(rootPkg.dependencies || {})) {
		const fromTgz = String(spec).startsWith('file:');
		if (fromTgz && path.resolve(host.nodesDir, String(spec).slice(5)) === tgz) packageName = name;
	}
	if (!packageName)
		throw new Error(`could not find the package installed from ${tgz} in ${pkgJsonPath}`);
	const dir = path.join(host.nodesDir, 'node_modules', packageName);
	/** @type {PackageJson} */
	const pkg = JSON.parse(await fsp.readFile(path.join(dir, 'package.json'), 'utf8'));
	/** @type {Record<string, string>} */ (rootPkg.dependencies)[packageName] = pkg.version;
	await fsp.writeFile(pkgJsonPath, JSON.stringify(rootPkg, null, 2));
	if (fs.existsSync(path.join(dir, 'node_modules', 'n8n-workflow'))) {
		throw new Error(
			`${packageName} brought its own n8n-workflow into ${dir}/node_modules; it must be a peer dependency only`,
		);
	}
	const nodeTypes = await describePackageNodes(host, dir, pkg);
	if (register) await registerCommunityPackage(host, pkg, nodeTypes);
	return { packageName, version: pkg.version, dir, nodeTypes };
}

module.exports = {
	installCommunityPackageFromTarball,
	describePackageNodes,
	registerCommunityPackage,
};
