// Hostile endpoints, part 2: every request is bounded in time (body included), in bytes (after
// decompression) and in attempts, and a cancel leaves nothing running.
import { makePng } from '../../../support/simulator/png.cjs';
import {
	activeTimers,
	compress,
	gzipBomb,
	measurePeak,
	sleep,
	useHostileServers,
} from '../../../support/hostile.cjs';
import type { HostileHandler, HostileServer as Server } from '../../../support/hostile.cjs';
import { runStepFunAt } from '../../../support/stepfun.cjs';

const KEY = 'sk-hostile-bounds-key';
const GEN = { operation: 'generate', prompt: 'a quiet harbour' };
const IMAGE = makePng(40, 30);
const MiB = 1024 * 1024;
const imageJson = () =>
	JSON.stringify({ data: [{ b64_json: IMAGE.toString('base64'), finish_reason: 'success' }] });

const serve = useHostileServers();

describe('time: the Timeout covers each attempt to its last body byte', () => {
	it.each<[string, (server: Server) => HostileHandler]>([
		[
			'headers, then silence',
			() => (_req, res) => {
				res.writeHead(200, { 'Content-Type': 'application/json' });
				res.flushHeaders();
			},
		],
		[
			'a body trickled one byte at a time',
			(server) => (_req, res) => {
				res.writeHead(200, { 'Content-Type': 'application/json' });
				res.write('{');
				server.every(100, () => {
					if (!res.destroyed) res.write(' ');
					return !res.destroyed;
				});
			},
		],
		[
			'an error body that never ends',
			(server) => (_req, res) => {
				res.writeHead(500, { 'Content-Type': 'text/plain' });
				server.every(50, () => {
					if (!res.destroyed) res.write('x'.repeat(10));
					return !res.destroyed;
				});
			},
		],
	])('%s: the item fails as a timeout within the Timeout', async (_name, handler) => {
		const api = await serve(() => undefined);
		api.setHandler(handler(api));
		const started = Date.now();
		const result = await runStepFunAt(`${api.url}/v1`, KEY, {
			...GEN,
			options: { timeout: 1, maxRetries: 1 },
		});
		const elapsed = Date.now() - started;
		expect(result.error?.message).toBe('The StepFun API did not answer in time [item 0]');
		expect(result.error?.description).toMatch(/Gave up after 2 attempts/);
		expect(api.requests).toHaveLength(2);
		// Two attempts of 1 s and one retry wait of 1–2 s; a trickle would otherwise never end.
		expect(elapsed).toBeGreaterThanOrEqual(2900);
		expect(elapsed).toBeLessThan(8000);
	});

	it.each(['0', '-5', 'Wed, 21 Oct 2015 07:28:00 GMT', 'soon'])(
		'Retry-After: %s starts no retry storm: every wait is at least a second, within Max Rate-Limit Wait',
		async (retryAfter) => {
			const api = await serve((_req, res) => {
				res.writeHead(429, { 'Retry-After': retryAfter, 'Content-Type': 'application/json' });
				res.end('{"error":{"message":"slow down","type":"rate_limit_exceeded"}}');
			});
			const started = Date.now();
			const result = await runStepFunAt(`${api.url}/v1`, KEY, {
				...GEN,
				options: { rateLimitWait: 3 },
			});
			expect(result.error?.message).toBe('StepFun rate limit reached (HTTP 429) [item 0]');
			// At most one request per second of budget, plus the first one.
			expect(api.requests.length).toBeGreaterThanOrEqual(2);
			expect(api.requests.length).toBeLessThanOrEqual(4);
			expect(Date.now() - started).toBeLessThan(6000);
		},
	);

	it('a Timeout beyond what a timer holds is clamped, not turned into 1 ms', async () => {
		const api = await serve(async (_req, res) => {
			await sleep(300);
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end(imageJson());
		});
		const result = await runStepFunAt(`${api.url}/v1`, KEY, {
			...GEN,
			options: { timeout: 3e9, rateLimitWait: 1e12 },
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].binary?.data.buffer.equals(IMAGE)).toBe(true);
		expect(api.requests).toHaveLength(1);
	});

	it('cancelling during a long Retry-After wait stops at once and leaves no timer behind', async () => {
		const api = await serve((_req, res) => {
			res.writeHead(429, { 'Retry-After': '120' });
			res.end();
		});
		const before = activeTimers();
		const controller = new AbortController();
		const run = runStepFunAt(`${api.url}/v1`, KEY, GEN, { signal: controller.signal });
		while (api.requests.length === 0) await sleep(20);
		await sleep(200);
		const started = Date.now();
		controller.abort();
		const result = await run;
		expect(Date.now() - started).toBeLessThan(1000);
		expect(result.canceled).toBe(true);
		expect(api.requests).toHaveLength(1);
		await sleep(50);
		expect(activeTimers()).toBeLessThanOrEqual(before);
	});
});

