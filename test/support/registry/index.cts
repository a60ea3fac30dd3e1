// n8n's default npm registry, stood in for on this machine: n8n installs community packages only from
// the registry its code names (another one needs a paid licence), so the install path runs in mount and
// network namespaces of its own (`unshare`), where a hosts file maps that registry's name to 127.0.0.1
// and verdaccio (no uplinks, throw-away storage) serves it over TLS with a throw-away CA. Nothing leaves
// the machine and nothing outside the namespaces changes.
import fs from 'node:fs';
import https from 'node:https';
import path from 'node:path';

import { n8nDist } from '../n8n/install.cjs';
import { runProcess, tempDir, type EnvVars } from '../system.cjs';

export interface RegistryFiles {
	/** The registry's host name (n8n's default registry's). */
	host: string;
	dir: string;
	/** The CA n8n (NODE_EXTRA_CA_CERTS) and npm (npm_config_cafile) are given. */
	caFile: string;
	certFile: string;
	keyFile: string;
	hostsFile: string;
}

/** The registry n8n `version` installs from, read from its own code (community-packages.service). */
export function defaultRegistryHost(version: string): string {
	const file = path.join(
		n8nDist(version),
		'modules/community-packages/community-packages.service.js',
	);
	const url = /DEFAULT_REGISTRY\s*=\s*'([^']+)'/.exec(fs.readFileSync(file, 'utf8'))?.[1];
	if (!url)
		throw new Error(`n8n ${version}: no DEFAULT_REGISTRY in ${file}; its installer changed`);
	return new URL(url).hostname;
}

/** A throw-away CA, a certificate for `host` signed by it, and the hosts file of the namespaces. */
export async function makeRegistryFiles(host: string): Promise<RegistryFiles> {
	const dir = tempDir('stepfun-registry-');
	const at = (name: string) => path.join(dir, name);
	const openssl = (args: string[]) => runProcess('openssl', args, { cwd: dir, check: true });
	const ca = [
		'-subj',
		'/CN=n8n-nodes-stepfun test CA',
		'-addext',
		'basicConstraints=critical,CA:TRUE',
	];
	await openssl(
		['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem'].concat(
			['-days', '2', ...ca, '-addext', 'keyUsage=critical,keyCertSign,cRLSign'],
		),
	);
	await openssl(
		['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'key.pem', '-out', 'req.csr'].concat([
			'-subj',
			`/CN=${host}`,
		]),
	);
	fs.writeFileSync(at('ext.cnf'), `subjectAltName=DNS:${host}\nextendedKeyUsage=serverAuth\n`);
	await openssl(
		['x509', '-req', '-in', 'req.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key'].concat([
			'-CAcreateserial',
			'-out',
			'cert.pem',
			'-days',
			'2',
			'-extfile',
			'ext.cnf',
		]),
	);
	fs.writeFileSync(at('hosts'), `127.0.0.1 localhost\n::1 localhost\n127.0.0.1 ${host}\n`);
	const files = { caFile: 'ca.pem', certFile: 'cert.pem', keyFile: 'key.pem', hostsFile: 'hosts' };
	return {
		host,
		dir,
		...(Object.fromEntries(Object.entries(files).map(([k, f]) => [k, at(f)])) as any),
	};
}

/** What n8n (and the npm it runs) needs to trust the registry. */
export const trustEnv = (files: RegistryFiles): EnvVars => ({
	NODE_EXTRA_CA_CERTS: files.caFile,
	npm_config_cafile: files.caFile,
});

/** Verdaccio serving `https://<host>/` on port 443 (inside the namespaces); anyone may publish. */
export async function startRegistry(files: RegistryFiles) {
	type Server = import('node:http').Server;
	const { runServer } = require('verdaccio') as { runServer(config: object): Promise<Server> };
	const plain = await runServer({
		self_path: files.dir,
		storage: path.join(files.dir, 'storage'),
		uplinks: {},
		packages: { '**': { access: '$all', publish: '$all', unpublish: '$all' } },
		auth: { htpasswd: { file: path.join(files.dir, 'htpasswd'), max_users: -1 } },
		log: { type: 'stdout', format: 'pretty', level: 'error' },
		web: { enable: false },
	});
	// runServer gives an http.Server around verdaccio's app; the app is served over TLS instead.
	const app = plain.listeners('request')[0] as import('node:http').RequestListener;
	const tls = { key: fs.readFileSync(files.keyFile), cert: fs.readFileSync(files.certFile) };
	const server = https.createServer(tls, app);
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(443, '127.0.0.1', resolve);
	});
	const url = `https://${files.host}/`;
	return { url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/**
 * `npm publish` of a packed tarball, as `version` when given (a later release of the same package);
 * a version published before is left as it is.
 */
export async function publish(files: RegistryFiles, tgz: string, version?: string) {
	const dir = tempDir('stepfun-publish-');
	await runProcess('tar', ['-xzf', tgz, '-C', dir, '--strip-components=1'], { check: true });
	const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
	const published = path.join(files.dir, `published-${version ?? pkg.version}`);
	if (fs.existsSync(published)) return;
	if (version)
		fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ ...pkg, version }, null, 2));
	const registry = `https://${files.host}/`;
	const args = [
		'publish',
		dir,
		`--registry=${registry}`,
		`--//${files.host}/:_authToken=local-test`,
	];
	const env = { ...process.env, ...trustEnv(files), npm_config_ignore_scripts: 'true' };
	await runProcess('npm', [...args, '--loglevel=error'], { env, check: true });
	fs.writeFileSync(published, '');
}

/** Why the namespaces cannot be made here, or undefined. */
export async function namespaceProblem(): Promise<string | undefined> {
	const run = await runProcess('unshare', [...unshareFlags(), 'true']).catch((e: Error) => e);
	if (!(run instanceof Error) && run.code === 0) return undefined;
	const why = run instanceof Error ? run.message : run.stderr.trim();
	return (
		`the registry tests need mount and network namespaces (unshare ${unshareFlags().join(' ')}), ` +
		`which this machine refuses: ${why}. Allow unprivileged user namespaces ` +
		'(sysctl kernel.unprivileged_userns_clone=1, or kernel.apparmor_restrict_unprivileged_userns=0) or run as root.'
	);
}

/** Root needs no user namespace (and keeps its users, which Postgres needs); anyone else maps to root. */
const unshareFlags = () => (process.getuid?.() === 0 ? ['-mn'] : ['-rmn']);

/** `command` in new mount and network namespaces: loopback up, `files.hostsFile` as /etc/hosts. */
export function isolatedArgs(files: RegistryFiles, command: string, args: string[]) {
	const setup = 'ip link set lo up && mount --bind "$0" /etc/hosts && exec "$@"';
	return {
		command: 'unshare',
		args: [...unshareFlags(), 'sh', '-c', setup, files.hostsFile, command, ...args],
	};
}
