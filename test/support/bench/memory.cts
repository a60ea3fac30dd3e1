// The memory rows: 4096×4096 edits through n8n-core's real execution code (the harness), each
// measurement in a process of its own; how much the node's execute() raises that process' peak resident
// memory, against the image's size. One edit in binary data mode filesystem, database and default
// (informational), five at once (Concurrency 5) in filesystem and database; with --memory-url also Result
// Format "binaryFromUrl" (informational). The simulator answers with a noise PNG as large as the input.
//
// Method (the child): warm up with as many small edits; read the big image; then, around the node's
// execute() only (not the harness' own input and output handling): gc(), note VmRSS, reset the peak
// (/proc/self/clear_refs = 5), run execute(), read VmHWM. growth = VmHWM − VmRSS at the start.
import fs from 'node:fs';
import path from 'node:path';

import type { INodeType } from 'n8n-workflow';

import { removeDir, ROOT, runProcess, tempDir } from '../system.cjs';
import { makePng } from '../simulator/png.cjs';
import { API_KEY } from './rows.cjs';
import { noisePng, type SimClient } from './sim-child.cjs';

type BinaryMode = 'filesystem' | 'database' | 'default';
/** `items`: edits in the one execution, at Concurrency = items; `targetRatio`: growth ÷ image size must
 * stay under it (none: informational); `optional`: only with --memory-url, or when named in --only. */
export type Measurement = { name: string; label: string; binaryMode: BinaryMode; items: number } & {
	resultFormat?: string;
	targetRatio?: number;
	optional?: boolean;
};
/** What the child measured (imageBytes: all the items' images; growthRatio: growth ÷ imageBytes), and
 * the simulator's most requests in flight at once (warm-up included). */
type Found = { name?: string; targetRatio?: number; maxInFlight?: number };
export type MemoryResult = Awaited<ReturnType<typeof childMain>> & Found;
type Job = { distDir: string; baseUrl: string; binaryMode: BinaryMode; items: number } & {
	bigPath: string;
	smallPath: string;
	resultFormat?: string;
};

export const MEMORY = 'memory';
type More = Partial<Measurement>;
const measurement = (name: string, binaryMode: BinaryMode, items: number, more = {} as More) => {
	const many = `${items} concurrent 4096×4096 edits (c=${items})`;
	const what = items === 1 ? 'one 4096×4096 edit' : many;
	const rf = more.resultFormat ? `, Result Format ${more.resultFormat}` : '';
	const info = more.targetRatio ? '' : ' (informational)';
	const label = `${what}, binary mode ${binaryMode}${rf}${info}`;
	return { name, label, binaryMode, items, ...more } as Measurement;
};
export const MEASUREMENTS: Measurement[] = [
	measurement('mem-fs', 'filesystem', 1, { targetRatio: 1.5 }),
	measurement('mem-db', 'database', 1, { targetRatio: 1.5 }),
	measurement('mem-default', 'default', 1),
	measurement('mem-fs-x5', 'filesystem', 5, { targetRatio: 1.5 }),
	measurement('mem-db-x5', 'database', 5, { targetRatio: 1.5 }),
	measurement('mem-fs-url', 'filesystem', 1, { resultFormat: 'binaryFromUrl', optional: true }),
	measurement('mem-default-url', 'default', 1, { resultFormat: 'binaryFromUrl', optional: true }),
];

/** The measurement a saved result belongs to: by name, or (older runs) by mode, format and items. */
export const measurementOf = (r: MemoryResult) =>
	MEASUREMENTS.find((m) =>
		r.name
			? m.name === r.name
			: m.binaryMode === r.binaryMode &&
				(m.resultFormat ?? 'binary') === (r.resultFormat || 'binary') &&
				m.items === (r.items ?? 1),
	);

type MemoryContext = { sim: SimClient; simBaseUrl: string; distDir: string; log: Log };
type Log = (m: string) => void;
/** Runs the measurements one after the other against the simulator (latency 0). */
export async function measureMemory(ctx: MemoryContext, list: Measurement[]) {
	const { sim, log } = ctx;
	const dir = tempDir('stepfun-bench-mem-');
	const results: MemoryResult[] = [];
	try {
		const bigPath = path.join(dir, 'big-4096.png');
		const smallPath = path.join(dir, 'small-256.png');
		log('memory: encoding a 4096×4096 noise PNG ...');
		fs.writeFileSync(bigPath, noisePng(4096, 4096));
		fs.writeFileSync(smallPath, makePng(256, 256, 'bench-small'));
		await sim.call('prewarm', [[4096, 4096]]);
		for (const m of list) {
			log(`memory: ${m.name}: ${m.label}, through the n8n-core harness ...`);
			await sim.call('reset'); // a fresh request log (reset() also restores the start latency)
			await sim.call('setFaults', { latencyMs: 0 });
			const { binaryMode, resultFormat, items } = m;
			const where = { distDir: ctx.distDir, baseUrl: ctx.simBaseUrl, bigPath, smallPath };
			const job: Job = { ...where, binaryMode, resultFormat, items };
			const r: MemoryResult = { name: m.name, ...(await child(job)), targetRatio: m.targetRatio };
			r.maxInFlight = (await sim.call('stats')).maxInFlight;
			const target = r.targetRatio ? ` (target ≤ ${r.targetRatio}×)` : '';
			const growth = `${(r.growthBytes / 2 ** 20).toFixed(0)} MB = ${r.growthRatio.toFixed(2)}×`;
			log(`${m.name}: growth ${growth} the image${target}`);
			results.push(r);
		}
	} finally {
		removeDir(dir);
	}
	return results;
}

