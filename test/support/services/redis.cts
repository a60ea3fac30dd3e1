// A throw-away Redis for n8n's queue mode: Debian's redis-server (no npm package ships one that works
// offline), installed on first use when this run may (root, or password-less sudo), else an error that
// says the command. It runs on a free 127.0.0.1 port without persistence, in a temp folder.
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { freePort, removeDir, startProcess, tempDir } from '../system.cjs';

export type RedisService = { host: string; port: number; logs(): string; stop(): Promise<void> };

function findProgram(name: string): string | null {
	const dirs = [...(process.env.PATH ?? '').split(path.delimiter), '/usr/sbin', '/usr/bin'];
	for (const dir of dirs.filter(Boolean)) {
		const file = path.join(dir, name);
		try {
			fs.accessSync(file, fs.constants.X_OK);
			if (fs.statSync(file).isFile()) return file;
		} catch {
			// not here
		}
	}
	return null;
}

/** redis-server's path, installed first (apt-get, ~20 s) when missing and allowed; never a silent skip. */
export function ensureRedisServer(log: (message: string) => void = () => {}): string {
	const found = findProgram('redis-server');
	if (found) return found;
	const root = process.getuid?.() === 0;
	const probe = () => spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore', timeout: 10000 });
	const sudo = !root && probe().status === 0;
	const prefix = root ? '' : 'sudo ';
	const install = 'apt-get install -y --no-install-recommends redis-server';
	const command = `${prefix}apt-get update && ${prefix}${install}`;
	const why = 'not root, no password-less sudo, or no apt-get';
	const cannot = `redis-server is not installed, and this run cannot install it (${why}).`;
	if (!(root || sudo) || !findProgram('apt-get')) {
		throw new Error(`${cannot} Install it with:\n  ${command}`);
	}
	log(`redis-server is missing: installing the Debian package redis-server (${command})`);
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	const packages = ['--no-install-recommends', 'redis-server'];
	const steps = [
		['update', '-qq'],
		['install', '-y', '-qq', ...packages],
	];
	for (const args of steps) {
		const [cmd, ...rest] = [...(sudo ? ['sudo', '-n'] : []), 'apt-get', ...args];
		try {
			execFileSync(cmd, rest, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 600000 });
		} catch (error) {
			const { stderr, message } = error as Error & { stderr?: Buffer };
			const detail = String(stderr ?? message).slice(-2000);
			const failed = `installing redis-server failed (${args[0]}): ${detail}`;
			throw new Error(`${failed}\nInstall it with:\n  ${command}`);
		}
	}
	const installed = findProgram('redis-server');
	if (!installed) throw new Error('redis-server installed, but still not found');
	return installed;
}

/** A Redis on a free loopback port (a few tries, in case another process takes the port first). */
export async function startRedis({ log = (_m: string) => {} } = {}): Promise<RedisService> {
	const bin = ensureRedisServer(log);
	const dir = tempDir('stepfun-redis-');
	for (let attempt = 0; ; attempt++) {
		const port = await freePort();
		const settings = { port, bind: '127.0.0.1', 'protected-mode': 'yes', save: '' };
		Object.assign(settings, { appendonly: 'no', dir, daemonize: 'no', loglevel: 'notice' });
		const args = Object.entries(settings).flatMap(([key, value]) => [`--${key}`, String(value)]);
		const proc = startProcess(bin, args, { label: `redis-server 127.0.0.1:${port}`, cwd: dir });
		try {
			await proc.waitForLog(/Ready to accept connections/, 20000);
		} catch (error) {
			await proc.stop(2000);
			if (attempt < 2 && /Address already in use/i.test(proc.logs())) continue;
			removeDir(dir);
			throw error;
		}
		log(`redis-server ready on 127.0.0.1:${port}`);
		const stop = async () => {
			await proc.stop(5000);
			removeDir(dir);
		};
		return { host: '127.0.0.1', port, logs: proc.logs, stop };
	}
}
