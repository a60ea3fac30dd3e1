#!/usr/bin/env node
// @ts-check
'use strict';
// Run the StepFun image API simulator from the command line.
//   npm run simulator -- [--port 8787] [--host 127.0.0.1] [--key sk-simulator] [--latency-ms N]
//     [--latency-jitter-ms N] [--max-concurrent N] [--rpm N] [--rpm-window-ms N] [--retry-after]
//     [--error-rate 0.1] [--error-statuses 500,503] [--reset-rate P] [--truncate-rate P] [--hang-rate P]
//     [--hang-ms N] [--blocked-prompts a,b] [--filtered-prompts a,b] [--retired-models id,id]
//     [--retired-endpoint 404|503] [--insufficient-balance] [--malformed no-data|empty-b64|not-json|bad-b64]
//     [--url-expired] [--file-ttl-ms N] [--extra-models id,id] [--random-seed N] [--max-body-bytes N]
//     [--log]   (print one line per request)
// Runs until SIGINT/SIGTERM.

const { startSimulator, DEFAULT_FAULTS } = require('./index');

/** @typedef {'int' | 'float' | 'bool' | 'string' | 'list' | 'intlist'} OptionType */
/** @typedef {import('./index').SimulatorOptions & { key?: string; log?: boolean }} CliOptions */

/** @type {Record<string, OptionType>} */
const TYPES = {
	port: 'int',
	host: 'string',
	key: 'string',
	randomSeed: 'int',
	maxBodyBytes: 'int',
	latencyMs: 'int',
	latencyJitterMs: 'int',
	maxConcurrent: 'int',
	rpm: 'int',
	rpmWindowMs: 'int',
	retryAfter: 'bool',
	errorRate: 'float',
	errorStatuses: 'intlist',
	resetRate: 'float',
	truncateRate: 'float',
	hangRate: 'float',
	hangMs: 'int',
	blockedPrompts: 'list',
	filteredPrompts: 'list',
	retiredModels: 'list',
	retiredEndpoint: 'int',
	insufficientBalance: 'bool',
	malformed: 'string',
	urlExpired: 'bool',
	fileTtlMs: 'int',
	extraModels: 'list',
	log: 'bool',
};

/**
 * Print the usage (with `msg`: as an error) and exit.
 * @param {string} [msg]
 * @returns {never}
 */
function usage(msg) {
	if (msg) process.stderr.write(`simulator: ${msg}\n`);
	process.stderr.write(
		`usage: npm run simulator -- [--port N] [--host H] [--key K] ${Object.keys(TYPES)
			.filter((k) => !['port', 'host', 'key'].includes(k))
			.map(
				(k) =>
					`[--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}${TYPES[k] === 'bool' ? '' : ' V'}]`,
			)
			.join(' ')}\n`,
	);
	process.exit(msg ? 2 : 0);
}

/**
 * @param {string[]} argv
 * @returns {CliOptions}
 */
function parseArgs(argv) {
	/** @type {Record<string, unknown>} */
	const opts = { port: 8787 };
	for (let i = 0; i < argv.length; i++) {
		let a = argv[i];
		if (a === '-h' || a === '--help') usage();
		if (!a.startsWith('--')) usage(`unexpected argument ${a}`);
		a = a.slice(2);
		let value;
		const eq = a.indexOf('=');
		if (eq >= 0) {
			value = a.slice(eq + 1);
			a = a.slice(0, eq);
		}
		const name = a.replace(/-([a-z])/g, (_, /** @type {string} */ c) => c.toUpperCase());
		const type = TYPES[name];
		if (!type) usage(`unknown option --${a}`);
		if (type === 'bool') {
			opts[name] = value === undefined ? true : !['false', '0', 'no'].includes(value);
			continue;
		}
		if (value === undefined) {
			value = argv[++i];
			if (value === undefined) usage(`--${a} needs a value`);
		}
		switch (type) {
			case 'int':
				if (!/^-?\d+$/.test(value)) usage(`--${a} must be an integer`);
				opts[name] = Number(value);
				break;
			case 'float':
				if (!Number.isFinite(Number(value))) usage(`--${a} must be a number`);
				opts[name] = Number(value);
				break;
			case 'list':
				opts[name] = value.split(',').filter(Boolean);
				break;
			case 'intlist':
				opts[name] = value.split(',').filter(Boolean).map(Number);
				break;
			default:
				opts[name] = value;
		}
	}
	return /** @type {CliOptions} */ (opts);
}

async function main() {
	const { key, log, ...rest } = parseArgs(process.argv.slice(2));
	const sim = await startSimulator({ apiKey: key ?? 'sk-simulator', ...rest });
	/** @type {Record<string, unknown>} */
	const defaults = DEFAULT_FAULTS;
	const active = Object.entries(sim.faults).filter(
		([k, v]) => JSON.stringify(v) !== JSON.stringify(defaults[k]),
	);
	process.stdout.write(
		[
			`StepFun simulator listening on ${sim.url}`,
			`  Step Plan base URL:     ${sim.stepPlanBaseUrl}`,
			`  Open platform base URL: ${sim.openPlatformBaseUrl}`,
			`  API key:                ${sim.apiKey}`,
			`  fault knobs:            ${active.length ? active.map(([k, v]) => `${k}=${JSON.stringify(v)}`).join(' ') : 'none'}`,
			'',
		].join('\n'),
	);
	if (log) {
		let seen = 0;
		setInterval(() => {
			const reqs = sim.requests;
			while (seen < reqs.length && reqs[seen].status !== undefined) {
				const r = reqs[seen++];
				process.stdout.write(
					`${new Date(r.receivedAt).toISOString()} ${r.method} ${r.path} -> ${r.status === null ? 'RESET' : r.status} ${Number(r.finishedAt) - r.receivedAt}ms${r.fault ? ` [${r.fault}]` : ''}\n`,
				);
			}
			if (seen > 1000) {
				reqs.splice(0, seen);
				seen = 0;
			}
		}, 200).unref();
	} else {
		// Keep memory bounded in long runs: the request log is for tests.
		setInterval(() => {
			if (sim.requests.length > 1000) sim.requests.splice(0, sim.requests.length - 100);
		}, 5000).unref();
	}
	const stop = async (/** @type {string} */ sig) => {
		process.stdout.write(`\n${sig}: stats ${JSON.stringify(sim.stats())}\n`);
		await sim.close();
		process.exit(0);
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

/** The `npm run simulator` command line (scripts/simulator.js). */
function cli() {
	main().catch((err) => {
		process.stderr.write(`simulator: ${err && err.stack ? err.stack : err}\n`);
		process.exit(1);
	});
}

module.exports = { cli };
