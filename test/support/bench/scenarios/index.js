// @ts-check
'use strict';
/**
 * The benchmark's rows. Each module here is one measured scenario: its rows (name, group, label, the
 * workflow's shape), and, for a new kind of measured node, how to build that node and count what it
 * delivered. A row runs as one workflow `Start → <input nodes> → Target` in the shared n8n instance
 * (../execute.js) unless its kind brings a `run` of its own (e.g. a webhook burst or queue mode).
 *
 * To add rows: a module exporting `rows(opts)` (and `kind`, `target`, `delivered` for a new kind of
 * node; `workflow` for a workflow of another shape; `targets` for the row's own targets), listed in
 * MODULES. Tables follow the groups (GROUP_ORDER first, new groups after them). The memory rows
 * (memory.js) run in the n8n-core harness instead; --only takes their names and the group `memory`.
 */
const baseline = require('./baseline');
const burstHttp = require('./burst-http');
const burstNode = require('./burst-node');
const httpRequest = require('./http-request');
const limitedLong = require('./limited-long');
const memory = require('./memory');
const queue = require('./queue');
const queueShared = require('./queue-shared');
const retryAfter = require('./retry-after');
const stepfunNode = require('./stepfun-node');
const variants = require('./variants');

/** @typedef {import('../args').BenchOptions} BenchOptions */
/** @typedef {import('../../n8n').N8nItem} N8nItem */
/** @typedef {import('../../n8n').ImportedCredential} ImportedCredential */

/**
 * One row of the benchmark.
 * @typedef {object} Scenario
 * @property {string} name
 * @property {string} group table it belongs to ('unlimited', 'limited', ...)
 * @property {string} label
 * @property {string} kind the measured node's kind (KINDS)
 * @property {'generate' | 'edit'} op
 * @property {number} n items
 * @property {number} [images] the node's Number of Images (default 1): each item's requests and results
 * @property {number} [seed] the node's Seed, when set
 * @property {number} [conc] concurrency (the node's option, or the HTTP Request node's items in flight)
 * @property {boolean} [limited] under the new-account rate limit
 * @property {boolean} [retryAfter] the simulator's 429 answers carry Retry-After
 * @property {{ batchSize: number, batchInterval: number }} [batching] HTTP Request batching
 */

/**
 * What the measured node's workflow needs from the run.
 * @typedef {{ cred: ImportedCredential, simBaseUrl: string, inputB64: string }} TargetContext
 */

/**
 * A kind of measured node.
 * @typedef {object} ScenarioKind
 * @property {string} kind
 * @property {(sc: Scenario, ctx: TargetContext) => Record<string, any> | null} target the node named
 *   TARGET after 'Make Items' (null: no node, the row measures the input nodes alone)
 * @property {string} [measuredNode] whose executionTime is the wall time (default TARGET)
 * @property {(items: N8nItem[]) => number} [delivered] how many output items carry a result
 * @property {(ctx: import('../execute').RunContext, sc: Scenario, workflowId: string) =>
 *   Promise<import('../execute').RowResult>} [run] measures the row itself instead of ../execute.js (its
 *   workflow is imported all the same)
 * @property {(sim: import('../sim-client').SimClient, sc: Scenario, items: N8nItem[],
 *   res: import('../execute').RowResult) => Promise<void>} [check] after a run: checks the measured node's
 *   output against what the simulator received, into `res`
 * @property {(sc: Scenario, ctx: TargetContext) => import('../workflow').Workflow} [workflow] the row's
 *   whole workflow, when it is not `Start → <input nodes> → Target` (e.g. Webhook → Target → Respond)
 */

/**
 * A module's own targets, from the measured rows by name.
 * @typedef {(by: Record<string, import('../execute').RowResult>) => import('../targets').Target[]} ModuleTargets
 */

/** @type {Array<{ rows: (opts: BenchOptions) => Scenario[], targets?: ModuleTargets } & Partial<ScenarioKind>>} */
const MODULES = [
	baseline,
	stepfunNode,
	httpRequest,
	retryAfter,
	burstNode,
	burstHttp,
	limitedLong,
	variants,
	queue,
	queueShared,
];
const GROUP_ORDER = ['unlimited', 'limited'];

/** @type {Record<string, ScenarioKind>} */
const KINDS = {};
for (const m of MODULES) if (m.kind && m.target) KINDS[m.kind] = /** @type {ScenarioKind} */ (m);

/**
 * Every row, grouped (GROUP_ORDER, then other groups in order of appearance), in module order within a group.
 * @param {BenchOptions} opts
 * @returns {Scenario[]}
 */
function scenarios(opts) {
	const rows = MODULES.flatMap((m) => m.rows(opts));
	const groups = [...new Set([...GROUP_ORDER, ...rows.map((r) => r.group)])];
	return groups.flatMap((g) => rows.filter((r) => r.group === g));
}

/**
 * @param {Scenario} sc
 * @returns {ScenarioKind}
 */
function kindOf(sc) {
	const kind = KINDS[sc.kind];
	if (!kind) throw new Error(`scenario ${sc.name}: unknown kind "${sc.kind}"`);
	return kind;
}

/**
 * The rows --only / --memory-only pick, and the memory measurements to make.
 * @param {BenchOptions} opts
 * @param {Scenario[]} all
 */
function selected(opts, all) {
	const mem = memory.measurements(opts);
	if (opts.memoryOnly) return { runs: [], memory: mem };
	if (!opts.only) return { runs: all, memory: mem };
	const want = new Set(opts.only);
	const memoryNames = memory.MEASUREMENTS.map((m) => m.name);
	const known = new Set([
		...all.map((s) => s.name),
		...all.map((s) => s.group),
		memory.NAME,
		...memoryNames,
	]);
	for (const w of want) {
		if (!known.has(w))
			throw new Error(`--only: unknown scenario "${w}" (known: ${[...known].join(', ')})`);
	}
	return {
		runs: all.filter((s) => want.has(s.name) || want.has(s.group)),
		memory: want.has(memory.NAME) ? mem : memory.MEASUREMENTS.filter((m) => want.has(m.name)),
	};
}

/**
 * The --list output: one line per row, then the memory measurements.
 * @param {Scenario[]} all
 */
function listing(all) {
	const lines = all.map((s) => `${s.name.padEnd(18)} ${s.group.padEnd(12)} ${s.label}`);
	for (const m of memory.MEASUREMENTS) {
		const when = m.optional ? ' [with --memory-url or by name]' : '';
		lines.push(`${m.name.padEnd(18)} ${memory.NAME.padEnd(12)} ${m.label}${when}`);
	}
	return `${lines.join('\n')}\n`;
}

/**
 * Every module's own targets (modules exporting `targets`).
 * @type {ModuleTargets}
 */
function moduleTargets(by) {
	return MODULES.flatMap((m) => (m.targets ? m.targets(by) : []));
}

module.exports = { scenarios, kindOf, selected, listing, moduleTargets };
