// @ts-check
'use strict';
/** The benchmark's command line: options, their defaults, and --help. */
const path = require('node:path');

const HELP = `npm run bench — throughput, rate-limit behaviour and memory of the StepFun Image node, side by side with a
sequential baseline and n8n's own HTTP Request node, in one real n8n (2.41.1) against the simulator.

  npm run bench -- [--items 60] [--latency-ms 1500] [--limited-items 20] [--only a,b,...]
                        [--memory-only] [--memory-url] [--json out.json] [--n8n-version 2.41.1] [--list]
                        [--render out.json]   (re-print the table of an earlier --json run)

--only takes scenario names (see --list) and their groups (\`unlimited\`, \`limited\`, \`burst\`, \`limited-long\`, \`variants\`, \`queue\`,
\`queue-shared\`, \`memory\`), e.g. --only burst-node,burst-http or --only mem-db,mem-db-x5; --memory-only = --only memory.
--memory-url adds two informational memory rows with Result Format "binaryFromUrl" (response_format=url).
Nothing leaves 127.0.0.1: the simulator (test/support/simulator, in a child process of its own) plays the API.
Needs a built node (npm run build); the dist folder is copied to bench-output/ first so that a rebuild
during the run cannot change the code under test.`;

/**
 * @typedef {object} BenchOptions
 * @property {number} items N, items per row without a rate limit
 * @property {number} latencyMs the simulator's latency per request
 * @property {number} limitedItems items per row under the new-account limit
 * @property {string[] | null} only scenario names and groups to run (null: all)
 * @property {boolean} memoryOnly
 * @property {boolean} memoryUrl
 * @property {string | null} json where to write the results
 * @property {string} version n8n version
 * @property {boolean} list
 * @property {string | null} render an earlier --json file to re-print
 * @property {boolean} help
 */

/**
 * @param {string} v
 * @param {string} k
 */
function posInt(v, k) {
	const n = Number(v);
	if (!Number.isInteger(n) || n < 1) throw new Error(`${k} must be a positive integer`);
	return n;
}

/**
 * @param {string} v
 * @param {string} k
 */
function nonNegInt(v, k) {
	const n = Number(v);
	if (!Number.isInteger(n) || n < 0) throw new Error(`${k} must be a whole number ≥ 0`);
	return n;
}

/**
 * @param {string[]} argv
 * @returns {BenchOptions}
 */
function parseArgs(argv) {
	/** @type {BenchOptions} */
	const o = {
		items: 60,
		latencyMs: 1500,
		limitedItems: 20,
		only: null,
		memoryOnly: false,
		memoryUrl: false,
		json: null,
		version: require('../n8n').DEFAULT_VERSION,
		list: false,
		render: null,
		help: false,
	};
	for (let i = 0; i < argv.length; i++) {
		const a = argv[i];
		const val = () => {
			const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
			if (v === undefined) throw new Error(`${a} needs a value`);
			return v;
		};
		const key = a.split('=')[0];
		if (key === '--items') o.items = posInt(val(), key);
		else if (key === '--latency-ms') o.latencyMs = nonNegInt(val(), key);
		else if (key === '--limited-items') o.limitedItems = posInt(val(), key);
		else if (key === '--only') {
			o.only = val()
				.split(',')
				.map((s) => s.trim())
				.filter(Boolean);
		} else if (key === '--memory-only') o.memoryOnly = true;
		else if (key === '--memory-url') o.memoryUrl = true;
		else if (key === '--json') o.json = path.resolve(val());
		else if (key === '--n8n-version') o.version = val();
		else if (key === '--list') o.list = true;
		else if (key === '--render') o.render = path.resolve(val());
		else if (key === '--help' || key === '-h') o.help = true;
		else throw new Error(`unknown argument ${a} (try --help)`);
	}
	return o;
}

module.exports = { HELP, parseArgs };
