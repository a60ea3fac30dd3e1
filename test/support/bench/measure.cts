// Measuring the rows in one real n8n (filesystem binary data, the node from the dist copy), every
// row's workflow imported at once: `n8n execute` (wall = the measured node's executionTime, peak =
// the process' VmHWM), a webhook burst at a running server, or queue-mode stacks of their own
// (bursts.cts).
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { createInstance, type N8nInstance, type N8nRun } from '../n8n/index.cjs';
import { removeDir, tempDir } from '../system.cjs';
import { runBurst, runQueue } from './bursts.cjs';
import { API_KEY, delivered, LIMIT, TARGET, workflowFor, type Row } from './rows.cjs';
import { idealFor, result, score, watchPeak, type Context, type RowResult } from './score.cjs';
import { checkVariants } from './variants.cjs';

/** Preloaded into `n8n execute`: its VmHWM at exit, which polling can miss. */
const HWM_PRELOAD = `process.on('exit', () => { try {
	const fs = require('fs');
	const m = /VmHWM:\\s+(\\d+)\\s+kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
	const file = require('path').join(process.env.BENCH_HWM_DIR, process.pid + '.json');
	fs.writeFileSync(file, JSON.stringify({ hwmKb: m && Number(m[1]) }));
} catch {} });`;

async function executeMeasured(inst: N8nInstance, workflowId: string) {
	const dir = tempDir('stepfun-bench-hwm-');
	fs.writeFileSync(path.join(dir, 'preload.js'), HWM_PRELOAD);
	const env = { NODE_OPTIONS: `--require ${path.join(dir, 'preload.js')}`, BENCH_HWM_DIR: dir };
	let pid: number | undefined;
	const stopWatch = watchPeak(() => pid, 100);
	const started = Date.now();
	const onStart = (p: { child: { pid?: number } }) => (pid = p.child.pid);
	const outcome = await inst.execute(workflowId, { timeoutMs: 15 * 60 * 1000, env, onStart }).then(
		(run) => ({ run, failure: undefined as unknown }),
		(error: { run?: N8nRun }) => ({ run: error.run, failure: error as unknown }),
	);
	const processMs = Date.now() - started;
	let peak = stopWatch() ?? 0;
	const file = path.join(dir, `${pid}.json`);
	if (fs.existsSync(file))
		peak = Math.max(peak, JSON.parse(fs.readFileSync(file, 'utf8')).hwmKb / 1024);
	removeDir(dir);
	return { ...outcome, processMs, peakMemMb: peak || null };
}

async function runExecute(inst: N8nInstance, ctx: Context, row: Row, id: string, png: Buffer) {
	const { sim, opts } = ctx;
	await sim.call('reset');
	const limit = row.limited ? { ...LIMIT, retryAfter: Boolean(row.retryAfter) } : {};
	await sim.call('setFaults', { latencyMs: opts.latencyMs, ...limit });
	const { run, failure, processMs, peakMemMb } = await executeMeasured(inst, id);
	const r = result(row, opts.latencyMs, await sim.call('stats'), processMs, peakMemMb);
	const runData = run?.data?.resultData?.runData;
	const measured = runData?.[row.kind === 'none' ? 'Make Items' : TARGET]?.[0];
	if (!measured) {
		r.error = failure instanceof Error ? failure.message.split('\n')[0] : 'node did not run';
		return r;
	}
	r.error = measured.error?.message;
	r.wallMs = measured.executionTime;
	if (row.kind === 'none' || r.wallMs === undefined) return r;
	const out = measured.data?.main?.[0] ?? [];
	if (row.kind === 'variants') {
		const upload =
			row.op === 'edit' ? crypto.createHash('sha256').update(png).digest('hex') : undefined;
		r.variants = checkVariants(row, out, await sim.call('requests'), upload);
	}
	const failed = out.find((it) => it.json?.error)?.json.error;
	if (failed) r.sampleError = String(failed.message ?? failed).slice(0, 160);
	const wanted = row.n * (row.images ?? 1);
	score(r, r.wallMs, delivered(row, out), wanted, idealFor(row, opts.latencyMs));
	return r;
}

const summary = (r: RowResult) =>
	`${r.name}: wall ${r.wallMs === undefined ? '?' : (r.wallMs / 1000).toFixed(2)} s` +
	(r.ratio === undefined ? '' : `, ${r.ratio.toFixed(2)}× ideal`) +
	(r.lost === undefined ? '' : `, lost ${r.lost}`) +
	`, ${r.requests} requests (${r.rejected429} × 429), peak ${r.peakMemMb?.toFixed(0) ?? '?'} MB` +
	(r.error ? `, error: ${r.error}` : '');

/** The rows one after the other in one n8n instance; and the Node it ran on. */
export async function runRows(ctx: Context, rows: Row[], png: Buffer) {
	const { opts, log } = ctx;
	log(`n8n ${opts.version}: creating an instance (filesystem binary mode) ...`);
	const extensions = [ctx.distDir];
	const inst = await createInstance({
		version: opts.version,
		customExtensions: extensions,
		binaryDataMode: 'filesystem',
	});
	const results: RowResult[] = [];
	try {
		const n8nNode = execFileSync(path.join(inst.nodeBin, 'node'), ['-v']).toString().trim();
		const data = { apiKey: API_KEY, endpoint: 'custom', baseUrl: ctx.simBaseUrl };
		const [cred] = await inst.importCredentials([
			{ name: 'StepFun simulator', type: 'stepPlanApi', data },
		]);
		const b64 = png.toString('base64');
		const workflows = rows.map((row) => workflowFor(row, cred, ctx.simBaseUrl, b64));
		const ids = await inst.importWorkflows(workflows.filter((w) => w !== null));
		let next = 0;
		for (const [i, row] of rows.entries()) {
			const id = workflows[i] ? ids[next++] : '';
			const ideal = (idealFor(row, opts.latencyMs) / 1000).toFixed(1);
			log(`${row.name}: ${row.label}, N=${row.n} (ideal ${ideal} s) ...`);
			const queue = row.kind === 'queue' || row.kind === 'queue-shared';
			const burst = row.kind === 'burst-node' || row.kind === 'burst-http';
			const r = queue
				? await runQueue(inst, ctx, row, png)
				: burst
					? await runBurst(inst, ctx, row, id, png)
					: await runExecute(inst, ctx, row, id, png);
			results.push(r);
			log(summary(r));
		}
		return { results, n8nNode };
	} finally {
		await inst.cleanup();
	}
}
