// n8n in queue mode (2.x): a main (`n8n start`: editor, REST, webhooks; it enqueues every execution) and
// workers (`n8n worker`) that run them, sharing Redis and Postgres (../services), each process with its
// own user folder (as containers would), the same encryption key and custom extensions. Binary data
// stays at queue mode's default (`database`: ids start with "database:").
import { startQueueServices, type QueueServices } from '../services/index.cjs';
import { httpRequest } from '../http.cjs';
import { freePort, type EnvVars, type Proc } from '../system.cjs';
import { createInstance, type N8nInstance } from './instance.cjs';
import type { N8nServer } from './server.cjs';

export interface QueueWorker {
	number: number;
	inst: N8nInstance;
	proc: Proc;
	/** From spawn until /healthz/readiness answered 200. */
	readyMs: number;
	/** The executions it started ("Worker started execution <id>" in its log), in order. */
	executions(): string[];
}

export interface QueueStack {
	main: N8nInstance;
	/** The running main, logged in as the owner. */
	server: N8nServer;
	workers: QueueWorker[];
	services: QueueServices;
	/** Execution id → the number of the worker that ran it. */
	executionWorkers(): Map<string, number>;
	/** Workers (they finish their jobs first), the main, then Redis and Postgres. */
	stop(): Promise<void>;
}

export interface QueueOptions {
	version?: string;
	/** Default 2. */
	workers?: number;
	/** Jobs each worker runs at once (`--concurrency`), default 10. */
	workerConcurrency?: number;
	customExtensions?: string[];
	env?: EnvVars;
	log?: (message: string) => void;
	/** For each process to become ready, default 240000. */
	timeoutMs?: number;
}

async function startWorker(
	inst: N8nInstance,
	number: number,
	concurrency: number,
	timeoutMs: number,
): Promise<QueueWorker> {
	const healthPort = await freePort();
	const proc = inst.start(['worker', `--concurrency=${concurrency}`], {
		env: {
			QUEUE_HEALTH_CHECK_ACTIVE: 'true',
			QUEUE_HEALTH_CHECK_PORT: String(healthPort),
			N8N_WORKER_SERVER_ADDRESS: '127.0.0.1',
			N8N_RUNNERS_BROKER_PORT: String(await freePort()),
		},
	});
	const since = Date.now();
	const url = `http://127.0.0.1:${healthPort}/healthz/readiness`;
	const ready = async () =>
		(await httpRequest(url, { timeoutMs: 2000 }).catch(() => undefined))?.status === 200;
	await proc.waitFor(ready, { since, timeoutMs, what: () => `worker ${number}: ${url} not 200` });
	const executions = () =>
		[...proc.logs().matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]);
	return { number, inst, proc, readyMs: Date.now() - since, executions };
}

/** Redis and Postgres, the main (it runs the migrations), then the workers side by side. */
export async function startQueueStack(options: QueueOptions = {}): Promise<QueueStack> {
	const { version, workers: count = 2, workerConcurrency = 10, customExtensions = [] } = options;
	const { timeoutMs = 240000, log = () => {} } = options;
	const services = await startQueueServices({ log });
	const { redis, postgres } = services;
	const env: EnvVars = {
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
		N8N_DEFAULT_BINARY_DATA_MODE: undefined, // queue mode's default, not this process's
		...options.env,
	};
	const instances: N8nInstance[] = [];
	const stop = async () => {
		// Workers first: a worker stopping finishes its jobs, which report to the main.
		await Promise.all(instances.slice(1).map((i) => i.cleanup()));
		await instances[0]?.cleanup();
		await services.stop();
	};
	try {
		const instance = async () => {
			const inst = await createInstance({ version, customExtensions, env });
			instances.push(inst);
			return inst;
		};
		const main = await instance();
		const server = await main.startServer({ timeoutMs });
		log(`main ready on ${server.url} in ${server.readyMs} ms`);
		const insts = [];
		for (let i = 1; i <= count; i++) insts.push(await instance());
		const workers = await Promise.all(
			insts.map((inst, i) => startWorker(inst, i + 1, workerConcurrency, timeoutMs)),
		);
		for (const w of workers) log(`worker ${w.number} ready in ${w.readyMs} ms`);
		const executionWorkers = () =>
			new Map(workers.flatMap((w) => w.executions().map((id) => [id, w.number] as const)));
		return { main, server, workers, services, executionWorkers, stop };
	} catch (error) {
		await stop();
		throw error;
	}
}
