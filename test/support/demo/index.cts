// `npm run demo` (scripts/demo.cts): the StepFun Image node inside a real n8n, no account needed.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

import { createInstance, ensureN8n, N8N_VERSION } from '../n8n/index.cjs';
import { startSimulator } from '../simulator/index.cjs';
import { ROOT } from '../system.cjs';
import { fail, log, MARKETING_DIR, OUTPUT_DIR, runEditor, runHeadless, secs } from './runs.cjs';
import type { Backend, ImageRow } from './runs.cjs';

const HELP = `One-command demo: the StepFun Image node inside a real n8n, no account needed.

  npm run demo                 build, start the StepFun simulator, run the three example workflows headless
                               in n8n ${N8N_VERSION} and write every image into demo-output/
  npm run demo -- --editor     same setup, then keep the n8n editor running on http://127.0.0.1:5678
                               (owner account created, credential + examples imported) until Ctrl-C

Environment:
  STEPFUN_API_KEY    use the real StepFun API with this key instead of the simulator (images cost credits)
  STEPFUN_ENDPOINT   credential endpoint for the real API: stepPlanChina (default) | stepPlanGlobal |
                     openPlatformChina | openPlatformGlobal
  N8N_VERSION        n8n version to run (default ${N8N_VERSION})
  DEMO_PORT          editor port for --editor (default 5678)`;

const ENDPOINTS = ['stepPlanChina', 'stepPlanGlobal', 'openPlatformChina', 'openPlatformGlobal'];

/** The real API when STEPFUN_API_KEY is set (STEPFUN_ENDPOINT picks the endpoint), else the simulator. */
async function apiBackend(): Promise<Backend> {
	const key = (process.env.STEPFUN_API_KEY ?? '').trim();
	if (key) {
		const endpoint = (process.env.STEPFUN_ENDPOINT || 'stepPlanChina').trim();
		const why = `STEPFUN_ENDPOINT must be one of ${ENDPOINTS.join(', ')} (got "${endpoint}")`;
		if (!ENDPOINTS.includes(endpoint)) throw fail(why);
		log(`using the real StepFun API (endpoint ${endpoint}); every image costs credits`);
		const data = { apiKey: key, endpoint };
		return { label: `StepFun API (${endpoint})`, data, close: async () => {} };
	}
	const apiKey = 'sk-demo-simulator';
	const sim = await startSimulator({ apiKey, latencyMs: 300, latencyJitterMs: 400 });
	const baseUrl = sim.stepPlanBaseUrl;
	log(`StepFun simulator listening on ${baseUrl} (set STEPFUN_API_KEY to use the real API)`);
	const data = { apiKey, endpoint: 'custom', baseUrl };
	return { label: `simulator ${baseUrl}`, data, close: () => sim.close() };
}

function printTable(rows: ImageRow[]) {
	const head = ['workflow', 'file', 'image', 'seed', 'time'];
	const file = (f: string) => path.relative(process.cwd(), f) || f;
	const data = rows.map((r) => [r.workflow, file(r.file), r.image, String(r.seed ?? ''), r.time]);
	const widths = head.map((h, i) => Math.max(h.length, ...data.map((d) => d[i].length)));
	const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i])).join('  ');
	const rule = widths.map((w) => '-'.repeat(w)).join('  ');
	console.log([line(head), rule, ...data.map(line)].join('\n'));
}

async function main() {
	const args = process.argv.slice(2);
	const unknown = args.find((a) => !['--editor', '-h', '--help'].includes(a));
	if (unknown) throw fail(`unknown argument ${unknown} (try --help)`);
	if (args.includes('-h') || args.includes('--help')) return void console.log(HELP);
	const started = Date.now();
	log('building the package (npm run build) ...');
	const build = spawnSync('npm', ['run', '-s', 'build'], { cwd: ROOT, encoding: 'utf8' });
	if (build.error) throw fail(`npm run build could not start: ${build.error.message}`);
	if (build.status !== 0) {
		process.stderr.write(`${build.stdout}\n${build.stderr}\n`);
		throw fail(`npm run build failed (exit ${build.status}); did you run "npm install"?`);
	}
	log(`built in ${secs(Date.now() - started)}`);
	const backend = await apiBackend();
	try {
		log(`making sure n8n ${N8N_VERSION} is installed (the first time takes several minutes) ...`);
		await ensureN8n(N8N_VERSION);
		const customExtensions = [path.join(ROOT, 'dist')];
		const settings = { binaryDataMode: 'default' as const, restrictFileAccessTo: [MARKETING_DIR] };
		const inst = await createInstance({ customExtensions, ...settings });
		try {
			if (args.includes('--editor')) await runEditor(inst, backend);
			const rows = await runHeadless(inst, backend);
			const took = `${rows.length} images in ${secs(Date.now() - started)}`;
			console.log(`\nStepFun Image in n8n ${N8N_VERSION} against the ${backend.label}: ${took}\n`);
			printTable(rows);
			const dir = path.relative(process.cwd(), OUTPUT_DIR) || OUTPUT_DIR;
			console.log(`\nImages are in ${dir}/. Next: npm run demo -- --editor`);
		} finally {
			await inst.cleanup().catch(() => {});
		}
	} finally {
		await backend.close().catch(() => {});
	}
}

/** The `npm run demo` command line. */
export function cli(): void {
	const failed = (error: Error & { demo?: boolean }) => {
		const why = error?.demo ? error.message : (error?.stack ?? error);
		process.stderr.write(`\n[demo] FAILED: ${why}\n`);
		process.exit(1);
	};
	main().then(() => process.exit(0), failed);
}
