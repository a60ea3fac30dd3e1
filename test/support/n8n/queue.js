// @ts-check
'use strict';
/**
 * n8n in queue mode (2.x): one main (`n8n start`: editor, REST, webhooks; it enqueues every execution) and
 * N workers (`n8n worker`) that run them, sharing Redis (Bull queue) and Postgres, each process with its
 * own user folder (as separate containers would have), the same N8N_ENCRYPTION_KEY and the same custom
 * extensions. Binary data is left at n8n's queue-mode default (`database`: ids start with "database:").
 *
 *   const q = await startQueueStack({ workers: 2, customExtensions: [dist] }); // + Redis and Postgres
 *   await q.server.api('GET', '/rest/workflows');   // the main's logged-in REST session
 *   q.executionWorkers();                            // execution id → worker number, from the workers' logs
 *   await q.stop();                                  // workers, then the main, then Redis and Postgres
 *
 * startQueueMode() is the n8n part alone, on a Redis and a Postgres the caller runs.
 */
const { startQueueServices } = require('../services');
const { freePort, httpRequest } = require('./http');
const { createInstance } = require('./create');

/** @typedef {import('./instance').N8nInstance} N8nInstance */
/** @typedef {import('./server').N8nServer} N8nServer */
/** @typedef {import('./launch').N8nProcess} N8nProcess */
/** @typedef {import('./env').EnvVars} EnvVars */

/**
 * @typedef {object} QueueConnections
 * @property {{ host: string; port: number }} redis
 * @property {{ host: string; port: number; user: string; password: string; database: string }} postgres
 */

/**
 * @typedef {object} QueueOptionsOwn
 * @property {string} [version] n8n version, default the driver's (2.x: queue mode as tested here)
 * @property {number} [workers] how many `n8n worker`s, default 2
 * @property {number} [workerConcurrency] jobs each worker runs at once (`--concurrency`), default 10
 * @property {string[]} [customExtensions] N8N_CUSTOM_EXTENSIONS of every process
 * @property {EnvVars} [env] added to every process's environment
 * @property {(message: string) => void} [log]
 * @property {number} [timeoutMs] for each process to become ready, default 240000
 */
/** @typedef {QueueConnections & QueueOptionsOwn} QueueOptions */

/**
 * @typedef {object} QueueWorker
 * @property {number} number 1, 2, ...
 * @property {N8nInstance} inst
 * @property {N8nProcess} proc
 * @property {number} healthPort QUEUE_HEALTH_CHECK_PORT (GET /healthz, /healthz/readiness)
 * @property {number} readyMs from spawn until /healthz/readiness answered 200
 * @property {() => string[]} executions ids of the executions it started (its "Worker started
 *   execution <id>" log lines), in order
 */

/**
 * @typedef {object} QueueMode
 * @property {N8nInstance} main the main's instance (its user folder, its processes)
 * @property {N8nServer} server the running main, logged in as the owner
 * @property {QueueWorker[]} workers
 * @property {EnvVars} env the queue-mode environment every process shares
 * @property {() => Map<string, number>} executionWorkers execution id → number of the worker that ran it
 * @property {() => Promise<void>} stop workers (they finish running jobs first), then the main
 */

/**
 * The environment every process of the queue shares: queue mode, Redis, Postgres. Binary data mode unset
 * (n8n picks `database` in queue mode); manual executions go to the workers too.
 * @param {QueueConnections} c
 * @returns {EnvVars}
 */
function queueEnv({ redis, postgres }) {
	return {
		EXECUTIONS_MODE: 'queue',
		QUEUE_BULL_REDIS_HOST: redis.host,
		QUEUE_BULL_REDIS_PORT: String(redis.port),
		OFFLOAD_MANUAL_EXECUTIONS_TO_WORKERS: 'true',
		DB_TYPE: 'postgresdb',
		DB_POSTGRESDB_HOST: postgres.host,
		DB_POSTGRESDB_PORT: String(postgres.port),
		DB_POSTGRESDB_DATABASE: postgres.database,
		DB_POSTGRESDB_USER: postgres.user,
		DB_POSTGRESDB_PASSWORD: postgres.password,
		DB_POSTGRESDB_POOL_SIZE: '4',
		N8N_DEFAULT_BINARY_DATA_MODE: undefined, // not inherited: n8n's queue-mode default
	};
}

