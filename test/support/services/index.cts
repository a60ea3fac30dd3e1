// Services the real-n8n suites need beside n8n, each a throw-away child process on a free loopback port:
// Redis (redis.cts) and PostgreSQL (postgres.cts), for n8n's queue mode (../n8n/queue.cts).
import { startPostgres, type PostgresService } from './postgres.cjs';
import { ensureRedisServer, startRedis, type RedisService } from './redis.cjs';

export interface QueueServices {
	redis: RedisService;
	postgres: PostgresService;
	/** Both, whatever state they are in. */
	stop(): Promise<void>;
}

/** Redis and Postgres, both or neither. */
export async function startQueueServices({
	log = (_m: string) => {},
} = {}): Promise<QueueServices> {
	ensureRedisServer(log); // first: a missing redis-server is installed or reported before anything starts
	const [redis, postgres] = await Promise.allSettled([startRedis({ log }), startPostgres({ log })]);
	if (redis.status === 'rejected' || postgres.status === 'rejected') {
		if (redis.status === 'fulfilled') await redis.value.stop();
		if (postgres.status === 'fulfilled') await postgres.value.stop();
		throw redis.status === 'rejected' ? redis.reason : (postgres as PromiseRejectedResult).reason;
	}
	const stop = async () => void (await Promise.all([redis.value.stop(), postgres.value.stop()]));
	return { redis: redis.value, postgres: postgres.value, stop };
}
