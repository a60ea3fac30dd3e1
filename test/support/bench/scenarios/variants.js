// @ts-check
'use strict';
/**
 * Number of Images: 5 items × 4 images at Concurrency 5, Generate and Edit, Seed set (variant k gets
 * Seed + k − 1) and, for Generate, random. Every image is its own request through the account's governor,
 * so the floor is ⌈20 ÷ 5⌉ · L. After the run, `check` compares the output image by image with the requests
 * the simulator received (variants-check.js): order, pairing, seeds, the uploaded bytes.
 */
const crypto = require('node:crypto');

const { makePng } = require('../../simulator/png');
const { fmt } = require('../table');
const { checkVariants } = require('../variants-check');
const stepfunNode = require('./stepfun-node');

/** @typedef {import('./index').Scenario} Scenario */
/** @typedef {import('./index').TargetContext} TargetContext */
/** @typedef {import('../execute').RowResult} RowResult */
/** @typedef {import('../targets').Target} Target */

const kind = 'variants';
const ITEMS = 5;
const IMAGES = 4;
const CONCURRENCY = 5;
const SEED = 1000;
const NAMES = ['variants-gen', 'variants-gen-random', 'variants-edit'];

/** @returns {Scenario[]} */
function rows() {
	/**
	 * @param {string} name
	 * @param {'generate' | 'edit'} op
	 * @param {number | undefined} seed
	 */
	const row = (name, op, seed) => ({
		name,
		group: 'variants',
		label: `StepFun node, ${op === 'generate' ? 'Generate' : 'Edit'}, ${ITEMS} items × ${IMAGES} images, c=${CONCURRENCY}, ${seed === undefined ? 'random seeds' : `Seed ${seed}`}`,
		kind,
		op,
		n: ITEMS,
		images: IMAGES,
		conc: CONCURRENCY,
		seed,
	});
	return [
		row(NAMES[0], 'generate', SEED),
		row(NAMES[1], 'generate', undefined),
		row(NAMES[2], 'edit', SEED),
	];
}

/**
 * The node as the throughput rows set it up, with Number of Images and the Seed.
 * @param {Scenario} sc
 * @param {TargetContext} ctx
 */
function target(sc, ctx) {
	const node = stepfunNode.target(sc, ctx);
	const imageOptions = sc.seed === undefined ? {} : { seed: sc.seed };
	return { ...node, parameters: { ...node.parameters, numberOfImages: sc.images, imageOptions } };
}

/**
 * The node's output checked against the simulator's requests, image by image.
 * @param {import('../sim-client').SimClient} sim
 * @param {Scenario} sc
 * @param {import('../../n8n').N8nItem[]} items
 * @param {RowResult} res
 */
async function check(sim, sc, items, res) {
	const requests = await sim.call('requests');
	// The Edit rows' input: the PNG n8n-runs.js builds for every Edit row.
	const input = sc.op === 'edit' ? makePng(256, 256, 'bench-input') : undefined;
	res.variants = checkVariants(
		{
			n: sc.n,
			images: sc.images || 1,
			seed: sc.seed,
			inputSha256: input && crypto.createHash('sha256').update(input).digest('hex'),
		},
		items,
		requests,
	);
}

/**
 * @param {Record<string, RowResult>} by
 * @returns {Target[]}
 */
function targets(by) {
	const want = `${ITEMS * IMAGES} requests, order, pairing and seeds exact, 0 lost; wall reported against ⌈${ITEMS * IMAGES}/${CONCURRENCY}⌉·L`;
	return NAMES.map((name) => {
		const r = by[name];
		if (!r || r.wallMs === undefined || r.error || !r.variants)
			return /** @type {Target} */ ({ status: 'NOT RUN', text: `${name}: ${want}` });
		const v = r.variants;
		const ok =
			v.requests === v.wantRequests &&
			v.answered200 === v.wantRequests &&
			v.order &&
			v.pairing &&
			v.seeds &&
			v.uploads !== false &&
			r.lost === 0;
		const wall = `wall ${fmt(r.wallMs / 1000, 2)} s = ${fmt(r.ratio, 2)}× ⌈${v.wantRequests}/${CONCURRENCY}⌉·L = ${fmt((r.idealMs || 0) / 1000, 1)} s`;
		const checks = `order ${v.order ? 'exact' : 'WRONG'}, pairing ${v.pairing ? 'exact' : 'WRONG'}, seeds ${v.seeds ? 'exact' : 'WRONG'}${v.uploads === null ? '' : `, uploads ${v.uploads ? 'the input' : 'WRONG'}`}`;
		const problems = v.problems.length ? ` (${v.problems.join('; ')})` : '';
		return /** @type {Target} */ ({
			status: ok ? 'PASS' : 'MISS',
			text: `${name}: ${v.requests} requests, ${checks}, ${r.lost} lost, ${wall}${problems}`,
		});
	});
}

module.exports = { kind, rows, target, check, targets, delivered: stepfunNode.delivered };
