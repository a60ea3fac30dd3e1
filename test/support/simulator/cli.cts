// `npm run simulator -- [--port 8787] [--host 127.0.0.1] [--key sk-simulator] [--log] [--<knob> V]`:
// the simulator until Ctrl-C. Every fault knob of faults.cts is an option, in kebab case, lists
// comma-separated (--latency-ms 1500, --error-statuses 500,503, --retry-after); --log prints a line
// per request.
import { DEFAULT_FAULTS, startSimulator } from './index.cjs';

const SETTINGS = { port: 0, host: '', key: '', randomSeed: 0, maxBodyBytes: 0, log: false };
const OPTIONS: Record<string, unknown> = { ...DEFAULT_FAULTS, ...SETTINGS };
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** A value of the option's kind: that of its default (a number, a boolean, a string, a list). */
function parse(flag: string, like: unknown, value: string): unknown {
	const number = (v: string) => {
		if (!Number.isFinite(Number(v))) throw new Error(`--${flag}: ${v} is not a number`);
		return Number(v);
	};
	if (!Array.isArray(like)) return typeof like === 'number' ? number(value) : value;
	const list = value.split(',').filter(Boolean);
	return typeof like[0] === 'number' ? list.map(number) : list;
}

function parseArgs(argv: string[]) {
	const opts: Record<string, unknown> = { port: 8787 };
	for (let i = 0; i < argv.length; i++) {
		const [flag, inline] = argv[i].replace(/^--/, '').split(/=(.*)/s);
		const name = flag.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
		const like = OPTIONS[name];
		const known = argv[i].startsWith('--') && like !== undefined && name !== 'script';
		if (!known) throw new Error(`unknown option ${argv[i]}`);
		if (typeof like === 'boolean') {
			opts[name] = inline === undefined || !['false', '0', 'no'].includes(inline);
			continue;
		}
		const value = inline ?? argv[++i];
		if (value === undefined) throw new Error(`--${flag} needs a value`);
		opts[name] = parse(flag, like, value);
	}
	return opts;
}

async function main() {
	if (process.argv.includes('--help') || process.argv.includes('-h')) {
		const options = Object.keys(OPTIONS).filter((k) => k !== 'script');
		const usage = options.map(
			(k) => `[--${kebab(k)}${typeof OPTIONS[k] === 'boolean' ? '' : ' V'}]`,
		);
		return void process.stdout.write(`usage: npm run simulator -- ${usage.join(' ')}\n`);
	}
	const { key, log, ...rest } = parseArgs(process.argv.slice(2));
	const sim = await startSimulator({ apiKey: (key as string) || 'sk-simulator', ...rest });
	const defaults: Record<string, unknown> = DEFAULT_FAULTS;
	const changed = Object.entries(sim.faults).filter(
		([k, v]) => JSON.stringify(v) !== JSON.stringify(defaults[k]),
	);
	const knobs = changed.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ') || 'none';
	process.stdout.write(`StepFun simulator listening on ${sim.url}
  Step Plan base URL:     ${sim.stepPlanBaseUrl}
  Open platform base URL: ${sim.openPlatformBaseUrl}
  API key:                ${sim.apiKey}
  fault knobs:            ${knobs}\n`);
	let seen = 0;
	setInterval(() => {
		const requests = sim.requests;
		for (; log && requests[seen] && requests[seen].status !== undefined; seen++) {
			const { receivedAt, finishedAt, method, path, status, fault } = requests[seen];
			const when = new Date(receivedAt).toISOString();
			const took = `${Number(finishedAt) - receivedAt}ms${fault ? ` [${fault}]` : ''}`;
			process.stdout.write(`${when} ${method} ${path} -> ${status ?? 'RESET'} ${took}\n`);
		}
		// The request log is for tests: a long run keeps its last 100 entries.
		const drop = Math.min(log ? seen : Infinity, requests.length - 100);
		if (requests.length > 1000) seen -= requests.splice(0, drop).length;
		if (!log) seen = 0;
	}, 200).unref();
	for (const signal of ['SIGINT', 'SIGTERM'] as const) {
		process.on(signal, async () => {
			process.stdout.write(`\n${signal}: stats ${JSON.stringify(sim.stats())}\n`);
			await sim.close();
			process.exit(0);
		});
	}
}

/** The `npm run simulator` command line. */
export function cli(): void {
	main().catch((error: unknown) => {
		process.stderr.write(`simulator: ${(error as Error)?.message ?? error} (--help lists them)\n`);
		process.exit(1);
	});
}
