// A Number of Images run checked image by image: the node's output items against the requests the
// simulator received, paired through the trace ID each answer carried.
import type { N8nItem } from '../n8n/index.cjs';

/** A request as the simulator child reports it (sim-child.cts `requests`). */
export interface SimRequest {
	route?: string;
	status?: number | null;
	traceId: string;
	prompt?: string;
	seed?: number;
	seedUsed?: number;
	uploadSha256?: string;
	receivedAt: number;
	finishedAt?: number;
}

export interface VariantsCheck {
	/** API requests the simulator received, and items × images. */
	requests: number;
	wantRequests: number;
	answered200: number;
	/** Output items in input order, each item's images in order (variant 1…N). */
	order: boolean;
	/** Each output paired to its input item and to exactly one request with its prompt; every request used once. */
	pairing: boolean;
	/** Seeded: item k's images have seeds Seed…Seed+N−1, sent as such; random: none sent, each reports the
	 * seed the API used, and an item's images differ. */
	seeds: boolean;
	/** Edit: every request uploaded the input image's bytes (null: Generate). */
	uploads: boolean | null;
	/** Informational: requests arrived item by item, images in order. */
	requestOrder: boolean;
	/** The first mismatches found. */
	problems: string[];
}

export function checkVariants(
	row: { n: number; images?: number; seed?: number },
	items: N8nItem[],
	requests: SimRequest[],
	inputSha256?: string,
): VariantsCheck {
	const { n, images = 1, seed } = row;
	const problems: string[] = [];
	const expect = (ok: boolean, what: string) => {
		if (!ok && problems.length < 8) problems.push(what);
		return ok;
	};
	const want = n * images;
	const byTrace = new Map(requests.map((r) => [r.traceId, r]));
	const used = new Set<SimRequest>();
	let order = expect(items.length === want, `${items.length} output items, want ${want}`);
	let pairing = true;
	let seeds = true;
	items.forEach((item, index) => {
		const [k, v] = [Math.floor(index / images), index % images];
		const json = item.json ?? {};
		const paired = (item.pairedItem as { item?: number } | undefined)?.item;
		const where = `output ${index} (item ${k}, image ${v + 1})`;
		order = expect(json.variant === v + 1, `${where}: variant ${json.variant}`) && order;
		pairing = expect(paired === k, `${where}: paired to ${paired}`) && pairing;
		pairing =
			expect(String(json.prompt).endsWith(`variation ${k + 1}`), `${where}: ${json.prompt}`) &&
			pairing;
		const req = byTrace.get(String(json.traceId));
		if (!req || used.has(req)) {
			pairing = expect(false, `${where}: no request of its own`);
			return;
		}
		used.add(req);
		pairing =
			expect(req.prompt === json.prompt, `${where}: request prompt ${req.prompt}`) && pairing;
		const ok =
			seed !== undefined
				? json.seed === seed + v && req.seed === seed + v
				: req.seed === undefined && json.seed === req.seedUsed;
		seeds =
			expect(ok, `${where}: seed ${json.seed}, sent ${req.seed}, used ${req.seedUsed}`) && seeds;
	});
	pairing =
		expect(used.size === requests.length, `${requests.length - used.size} requests unused`) &&
		pairing;
	for (let k = 0; seed === undefined && k < n; k++) {
		const own = new Set(items.slice(k * images, (k + 1) * images).map((i) => i.json.seed));
		seeds = expect(own.size === images, `item ${k}: ${own.size} distinct seeds`) && seeds;
	}
	const rank = (r: SimRequest) => {
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
		uploads:
			inputSha256 === undefined ? null : requests.every((r) => r.uploadSha256 === inputSha256),
		requestOrder: ranks.every((r, i) => i === 0 || r >= ranks[i - 1]),
		problems,
	};
}
