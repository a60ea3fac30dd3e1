// For the client's safety tests: hostile endpoints (./test-server.cts answering with redirects, echoed
// keys, bombs, trickles, silence), bombs to send, and the probes the tests measure with (peak memory,
// live timers).
import zlib from 'node:zlib';

export { delay as sleep } from './system.cjs';
import { startTestServer, type TestServer, type TestServerHandler } from './test-server.cjs';

export {
	startTestServer as startHostileServer,
	type RecordedRequest as HostileRequest,
	type TestServer as HostileServer,
	type TestServerHandler as HostileHandler,
} from './test-server.cjs';

/** For a test file: `serve(handler)` starts a hostile server; every one is closed after each test. */
export function useHostileServers() {
	const servers: TestServer[] = [];
	afterEach(async () => {
		await Promise.all(servers.splice(0).map(async (s) => await s.close()));
	});
	return async (handler: TestServerHandler, options: { tls?: boolean } = {}) => {
		const server = await startTestServer(handler, options);
		servers.push(server);
		return server;
	};
}

/**
 * A gzip body that decodes to `prefix`, `unit` repeated to about `decodedBytes`, then `suffix`: gzip
 * members joined, so a gigabyte costs a few kilobytes to build.
 */
export function gzipBomb(prefix: string, unit: string, decodedBytes: number, suffix = ''): Buffer {
	const block = 16 * 1024 * 1024;
	const data = Buffer.from(unit.repeat(Math.ceil(block / unit.length)).slice(0, block));
	const member = zlib.gzipSync(data, { level: 9 });
	const parts = [zlib.gzipSync(Buffer.from(prefix))];
	for (let made = 0; made < decodedBytes; made += block) parts.push(member);
	parts.push(zlib.gzipSync(Buffer.from(suffix)));
	return Buffer.concat(parts);
}

export function compress(body: Buffer, encoding: 'gzip' | 'deflate' | 'br'): Buffer {
	if (encoding === 'gzip') return zlib.gzipSync(body);
	if (encoding === 'deflate') return zlib.deflateSync(body);
	return zlib.brotliCompressSync(body);
}

/** Runs `run` sampling resident memory every 5 ms: the highest growth over the level before, and the time. */
export async function measurePeak<T>(run: () => Promise<T>) {
	const before = process.memoryUsage().rss;
	let peak = before;
	const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 5);
	const started = Date.now();
	try {
		const result = await run();
		peak = Math.max(peak, process.memoryUsage().rss);
		return { result, peakGrowthBytes: peak - before, ms: Date.now() - started };
	} finally {
		clearInterval(sampler);
	}
}

/** Live timers in this process (setTimeout/setInterval handles not yet fired or cleared). */
export const activeTimers = () =>
	process.getActiveResourcesInfo().filter((name) => name === 'Timeout').length;
