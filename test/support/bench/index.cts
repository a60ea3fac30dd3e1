// `npm run bench` (scripts/bench.cts): throughput, rate-limit behaviour and memory of the StepFun Image
// node, side by side with a sequential baseline and n8n's own HTTP Request node, in one real n8n
// against the simulator (a process of its own); recorded in BENCHMARKS.md.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { N8N_VERSION } from '../n8n/index.cjs';
import { makePng } from '../simulator/png.cjs';
import { ROOT } from '../system.cjs';
import { runRows } from './measure.cjs';
import type { RowResult } from './score.cjs';
import { MEASUREMENTS, MEMORY, measureMemory, type Measurement } from './memory.cjs';
import { renderResults, report, writeResults } from './report.cjs';
import { allRows, API_KEY } from './rows.cjs';
import { startSimChild } from './sim-child.cjs';

const HELP = `npm run bench — throughput, rate-limit behaviour and memory of the StepFun Image node, side by side with a
sequential baseline and n8n's own HTTP Request node, in one real n8n (${N8N_VERSION}) against the simulator.

  npm run bench -- [--items 60] [--latency-ms 1500] [--limited-items 20] [--only a,b,...]
                        [--memory-only] [--memory-url] [--json out.json] [--n8n-version ${N8N_VERSION}] [--list]
                        [--render out.json]   (re-print the table of an earlier --json run)

--only takes scenario names (see --list) and their groups (\`unlimited\`, \`limited\`, \`burst\`, \`limited-long\`, \`variants\`, \`queue\`,
\`queue-shared\`, \`memory\`), e.g. --only burst-node,burst-http or --only mem-db,mem-db-x5; --memory-only = --only memory.
--memory-url adds two informational memory rows with Result Format "binaryFromUrl" (response_format=url).
Nothing leaves 127.0.0.1: the simulator (test/support/simulator, in a child process of its own) plays the API.
Needs a built node (npm run build); the dist folder is copied to bench-output/ first so that a rebuild
during the run cannot change the code under test.`;

function parseArgs(argv: string[]) {
	const files = { json: '', render: '' };
	const o = { items: 60, latencyMs: 1500, limitedItems: 20, version: N8N_VERSION, ...files };
	const flags = { only: null as string[] | null, memoryOnly: false, memoryUrl: false, list: false };
	const count = (v: string, key: string, min: number) => {
		if (Number.isInteger(Number(v)) && Number(v) >= min) return Number(v);
		throw new Error(`${key} must be a whole number ≥ ${min}`);
	};
	for (let i = 0; i < argv.length; i++) {
		const [key, inline] = argv[i].split(/=(.*)/s);
		const value = () => {
			const v = inline ?? argv[++i];
			if (v === undefined) throw new Error(`${key} needs a value`);
			return v;
		};
		if (key === '--items') o.items = count(value(), key, 1);
		else if (key === '--latency-ms') o.latencyMs = count(value(), key, 0);
		else if (key === '--limited-items') o.limitedItems = count(value(), key, 1);
		else if (key === '--only') flags.only = value().split(',').filter(Boolean);
		else if (key === '--json' || key === '--render')
			o[key === '--json' ? 'json' : 'render'] = path.resolve(value());
		else if (key === '--n8n-version') o.version = value();
		else if (key === '--memory-only') flags.memoryOnly = true;
		else if (key === '--memory-url') flags.memoryUrl = true;
		else if (key === '--list') flags.list = true;
		else if (key === '--help' || key === '-h') return undefined;
		else throw new Error(`unknown argument ${argv[i]} (try --help)`);
	}
	return { ...o, ...flags };
}

async function main() {
	const opts = parseArgs(process.argv.slice(2));
	if (!opts) return void process.stdout.write(`${HELP}\n`);
	const rows = allRows(opts);
	if (opts.list) {
		const lines = rows.map((r) => `${r.name.padEnd(18)} ${r.group.padEnd(12)} ${r.label}`);
		for (const m of MEASUREMENTS) {
			const when = m.optional ? ' [with --memory-url or by name]' : '';
			lines.push(`${m.name.padEnd(18)} ${MEMORY.padEnd(12)} ${m.label}${when}`);
		}
		return void process.stdout.write(`${lines.join('\n')}\n`);
	}
	if (opts.render) return void process.stdout.write(renderResults(opts.render));
	const want = new Set(opts.memoryOnly ? [MEMORY] : (opts.only ?? []));
	const names = rows.flatMap((r) => [r.name, r.group]);
	const known = new Set([...names, MEMORY, ...MEASUREMENTS.map((m) => m.name)]);
	const unknown = [...want].find((w) => !known.has(w));
	const list = [...known].join(', ');
	if (unknown) throw new Error(`--only: unknown scenario "${unknown}" (known: ${list})`);
	const all = !opts.memoryOnly && !opts.only;
	const runs = all ? rows : rows.filter((r) => want.has(r.name) || want.has(r.group));
	const allMemory = all || want.has(MEMORY);
	const chosen = (m: Measurement) => (allMemory ? !m.optional || opts.memoryUrl : want.has(m.name));
	const memory = MEASUREMENTS.filter(chosen);

	// A copy of dist/: a rebuild during the run cannot change the code under test.
	const dist = path.join(ROOT, 'dist');
	const built = fs.existsSync(path.join(dist, 'nodes/StepFunImage/StepFunImage.node.js'));
	if (!built) throw new Error('dist/ has no built node: run `npm run build` first');
	const distDir = path.join(ROOT, 'bench-output', `dist-snapshot-${process.pid}`);
	fs.cpSync(dist, distDir, { recursive: true });
	process.on('exit', () => fs.rmSync(distDir, { recursive: true, force: true }));

	const log = (m: string) => void process.stderr.write(`[bench] ${m}\n`);
	const sim = startSimChild();
	const start = { apiKey: API_KEY, latencyMs: opts.latencyMs, randomSeed: 7 };
	const { stepPlanBaseUrl: simBaseUrl } = await sim.call('start', start);
	const sizes = [256, 1024].map((side): [number, number] => [side, side]);
	await sim.call('prewarm', sizes);
	const env = { n8nNode: '?', loadStart: os.loadavg()[0] };
	const ctx = { sim, simBaseUrl, distDir, opts, log };
	const memoryResults = memory.length ? await measureMemory(ctx, memory) : null;
	let results: RowResult[] = [];
	const png = makePng(256, 256, 'bench-input');
	if (runs.length) ({ results, n8nNode: env.n8nNode } = await runRows(ctx, runs, png));
	await sim.call('close').catch(() => {});
	const { text, targets } = report(results, memoryResults, opts, env);
	const command = `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim();
	process.stdout.write(`\n${text}\n\nCommand: ${command}\n`);
	if (!opts.json) return;
	writeResults(opts.json, { command, opts, env, results, memory: memoryResults, targets, text });
	log(`wrote ${opts.json}`);
}

/** The `npm run bench` command line. */
export function cli(): void {
	main().then(
		() => process.exit(0),
		(error: unknown) => {
			process.stderr.write(`[bench] failed: ${(error as Error)?.stack ?? error}\n`);
			process.exit(1);
		},
	);
}
