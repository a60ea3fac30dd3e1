// @ts-check
'use strict';
/**
 * Checks a "Number of Images" run (scenarios/variants.js) image by image: the node's output items against
 * the requests the simulator received, paired through the trace ID each answer carried.
 */

/** @typedef {import('../n8n').N8nItem} N8nItem */

/**
 * A request as the simulator child reports it (sim-child.js `requests`).
 * @typedef {{ route?: string; status?: number | null; traceId: string; prompt?: string; seed?: number;
 *   seedUsed?: number; uploadSha256?: string; receivedAt: number; finishedAt?: number }} SimRequest
 */

/**
 * What the check found.
 * @typedef {object} VariantsCheck
 * @property {number} requests API requests the simulator received
 * @property {number} wantRequests items × images
 * @property {number} answered200
 * @property {boolean} order output items in input order, each item's images in order (variant 1…N)
 * @property {boolean} pairing each output item paired to its input item, and to exactly one request with its
 *   item's prompt (and seed), every request used once
 * @property {boolean} seeds seeded: item k's images have seeds Seed…Seed+N−1, sent as such; random: no seed
 *   sent, each image reports the seed the API used, and an item's images differ
 * @property {boolean | null} uploads Edit: every request uploaded the input image's bytes (null: Generate)
 * @property {boolean} requestOrder informational: requests arrived item by item, images in order
 * @property {string[]} problems the first mismatches found
 */

/**
 * @param {{ n: number; images: number; seed?: number; inputSha256?: string }} row items, images per
 *   item, the Seed (if set), the Edit input's sha256
 * @param {N8nItem[]} items the node's output
 * @param {SimRequest[]} requests the simulator's, in arrival order
 * @returns {VariantsCheck}
 */
function checkVariants({ n, images, seed, inputSha256 }, items, requests) {
	/** @type {string[]} */
	const problems = [];
	/** @param {boolean} ok @param {string} what */
	const expect = (ok, what) => {
		if (!ok && problems.length < 8) problems.push(what);
		return ok;
	};
	const want = n * images;
	const byTrace = new Map(requests.map((r) => [r.traceId, r]));
	const used = new Set();
	let order = expect(items.length === want, `${items.length} output items, want ${want}`);
	let pairing = true;
	let seeds = true;
	items.forEach((item, index) => {
		const k = Math.floor(index / images);
		const v = index % images;
		const json = item.json || {};
		const paired = /** @type {{ item?: number } | undefined} */ (item.pairedItem);
		const where = `output ${index} (item ${k}, image ${v + 1})`;
		order = expect(json.variant === v + 1, `${where}: variant ${json.variant}`) && order;
		pairing = expect(paired?.item === k, `${where}: paired to ${paired?.item}`) && pairing;
		pairing =
			expect(String(json.prompt).endsWith(`variation ${k + 1}`), `${where}: ${json.prompt}`) &&
			pairing;
		const req = byTrace.get(String(json.traceId));
		if (!expect(Boolean(req) && !used.has(req), `${where}: no request of its own`) || !req) {
			pairing = false;
			return;
		}
		used.add(req);
		pairing =
			expect(req.prompt === json.prompt, `${where}: request prompt ${req.prompt}`) && pairing;
		if (seed !== undefined) {
			const s = seed + v;
			seeds =
				expect(json.seed === s && req.seed === s, `${where}: seed ${json.seed}/${req.seed}`) &&
				seeds;
		} else {
			const own = req.seed === undefined && json.seed === req.seedUsed;
			seeds =
				expect(own, `${where}: seed ${json.seed}, sent ${req.seed}, used ${req.seedUsed}`) && seeds;
		}
	});
	pairing =
		expect(used.size === requests.length, `${requests.length - used.size} requests unused`) &&
		pairing;
	if (seed === undefined) {
		for (let k = 0; k < n; k++) {
			const own = new Set(items.slice(k * images, (k + 1) * images).map((i) => i.json.seed));
			seeds = expect(own.size === images, `item ${k}: ${own.size} distinct seeds`) && seeds;
		}
	}
	const uploads =
		inputSha256 === undefined ? null : requests.every((r) => r.uploadSha256 === inputSha256);
	const rank = (/** @type {SimRequest} */ r) => {
		const k = Number(/variation (\d+)$/.exec(String(r.prompt))?.[1]);
		return seed === undefined ? k : k * 1e6 + Number(r.seed);
	};
	const ranks = requests.map(rank);
	return {
		requests: requests.length,
		wantRequests: want,
		answered200: requests.filter((r) => r.status === 200).length,
		order,
		pairing,
		seeds,
		uploads,
		requestOrder: ranks.every((r, i) => i === 0 || r >= ranks[i - 1]),
		problems,
	};
}

module.exports = { checkVariants };