/**
 * Start `n8n worker` number `number` for `inst` and wait until /healthz/readiness answers 200 (database
 * connected and migrated, Redis connected, ready for jobs).
 * @param {N8nInstance} inst
 * @param {number} number
 * @param {{ concurrency: number; timeoutMs: number }} options
 * @returns {Promise<QueueWorker>}
 */
async function startWorker(inst, number, { concurrency, timeoutMs }) {
	const healthPort = await freePort();
	const proc = inst.startProcess(['worker', `--concurrency=${concurrency}`], {
		env: {
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(healthPort),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		},
	});
	const t0 = Date.now();
	const url = `http://127.0.0.1:${healthPort}/healthz/readiness`;
	await proc.waitUntil(
		async () => {
			try {
				return (await httpRequest(url, { timeoutMs: 2000 })).status === 200;
			} catch {
				return false; // not listening yet
			}
		},
		{ since: t0, timeoutMs, what: () => `worker ${number}: ${url} not 200` },
	);
	return {
		number,
		inst,
		proc,
		healthPort,
		readyMs: Date.now() - t0,
		executions: () => [...proc.logs().matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]),
	};
}

/**
 * Start the main (it runs the database migrations), then the workers side by side.
 * @param {QueueOptions} options
 * @returns {Promise<QueueMode>}
 */
async function startQueueMode(options) {
	const { version, workers: count = 2, workerConcurrency = 10, customExtensions = [] } = options;
	const { timeoutMs = 240000, log = () => {} } = options;
	const env = { ...queueEnv(options), ...options.env };
	/** @param {string} role */
	const instance = (role) =>
		createInstance({ version, customExtensions, env, log: (m) => log(`${role}: ${m}`) });
	/** @type {N8nInstance[]} */
	const instances = [];
	/** @type {QueueWorker[]} */
	const workers = [];
	const stop = async () => {
		// workers first: a worker stopping finishes its running jobs, which report to the main
		await Promise.all(instances.slice(1).map((i) => i.cleanup()));
		if (instances[0]) await instances[0].cleanup();
	};
	try {
		const main = await instance('main');
		instances.push(main);
		const server = await main.startServer({ timeoutMs });
		log(`main ready on ${server.url} in ${server.readyMs} ms`);
		const insts = [];
		for (let i = 1; i <= count; i++) insts.push(await instance(`worker ${i}`));
		instances.push(...insts);
		const started = await Promise.all(
			insts.map((inst, i) =>
				startWorker(inst, i + 1, { concurrency: workerConcurrency, timeoutMs }),
			),
		);
		workers.push(...started);
		for (const w of workers) log(`worker ${w.number} ready in ${w.readyMs} ms`);
		return {
			main,
			server,
			workers,
			env,
			executionWorkers: () => {
				/** @type {Map<string, number>} */
				const map = new Map();
				for (const w of workers) for (const id of w.executions()) map.set(id, w.number);
				return map;
			},
			stop,
		};
	} catch (e) {
		await stop();
		throw e;
	}
}

/**
 * @typedef {QueueMode & { services: import('../services').QueueServices }} QueueStack
 */

/**
 * Redis and Postgres (../services: a missing redis-server is installed first, or reported at once), then
 * startQueueMode() on them; stop() stops everything, n8n first.
 * @param {QueueOptionsOwn} [options]
 * @returns {Promise<QueueStack>}
 */
async function startQueueStack(options = {}) {
	const services = await startQueueServices({ log: options.log });
	try {
		const q = await startQueueMode({
			...options,
			redis: services.redis,
			postgres: services.postgres,
		});
		return {
			...q,
			services,
			stop: async () => {
				try {
					await q.stop();
				} finally {
					await services.stop();
				}
			},
		};
	} catch (e) {
		await services.stop();
		throw e;
	}
}

module.exports = { startQueueStack, startQueueMode, queueEnv };
