// The simulator in a process of its own, driven over IPC, so its CPU and memory count neither in the
// benchmark nor in n8n. A real API renders images on its own servers, within its latency; rendering a
// fresh PNG per answer here (~60 ms at 256×256, ~110 ms at 1024×1024) would queue on the same 2 cores
// and add up to a second per round of 10 answers. So each size's image is rendered once and reused
// (still realistic and poorly compressible); above 1024×1024 (the memory rows) it is noise, as large
// as the input, as a photo's edit would be.
import { fork, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';

import { encodePngFromScanlines, makePng } from '../simulator/png.cjs';
import { startSimulator, type Simulator, type SimulatorOptions } from '../simulator/index.cjs';

/** Random RGB pixels as a PNG: a photo's noise, as deflate sees it (close to incompressible). */
export function noisePng(width: number, height: number, level = 1): Buffer {
	const stride = 1 + width * 3;
	const raw = crypto.randomBytes(stride * height);
	for (let y = 0; y < height; y++) raw[y * stride] = 0; // filter byte 0 on every scanline
	return encodePngFromScanlines(width, height, raw, level);
}

export interface SimClient {
	child: ChildProcess;
	/** Runs one of the child's handlers. */
	call(command: 'start', options: SimulatorOptions): Promise<{ stepPlanBaseUrl: string }>;
	call(command: 'setFaults', faults: SimulatorOptions): Promise<unknown>;
	call(command: 'prewarm', sizes: Array<[number, number]>): Promise<unknown>;
	call(command: 'reset' | 'stats' | 'requests' | 'close'): Promise<any>;
}

/** The benchmark's side: the child started (with this process's TypeScript loader) and its calls. */
export function startSimChild(): SimClient {
	const child = fork(__filename, ['sim-child'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
	const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
	let nextId = 1;
	child.on('message', (m: { id: number; result?: unknown; error?: string }) => {
		const p = pending.get(m.id);
		pending.delete(m.id);
		if (m.error) p?.reject(new Error(`simulator: ${m.error}`));
		else p?.resolve(m.result);
	});
	child.on('exit', (code) => {
		for (const p of pending.values()) p.reject(new Error(`simulator process exited (${code})`));
		pending.clear();
	});
	process.on('exit', () => child.kill('SIGKILL'));
	const call = (command: string, args?: unknown) =>
		new Promise<any>((resolve, reject) => {
			const id = nextId++;
			pending.set(id, { resolve, reject });
			child.send({ id, command, args });
		});
	return { child, call };
}

function serve(): void {
	const memo = new Map<string, Buffer>();
	const render = (width: number, height: number, _key?: string, level = 1) => {
		const k = `${width}x${height}x${level}`;
		if (!memo.has(k))
			memo.set(
				k,
				width * height > 1024 * 1024
					? noisePng(width, height, level)
					: makePng(width, height, 'stepfun-bench-output', level),
			);
		return memo.get(k)!;
	};
	let sim: Simulator | undefined;
	const running = () => {
		if (!sim) throw new Error('the simulator is not started');
		return sim;
	};
	const handlers: Record<string, (args: any) => unknown> = {
		start: async (options: SimulatorOptions) => {
			sim = await startSimulator({ ...options, renderImage: render });
			return { stepPlanBaseUrl: sim.stepPlanBaseUrl };
		},
		reset: () => running().reset(),
		setFaults: (faults: SimulatorOptions) => ({
			...running().setFaults(faults),
			script: undefined,
		}),
		stats: () => running().stats(),
		/** The API requests so far, in arrival order, as the rows check them (no bodies). */
		requests: () =>
			running()
				.apiRequests()
				.map((r) => {
					const seed = r.json
						? r.json.seed
						: r.fields.seed === undefined
							? undefined
							: Number(r.fields.seed);
					const prompt = r.json ? r.json.prompt : r.fields.prompt;
					const { route, status, traceId, seedUsed, receivedAt, finishedAt } = r;
					return {
						route,
						status,
						traceId,
						prompt,
						seed,
						seedUsed,
						uploadSha256: r.files[0]?.sha256,
						receivedAt,
						finishedAt,
					};
				}),
		prewarm: (sizes: Array<[number, number]>) => sizes.forEach(([w, h]) => render(w, h)),
		close: async () => {
			await sim?.close();
			setImmediate(() => process.exit(0));
		},
	};
	process.on('message', async (m: { id: number; command: string; args: unknown }) => {
		try {
			const handler = handlers[m.command];
			if (!handler) throw new Error(`unknown command ${m.command}`);
			process.send!({ id: m.id, result: (await handler(m.args)) ?? true });
		} catch (error) {
			process.send!({ id: m.id, error: String((error as Error)?.stack ?? error) });
		}
	});
	process.on('disconnect', () => process.exit(0));
}

if (require.main === module && process.argv[2] === 'sim-child') serve();
