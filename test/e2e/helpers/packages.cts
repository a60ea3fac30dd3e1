// A community package installed by hand, as n8n documents it: an npm-packed tarball into
// <user folder>/.n8n/nodes (no peer or dev dependencies: it resolves n8n-workflow from n8n), its node
// types read, and registered in n8n's database the way n8n's own installer does (Settings → Community
// nodes lists it). A running server picks it up only when restarted.
import fs from 'node:fs';
import path from 'node:path';

import { runProcess } from '../../support/system.cjs';
import type { N8nInstance } from '../../support/n8n/index.cjs';

export interface PackageJson {
	name: string;
	version: string;
	author?: { name?: string; email?: string };
	n8n?: { nodes?: string[]; credentials?: string[] };
}
/** `name` is `<package>.<node>`. */
export interface PackageNodeType {
	name: string;
	displayName: string;
	version: number;
}
export interface InstalledPackage {
	packageName: string;
	version: string;
	dir: string;
	nodeTypes: PackageNodeType[];
}

/** A script run by n8n's Node with n8n's modules on its path; its stdout. */
async function nodeScript(inst: N8nInstance, script: string, args: string[]): Promise<string> {
	const modules = path.resolve(path.dirname(inst.n8nBin), '..', '..');
	const env = {
		...process.env,
		NODE_PATH: [path.join(modules, 'n8n', 'node_modules'), modules].join(path.delimiter),
	};
	return (
		await runProcess(path.join(inst.nodeBin, 'node'), ['-e', script, ...args], {
			check: true,
			env,
			label: 'node -e <package script>',
		})
	).stdout;
}

/** The package's node types, read with n8n's Node. */
async function describeNodes(
	inst: N8nInstance,
	dir: string,
	pkg: PackageJson,
): Promise<PackageNodeType[]> {
	const script = `
		const path = require('path'); const out = [];
		for (const f of JSON.parse(process.argv[1])) {
			const m = require(f);
			const Cls = m[path.basename(f).replace(/\\.node\\.js$/, '')] || Object.values(m).find((v) => typeof v === 'function');
			const d = new Cls().description;
			out.push({ name: d.name, displayName: d.displayName, version: Math.max(...[].concat(d.version || 1)) });
		}
		process.stdout.write(JSON.stringify(out));`;
	const files = (pkg.n8n?.nodes ?? []).map((f) => path.join(dir, f));
	const nodes: PackageNodeType[] = JSON.parse(
		await nodeScript(inst, script, [JSON.stringify(files)]),
	);
	return nodes.map((n) => ({ ...n, name: `${pkg.name}.${n.name}` }));
}

/** Rows in installed_packages and installed_nodes, as n8n's installer writes them (n8n's sqlite3). */
async function register(
	inst: N8nInstance,
	pkg: PackageJson,
	nodes: PackageNodeType[],
): Promise<void> {
	const dbFile = path.join(inst.dataDir, 'database.sqlite');
	// A no-op import creates and migrates the database when needed.
	if (!fs.existsSync(dbFile))
		await inst.runOk(['import:credentials', `--input=${inst.writeTemp('empty.json', [])}`]);
	const script = `
		const sqlite3 = require('sqlite3');
		const [dbFile, pkg, nodes] = [process.argv[1], JSON.parse(process.argv[2]), JSON.parse(process.argv[3])];
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
	await nodeScript(inst, script, [dbFile, JSON.stringify(pkg), JSON.stringify(nodes)]);
}

/** `npm install <tgz>` into the nodes folder without peer or dev dependencies and without scripts. */
export async function installPackageFromTarball(
	inst: N8nInstance,
	tgzPath: string,
	options = { register: true },
): Promise<InstalledPackage> {
	const tgz = path.resolve(tgzPath);
	const rootJson = path.join(inst.nodesDir, 'package.json');
	fs.mkdirSync(inst.nodesDir, { recursive: true });
	if (!fs.existsSync(rootJson))
		fs.writeFileSync(
			rootJson,
			JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2),
		);
	const flags = [
		'--omit=dev',
		'--omit=peer',
		'--legacy-peer-deps',
		'--ignore-scripts',
		'--no-audit',
		'--no-fund',
	];
	const env = {
		...process.env,
		PATH: `${inst.nodeBin}${path.delimiter}${process.env.PATH}`,
		npm_config_nodedir: undefined,
	};
	const npmArgs = [
		'install',
		tgz,
		...flags,
		'--package-lock=false',
		'--install-strategy=shallow',
		'--loglevel=error',
	];
	await runProcess('npm', npmArgs, { cwd: inst.nodesDir, env, timeoutMs: 600000, check: true });
	// npm recorded "file:<tgz>"; n8n's installer records the plain version, as here.
	const root = JSON.parse(fs.readFileSync(rootJson, 'utf8')) as {
		dependencies: Record<string, string>;
	};
	const packageName = Object.keys(root.dependencies).find((name) => {
		const spec = root.dependencies[name];
		return spec.startsWith('file:') && path.resolve(inst.nodesDir, spec.slice(5)) === tgz;
	});
	if (!packageName)
		throw new Error(`could not find the package installed from ${tgz} in ${rootJson}`);
	const dir = path.join(inst.nodesDir, 'node_modules', packageName);
	const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8')) as PackageJson;
	root.dependencies[packageName] = pkg.version;
	fs.writeFileSync(rootJson, JSON.stringify(root, null, 2));
	if (fs.existsSync(path.join(dir, 'node_modules', 'n8n-workflow'))) {
		throw new Error(
			`${packageName} brought its own n8n-workflow into ${dir}/node_modules; it must be a peer dependency only`,
		);
	}
	const nodeTypes = await describeNodes(inst, dir, pkg);
	if (options.register) await register(inst, pkg, nodeTypes);
	return { packageName, version: pkg.version, dir, nodeTypes };
}
