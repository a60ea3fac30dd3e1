// The benchmark's targets: each PASS, MISS, NOT RUN or INFO, with the figures behind the verdict.
import { MEASUREMENTS, measurementOf, type MemoryResult } from './memory.cjs';
import { VARIANTS } from './rows.cjs';
import { fmt, secs, type RowResult } from './score.cjs';

export type Target = { status: 'PASS' | 'MISS' | 'NOT RUN' | 'INFO'; text: string };
type Ran = RowResult & { wallMs: number };

const ran = (r?: RowResult): r is Ran => Boolean(r && r.wallMs !== undefined && !r.error);
const verdict = (ok: boolean, text: string): Target => ({ status: ok ? 'PASS' : 'MISS', text });
const median = (values: number[]) =>
	[...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const rate = (r: RowResult) =>
	`${fmt(r.pctOfAllowedRate)}% of the allowed rate (floor ${secs(r.idealMs)} s, wall ${secs(r.wallMs)} s)`;
const pct = (r: RowResult) => r.pctOfAllowedRate ?? 0;
const MB = 1024 * 1024;

/** The rows' targets: [row, what it must reach, the verdict on the row once it ran]. */
const ROW_TARGETS: Array<[string, string, (r: Ran) => Target]> = [
	...['gen-c10', 'edit-c10'].map((name): [string, string, (r: Ran) => Target] => [
		name,
		'wall ≤ 1.15× ideal at concurrency 10',
		(r) =>
			verdict(
				(r.ratio ?? Infinity) <= 1.15 && r.lost === 0,
				`${name}: wall ${secs(r.wallMs, 2)} s = ${fmt(r.ratio, 3)}× ideal ${secs(r.idealMs)} s (target ≤ 1.15×), ${r.lost} lost`,
			),
	]),
	...['lim-edit-c5', 'lim-edit-c10'].map((name): [string, string, (r: Ran) => Target] => [
		name,
		'≥ 90% of the allowed rate, 0 lost, under the new-account limit',
		(r) =>
			verdict(
				pct(r) >= 90 && r.lost === 0,
				`${name}: ${rate(r)}, ${r.lost} lost, ${r.rejected429} × 429 (target ≥ 90%, 0 lost)`,
			),
	]),
	[
		'burst-node',
		'0 lost, ≥ 90% of the allowed rate, 429s < 1 per 10 calls',
		(r) =>
			verdict(
				r.lost === 0 && pct(r) >= 90 && r.rejected429 < r.items / 10,
				`burst-node: ${r.items} webhook executions, ${rate(r)}, ${r.lost} lost, ${r.requests} requests, ${r.rejected429} × 429 (target: 0 lost, ≥ 90% of the allowed rate, 429s < 1 per 10 calls)`,
			),
	],
	[
		'lim-edit-100',
		'≥ 97% of the allowed rate, 0 lost',
		(r) =>
			verdict(
				r.lost === 0 && pct(r) >= 97,
				`lim-edit-100: ${rate(r)}, ${r.lost} lost, ${r.rejected429} × 429 (target ≥ 97% of the allowed rate, 0 lost)`,
			),
	],
	...['variants-gen', 'variants-gen-random', 'variants-edit'].map(
		(name): [string, string, (r: Ran) => Target] => {
			const n = VARIANTS.items * VARIANTS.images;
			const want = `${n} requests, order, pairing and seeds exact, 0 lost; wall reported against ⌈${n}/${VARIANTS.conc}⌉·L`;
			return [
				name,
				want,
				(r) => {
					const v = r.variants;
					if (!v) return { status: 'NOT RUN', text: `${name}: ${want}` };
					const exact = (x: boolean) => (x ? 'exact' : 'WRONG');
					const uploads =
						v.uploads === null ? '' : `, uploads ${v.uploads ? 'the input' : 'WRONG'}`;
					const checks = `order ${exact(v.order)}, pairing ${exact(v.pairing)}, seeds ${exact(v.seeds)}${uploads}`;
					const wall = `wall ${secs(r.wallMs, 2)} s = ${fmt(r.ratio, 2)}× ⌈${n}/${VARIANTS.conc}⌉·L = ${secs(r.idealMs)} s`;
					const problems = v.problems.length ? ` (${v.problems.join('; ')})` : '';
					const all = v.requests === n && v.answered200 === n && v.order && v.pairing && v.seeds;
					return verdict(
						all && v.uploads !== false && r.lost === 0,
						`${name}: ${v.requests} requests, ${checks}, ${r.lost} lost, ${wall}${problems}`,
					);
				},
			];
		},
	),
	[
		'queue-lim-c5',
		'every burst 0 lost, ≤ 12 s, ≤ 10 × 429; median ≤ 9.6 s and ≤ 6 × 429 (floor 6 s)',
		(r) => {
			const bursts = r.bursts ?? [];
			const walls = bursts.map((b) => b.wallMs / 1000);
			const refused = bursts.map((b) => b.rejected429);
			const lost = bursts.reduce((sum, b) => sum + b.lost, 0);
			const every = walls.every((w) => w <= 12) && refused.every((n) => n <= 10);
			const ok =
				bursts.length > 0 && lost === 0 && every && median(walls) <= 9.6 && median(refused) <= 6;
			const text =
				`queue-lim-c5: ${bursts.length} bursts of 30: wall ${walls.map((w) => fmt(w)).join(', ')} s (median ${fmt(median(walls))}), ` +
				`429s ${refused.join(', ')} (median ${median(refused)}), lost ${lost} (target every burst 0 lost, ≤ 12 s, ≤ 10 × 429; median ≤ 9.6 s and ≤ 6 × 429 (floor 6 s))`;
			return verdict(ok, text);
		},
	],
	[
		'queue-lim-rpm',
		'0 lost, ≥ 90% of the allowed rate, ≤ 30 × 429',
		(r) =>
			verdict(
				r.lost === 0 && pct(r) >= 90 && r.rejected429 <= 30,
				`queue-lim-rpm: 30 uploads in ${secs(r.wallMs)} s vs a ${secs(r.idealMs)} s floor (${fmt(r.pctOfAllowedRate, 0)}%), ${r.rejected429} × 429, ${r.lost} lost (target 0 lost, ≥ 90% of the allowed rate, ≤ 30 × 429)`,
			),
	],
];

export function targets(results: RowResult[], memory: MemoryResult[] | null): Target[] {
	const by = new Map(results.map((r) => [r.name, r]));
	const of = (name: string, want: string, judge: (r: Ran) => Target): Target => {
		const r = by.get(name);
		return ran(r) ? judge(r) : { status: 'NOT RUN', text: `${name}: ${want}` };
	};
	const t = ROW_TARGETS.slice(0, 5).map((target) => of(...target));
	const [a, b] = [by.get('edit-c10'), by.get('http-edit')];
	const compare =
		'node overhead per item < HTTP Request node overhead per item (edit-c10 vs http-edit)';
	if (!ran(a) || !ran(b)) t.push({ status: 'NOT RUN', text: compare });
	else {
		const text = `overhead per item: node (edit-c10) ${fmt(a.overheadMsPerItem)} ms vs HTTP Request (http-edit) ${fmt(b.overheadMsPerItem)} ms (target: node lower)`;
		t.push(verdict((a.overheadMsPerItem ?? Infinity) < (b.overheadMsPerItem ?? -Infinity), text));
	}
	t.push(...ROW_TARGETS.slice(5, 10).map((target) => of(...target)));
	const [one, two] = [by.get('queue-1w'), by.get('queue-2w')];
	const want = '2 workers ≥ 1.5× the throughput of 1, 0 lost';
	if (!ran(one) || !ran(two) || !one.itemsPerSec || !two.itemsPerSec)
		t.push({ status: 'NOT RUN', text: `queue mode: ${want}` });
	else {
		const gain = two.itemsPerSec / one.itemsPerSec;
		const lost = (one.lost ?? one.items) + (two.lost ?? two.items);
		const split = (two.executionsPerWorker ?? []).join(' + ');
		t.push(
			verdict(
				gain >= 1.5 && lost === 0,
				`queue mode, ${one.items} webhook calls: 1 worker ${secs(one.wallMs)} s, 2 workers ${secs(two.wallMs)} s (executions ${split}): ${fmt(gain, 2)}× the throughput, ${lost} lost (target ${want})`,
			),
		);
	}
	t.push(...ROW_TARGETS.slice(10).map((target) => of(...target)));
	for (const m of MEASUREMENTS.filter(
		(m) => m.targetRatio && !memory?.some((r) => measurementOf(r) === m),
	)) {
		t.push({
			status: 'NOT RUN',
			text: `${m.name}: ${m.label}, growth ≤ ${m.targetRatio}× the image size`,
		});
	}
	for (const r of memory ?? []) {
		const m = measurementOf(r);
		const items = r.items ?? 1;
		const size = fmt(r.imageBytes / MB);
		const image = items === 1 ? `the ${size} MB image` : `the ${items} images' ${size} MB`;
		const text = `${m ? `${m.name}: ${m.label}` : `${r.binaryMode}, ${r.resultFormat}`}: growth ${fmt(r.growthBytes / MB, 0)} MB = ${fmt(r.growthRatio, 2)}× ${image}`;
		if (!m?.targetRatio) t.push({ status: 'INFO', text });
		else t.push(verdict(r.growthRatio <= m.targetRatio, `${text} (target ≤ ${m.targetRatio}×)`));
	}
	return t;
}