/** One measurement in a process of its own (this file, with --expose-gc); what it printed. */
async function child(job: Job): Promise<MemoryResult> {
	const args = [...process.execArgv, '--expose-gc', __filename, 'memory-child'];
	args.push(JSON.stringify(job));
	const options = { cwd: ROOT, check: true, timeoutMs: 600000, label: 'memory child' };
	const { stdout } = await runProcess(process.execPath, args, options);
	return JSON.parse(stdout.trim().split('\n').pop() ?? '');
}

function status() {
	const s = fs.readFileSync('/proc/self/status', 'utf8');
	const kb = (key: string) => Number(new RegExp(`${key}:\\s+(\\d+)\\s+kB`).exec(s)?.[1]) * 1024;
	return { rss: kb('VmRSS'), hwm: kb('VmHWM') };
}

async function childMain(job: Job) {
	// Required here, not at the top: the parent process never loads n8n-core.
	const harness: typeof import('../harness/index.cjs') = require('../harness/index.cjs');
	const built = (file: string) => require(path.join(job.distDir, file));
	const { StepFunImage } = built('nodes/StepFunImage/StepFunImage.node.js');
	const { StepPlanApi } = built('credentials/StepPlanApi.credentials.js');
	const gc = () => (global as { gc?: () => void }).gc!();
	const node: INodeType = new StepFunImage();
	const execute = node.execute!;
	type Window = { rssBefore: number; hwmAfter: number; ms: number };
	const measured: { on?: boolean; window?: Window } = {};
	node.execute = async function (this: ThisParameterType<typeof execute>) {
		if (!measured.on) return await execute.call(this);
		gc();
		gc();
		const before = status();
		fs.writeFileSync('/proc/self/clear_refs', '5');
		const started = Date.now();
		const out = await execute.call(this);
		measured.window = { rssBefore: before.rss, hwmAfter: status().hwm, ms: Date.now() - started };
		return out;
	};
	const edit = async (bytes: Buffer, fileName: string) => {
		const options = {
			...(job.items > 1 ? { concurrency: job.items } : {}),
			...(job.resultFormat ? { resultFormat: job.resultFormat } : {}),
		};
		const binary = { data: { data: bytes, mimeType: 'image/png', fileName } };
		const stepPlanApi = { apiKey: API_KEY, endpoint: 'custom', baseUrl: job.baseUrl };
		const parameters = { operation: 'edit', prompt: 'make it brighter', options };
		const items = Array.from({ length: job.items }, () => ({ json: {}, binary }));
		const credentialTypes = [new StepPlanApi()];
		const run = { node, credentialTypes, credentials: { stepPlanApi }, parameters, items };
		const res = await harness.runNode({ ...run, binaryMode: job.binaryMode });
		if (res.error) throw res.error;
		return res;
	};
	await edit(fs.readFileSync(job.smallPath), 'small.png');
	const big = fs.readFileSync(job.bigPath);
	measured.on = true;
	const res = await edit(big, 'big.png');
	if (!measured.window) throw new Error("the node's execute() did not run");
	const { rssBefore, hwmAfter, ms } = measured.window;
	const count = `${res.items.length} output items, not ${job.items}`;
	if (res.items.length !== job.items) throw new Error(count);
	const failed = res.items.find((item) => item.json.error);
	if (failed) throw new Error(`an item failed: ${JSON.stringify(failed.json.error)}`);
	const imageBytes = big.length * job.items;
	harness.cleanup();
	const sizes = res.items.map((it) => it.binary?.data?.buffer?.length ?? 0);
	const outputBytes = sizes.reduce((sum, size) => sum + size, 0);
	const [resultFormat, outputWidth] = [job.resultFormat ?? 'binary', res.items[0].json.width];
	const { binaryMode, items } = job;
	return {
		...{ binaryMode, resultFormat, items, imageBytes, outputBytes },
		...{ outputWidth: (outputWidth as number) ?? null, rssBeforeBytes: rssBefore },
		...{ peakBytes: hwmAfter },
		...{ growthBytes: hwmAfter - rssBefore, growthRatio: (hwmAfter - rssBefore) / imageBytes },
		...{ executeMs: ms, node: process.version },
	};
}

if (require.main === module && process.argv[2] === 'memory-child') {
	const print = (record: unknown) => {
		process.stdout.write(`${JSON.stringify(record)}\n`);
		process.exit(0);
	};
	const failed = (error: unknown) => {
		process.stderr.write(`${(error as Error)?.stack ?? error}\n`);
		process.exit(1);
	};
	childMain(JSON.parse(process.argv[3])).then(print, failed);
}
