// The printed report: the conditions, one table per group of rows, the memory table, and the targets,
// each PASS, MISS, NOT RUN or INFO with the figures behind it (targets.cts); the --json file of a run,
// and --render of one.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { measurementOf, type MemoryResult } from './memory.cjs';
import { LIMIT } from './rows.cjs';
import { fmt, secs, type RowResult } from './score.cjs';
import { targets, type Target } from './targets.cjs';

export type ReportOptions = { version: string; latencyMs: number } & Record<Counts, number>;
type Counts = 'items' | 'limitedItems';
export type ReportEnv = { n8nNode: string; loadStart?: number; loadEnd?: number };

const MB = 1024 * 1024;
const mb = (bytes: number, digits = 0) => fmt(bytes / MB, digits);

/** Columns: [title, value, left-aligned]. */
function table<T>(rows: T[], columns: Array<[string, (row: T) => unknown, boolean?]>): string {
	const cells = rows.map((r) => columns.map(([, get]) => String(get(r))));
	const widths = columns.map(([t], i) => Math.max(t.length, ...cells.map((row) => row[i].length)));
	const line = (values: string[]) =>
		values.map((v, i) => (columns[i][2] ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
	const rule = widths.map((w) => '-'.repeat(w)).join('  ');
	return [line(columns.map(([t]) => t)), rule, ...cells.map(line)].join('\n');
}

// prettier-ignore
const rowTable = (rows: RowResult[]) => table(rows, [
	['scenario', (r) => r.name, true],
	['what', (r) => r.label, true],
	['N', (r) => r.items],
	['wall s', (r) => (r.wallMs === undefined ? 'ERR' : secs(r.wallMs, 2))],
	['items/s', (r) => fmt(r.itemsPerSec, 2)],
	['ideal s', (r) => secs(r.idealMs)],
	['ratio', (r) => (r.ratio === undefined ? '—' : `${fmt(r.ratio, 2)}×`)],
	['% rate', (r) => (r.pctOfAllowedRate === undefined ? '' : `${fmt(r.pctOfAllowedRate, 0)}%`)],
	['lost', (r) => r.lost ?? '—'],
	['requests', (r) => (r.kind === 'none' ? '—' : `${r.requests} (${r.rejected429})`)],
	['peak MB', (r) => fmt(r.peakMemMb, 0)],
	['ovh ms/item', (r) => fmt(r.overheadMsPerItem)],
]);

// prettier-ignore
const memoryTable = (results: MemoryResult[]) => table(results, [
	['row', (m) => measurementOf(m)?.name ?? '—', true],
	['binary mode', (m) => m.binaryMode, true],
	['result format', (m) => m.resultFormat || 'binary', true],
	['edits', (m) => m.items ?? 1],
	['in flight', (m) => m.maxInFlight ?? '—'],
	['image MB', (m) => mb(m.imageBytes, 1)],
	['output MB', (m) => mb(m.outputBytes ?? 0, 1)],
	['RSS before MB', (m) => mb(m.rssBeforeBytes)],
	['peak MB', (m) => mb(m.peakBytes)],
	['growth MB', (m) => mb(m.growthBytes)],
	['growth ÷ image', (m) => `${fmt(m.growthRatio, 2)}×`],
	['target', (m) => (measurementOf(m)?.targetRatio ? `≤ ${measurementOf(m)?.targetRatio}×` : 'info'), true],
	['execute s', (m) => secs(m.executeMs)],
]);

function groupTitle(group: string, latencyMs: number): string {
	if (group === 'queue-shared') {
		const burst = 'first call sent → last answer received, per burst';
		const workers =
			'main + 2 workers sharing one account, each worker at the default Concurrency 5';
		return `Queue mode: ${workers}, L = 1000 ms; wall = the bursts added up (${burst}), ideal = their floors added up`;
	}
	const limit = `${LIMIT.maxConcurrent} concurrent, ${LIMIT.rpm} RPM`;
	const titles: Record<string, string> = {
		unlimited: 'No rate limit',
		limited: `New-account limit (${limit})`,
		burst: `Burst of webhook calls at once, one item per execution, under the new-account limit (${limit})`,
		'limited-long': `New-account limit (${limit}), one long execution`,
		variants: 'Number of Images: every image its own request, no rate limit',
	};
	const notes: Record<string, string> = {
		burst: '; wall = first call sent → last answer received (at the caller), peak = the n8n server',
		variants: '; ideal = ⌈requests ÷ concurrency⌉ · L',
	};
	return `${titles[group] ?? group}, L = ${latencyMs} ms${notes[group] ?? ''}`;
}

type Memory = MemoryResult[] | null;
export function report(results: RowResult[], memory: Memory, opts: ReportOptions, env: ReportEnv) {
	const cores = `${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM`;
	const limit = `${LIMIT.maxConcurrent} concurrent, ${LIMIT.rpm} RPM sliding 60 s window, 429 beyond it, no Retry-After unless noted`;
	const lines = [
		`StepFun Image node benchmark — n8n ${opts.version} (Node ${env.n8nNode}), bench/harness Node ${process.version}, ${cores}`,
		`Simulator latency L = ${opts.latencyMs} ms per request; N = ${opts.items} items (no limit), ${opts.limitedItems} items under the new-account limit (${limit})`,
		"wall = the node's own executionTime from n8n's run data; ideal = ceil(N/c)·L, or the rate limit's floor; overhead/item = (wall − ideal)/N;",
		'peak = VmHWM of the `n8n execute` process (includes n8n itself: see the baseline row); requests = API requests the simulator received (429s in brackets).',
	];
	if (env.loadStart) {
		const [start, end] = [env.loadStart.toFixed(2), (env.loadEnd ?? os.loadavg()[0]).toFixed(2)];
		const load = `Machine load (1-min load average): ${start} at start, ${end} at the end`;
		lines.push(`${load} — other processes on the machine compete for the 2 cores.`);
	}
	lines.push('');
	for (const group of new Set(results.map((r) => r.group))) {
		const rows = results.filter((r) => r.group === group);
		lines.push(groupTitle(group, opts.latencyMs), rowTable(rows), '');
	}
	for (const r of results) {
		const notes = [r.error, r.sampleError && `first failed item: ${r.sampleError}`].filter(Boolean);
		if (notes.length) lines.push(`note ${r.name}: ${notes.join('; ')}`);
	}
	if (results.some((r) => r.error || r.sampleError)) lines.push('');
	if (memory?.length) {
		const trips =
			'4096×4096 edit round trips (n8n-core harness, simulator in another process, noise PNG)';
		lines.push(`${trips}; image MB = all the edits' inputs together`, memoryTable(memory), '');
	}
	const all = targets(results, memory);
	lines.push('Targets', ...all.map((x) => `  ${x.status.padEnd(7)} ${x.text}`));
	return { text: lines.join('\n'), targets: all };
}

type Saved = { command: string; opts: ReportOptions; env: ReportEnv; results: RowResult[] };
type Figures = { memory: Memory; targets: Target[]; text: string };

/** Everything measured, the conditions and the printed table, as --json writes it. */
export function writeResults(file: string, saved: Saved & Figures) {
	const { command, opts, env, results, memory, targets: t, text } = saved;
	const [cpus, totalMemGiB, benchNode] = [os.cpus(), os.totalmem() / 2 ** 30, process.version];
	const machine = { cores: cpus.length, cpu: cpus[0]?.model, totalMemGiB, benchNode };
	Object.assign(machine, { n8nNode: env.n8nNode });
	const loadAvg1 = { start: env.loadStart, end: os.loadavg()[0] };
	const doc = {
		...{ date: new Date().toISOString(), command, loadAvg1 },
		...{ machine, n8nVersion: opts.version, latencyMs: opts.latencyMs, items: opts.items },
		...{ limitedItems: opts.limitedItems, limit: LIMIT, results, memory, targets: t, table: text },
	};
	fs.mkdirSync(path.dirname(file), { recursive: true });
	fs.writeFileSync(file, JSON.stringify(doc, null, 2));
}

/** The report of an earlier --json run, with its command. */
export function renderResults(file: string): string {
	const j = JSON.parse(fs.readFileSync(file, 'utf8'));
	for (const r of (j.results as RowResult[]).filter((r) => (r.lost ?? 0) > 0)) {
		delete r.pctOfAllowedRate;
		delete r.overheadMsPerItem;
	}
	const { n8nVersion: version, latencyMs, items, limitedItems } = j;
	const opts = { version, latencyMs, items, limitedItems };
	const { start: loadStart, end: loadEnd } = j.loadAvg1 ?? {};
	const env = { n8nNode: j.machine.n8nNode, loadStart, loadEnd };
	return `${report(j.results, j.memory, opts, env).text}\n\nCommand: ${j.command}\n`;
}
