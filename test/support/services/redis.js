// @ts-check
'use strict';
/**
 * A throw-away Redis for n8n's queue mode: Debian's redis-server (no npm package ships one that works
 * offline), installed on first use when this run may (see debian.js), started as a child process on a
 * free 127.0.0.1 port with no persistence (no RDB snapshots, no AOF) and its working folder in a temp
 * folder, stopped (and the folder removed) by stop().
 */
const fsp = require('node:fs/promises');
const os = require('node:os');
const path = require('node:path');

const { freePort } = require('../n8n/http');
const { addTempDir, forgetTempDir } = require('../n8n/processes');
const { ensureDebianProgram } = require('./debian');
const { startService } = require('./process');

const REDIS = { program: 'redis-server', pkg: 'redis-server' };

/**
 * @typedef {object} RedisService
 * @property {string} host 127.0.0.1
 * @property {number} port
 * @property {string} bin the redis-server that runs
 * @property {() => string} logs
 * @property {() => Promise<void>} stop
 */

/**
 * The redis-server executable, installed first when missing and allowed; throws with the install command
 * otherwise.
 * @param {(message: string) => void} [log]
 * @returns {string}
 */
function ensureRedisServer(log) {
	return ensureDebianProgram(REDIS, log);
}

/**
 * Start a Redis on a free loopback port (a few tries, in case another process takes the port first).
 * @param {{ log?: (message: string) => void; timeoutMs?: number }} [options]
 * @returns {Promise<RedisService>}
 */
async function startRedis({ log = () => {}, timeoutMs = 20000 } = {}) {
	const bin = ensureRedisServer(log);
	const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'stepfun-redis-'));
	addTempDir(dir);
	/** @type {unknown} */
	let lastError;
	for (let attempt = 0; attempt < 3; attempt++) {
		const port = await freePort();
		const proc = startService({
			label: `redis-server 127.0.0.1:${port}`,
			command: bin,
			// prettier-ignore
			args: [
				'--port', String(port), '--bind', '127.0.0.1', '--protected-mode', 'yes',
				'--save', '', '--appendonly', 'no', '--dir', dir, '--daemonize', 'no',
				'--loglevel', 'notice',
			],
			cwd: dir,
		});
		try {
			await proc.waitForLog(/Ready to accept connections/, timeoutMs);
		} catch (e) {
			lastError = e;
			await proc.stop(2000);
			if (/Address already in use/i.test(proc.logs())) continue;
			break;
		}
		log(`redis-server ready on 127.0.0.1:${port}`);
		return {
			host: '127.0.0.1',
			port,
			bin,
			logs: proc.logs,
			stop: async () => {
				await proc.stop(5000);
				await fsp.rm(dir, { recursive: true, force: true });
				forgetTempDir(dir);
			},
		};
	}
	await fsp.rm(dir, { recursive: true, force: true });
	forgetTempDir(dir);
	throw lastError;
}

module.exports = { startRedis, ensureRedisServer };