describe('bytes: answers are capped after decompression', () => {
	it.each(['gzip', 'deflate', 'br'] as const)(
		'a %s-encoded answer is read correctly, once, and not mistaken for a truncated one',
		async (encoding) => {
			const body = compress(Buffer.from(imageJson()), encoding);
			const api = await serve((_req, res) => {
				res.writeHead(200, {
					'Content-Type': 'application/json',
					'Content-Encoding': encoding,
					'Content-Length': body.length,
				});
				res.end(body);
			});
			const result = await runStepFunAt(`${api.url}/v1`, KEY, GEN);
			expect(result.error).toBeUndefined();
			expect(result.items[0].binary?.data.buffer.equals(IMAGE)).toBe(true);
			expect(api.requests).toHaveLength(1);
		},
	);

	it('a gzip bomb inside the image value stops at the cap with bounded memory', async () => {
		// ~2 MB on the wire, 1 GiB of base64 once decompressed: a PNG whose data chunk announces
		// 2 GiB, so the image check keeps reading (42 bytes: whole base64 groups, no padding).
		const start = Buffer.concat([
			IMAGE.subarray(0, 33),
			Buffer.from([0x7f, 0xff, 0xff, 0xff]),
			Buffer.from('IDAT'),
			Buffer.alloc(1),
		]).toString('base64');
		const bomb = gzipBomb(`{"data":[{"b64_json":"${start}`, 'AAAA', 1024 * MiB, '"}]}');
		expect(bomb.length).toBeLessThan(4 * MiB);
		const api = await serve((_req, res) => {
			res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
			res.end(bomb);
		});
		const { result, peakGrowthBytes } = await measurePeak(
			async () => await runStepFunAt(`${api.url}/v1`, KEY, GEN),
		);
		expect(result.error?.message).toBe(
			'Unusable response from the StepFun API: the answer is larger than 128 MiB (counted after decompression), the most this node accepts [item 0]',
		);
		expect(api.requests).toHaveLength(1);
		// The cap (128 MiB of base64 → 96 MiB decoded) plus working space; unbounded was 3.9 GB.
		expect(peakGrowthBytes).toBeLessThan(400 * MiB);
	});

	it('a gzip bomb of JSON text around the images stops at 1 MiB of text', async () => {
		const bomb = gzipBomb('{"pad":"', '    ', 1024 * MiB, '"}');
		const api = await serve((_req, res) => {
			res.writeHead(200, { 'Content-Type': 'application/json', 'Content-Encoding': 'gzip' });
			res.end(bomb);
		});
		const { result, peakGrowthBytes } = await measurePeak(
			async () => await runStepFunAt(`${api.url}/v1`, KEY, GEN),
		);
		expect(result.error?.message).toMatch(/JSON around the image is larger than 1 MiB/);
		expect(peakGrowthBytes).toBeLessThan(100 * MiB);
	});

	it('a result URL announcing 4 GiB reserves nothing and fails at once', async () => {
		const files = await serve((_req, res) => {
			res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': 4 * 1024 * MiB });
			res.write(IMAGE.subarray(0, 16));
		});
		const api = await serve((_req, res) => {
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify({ data: [{ url: `${files.url}/big.png` }] }));
		});
		const { result, peakGrowthBytes, ms } = await measurePeak(
			async () =>
				await runStepFunAt(`${api.url}/v1`, KEY, {
					...GEN,
					options: { resultFormat: 'binaryFromUrl' },
				}),
		);
		expect(result.error?.message).toBe(
			`Could not download the generated image from 127.0.0.1:${files.port}: the answer announces 4096 MiB (Content-Length), more than the 128 MiB this node accepts [item 0]`,
		);
		expect(files.requests).toHaveLength(1);
		expect(peakGrowthBytes).toBeLessThan(64 * MiB);
		expect(ms).toBeLessThan(5000);
	});

	it('a result download that never stops stops at the cap', async () => {
		const chunk = Buffer.alloc(MiB, 7);
		const files = await serve((_req, res) => {
			res.writeHead(200, { 'Content-Type': 'image/png' });
			// A valid start (signature, IHDR) and an IDAT chunk announcing 2 GiB of data.
			res.write(
				Buffer.concat([
					IMAGE.subarray(0, 33),
					Buffer.from([0x7f, 0xff, 0xff, 0xff]),
					Buffer.from('IDAT'),
				]),
			);
			const pump = () => {
				while (!res.destroyed && res.write(chunk));
				if (!res.destroyed) res.once('drain', pump);
			};
			pump();
		});
		const api = await serve((_req, res) => {
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify({ data: [{ url: `${files.url}/endless.png` }] }));
		});
		const { result, peakGrowthBytes } = await measurePeak(
			async () =>
				await runStepFunAt(`${api.url}/v1`, KEY, {
					...GEN,
					options: { resultFormat: 'binaryFromUrl', timeout: 60 },
				}),
		);
		expect(result.error?.message).toMatch(
			/the answer is larger than 128 MiB \(counted after decompression\)/,
		);
		expect(files.requests).toHaveLength(1);
		expect(peakGrowthBytes).toBeLessThan(400 * MiB);
	});

	it('a compressed result download is read correctly', async () => {
		const body = compress(IMAGE, 'gzip');
		const files = await serve((_req, res) => {
			res.writeHead(200, { 'Content-Encoding': 'gzip', 'Content-Length': body.length });
			res.end(body);
		});
		const api = await serve((_req, res) => {
			res.writeHead(200, { 'Content-Type': 'application/json' });
			res.end(JSON.stringify({ data: [{ url: `${files.url}/i.png` }] }));
		});
		const result = await runStepFunAt(`${api.url}/v1`, KEY, {
			...GEN,
			options: { resultFormat: 'binaryFromUrl' },
		});
		expect(result.error).toBeUndefined();
		expect(result.items[0].binary?.data.buffer.equals(IMAGE)).toBe(true);
		expect(files.requests).toHaveLength(1);
	});
});
