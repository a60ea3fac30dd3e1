// The shared rate-limit governor in virtual time: n8n processes (one, or queue-mode workers that
// cannot see each other) running executions against one StepFun account with a concurrency limit and
// maybe a per-minute one, through the node's own retry loop. Deterministic (seeded jitter, fake clock).
import { sleep } from 'n8n-workflow';

import { RequestGovernor } from '../../../../nodes/StepFunImage/transport/governor';
import { retrying } from '../../../../nodes/StepFunImage/transport/retry';

interface AccountSpec {
	concurrency: number;
	/** Accepted requests per sliding minute; none when absent. */
	rpm?: number;
	latencyMs: number;
	/** Each answer takes latencyMs times 1 ± this (seeded). */
	jitter?: number;
	/** A request reaches the API 0 to this many ms after it was let go (n8n and the network). */
	overheadMs?: number;
}

/** The API side: refuses (429, at once) beyond its limits, serves the rest after its latency. */
class Account {
	inFlight = 0;
	requests = 0;
	refused = 0;
	private readonly accepted: number[] = [];

	constructor(
		private readonly spec: AccountSpec,
		private readonly random: () => number,
	) {}

	async request(): Promise<boolean> {
		this.requests++;
		const overhead = this.spec.overheadMs ?? 0;
		if (overhead > 0) await sleep(Math.round(this.random() * overhead));
		const now = Date.now();
		while (this.accepted.length && this.accepted[0] <= now - 60000) this.accepted.shift();
		const { concurrency, rpm, latencyMs } = this.spec;
		if (this.inFlight >= concurrency || (rpm !== undefined && this.accepted.length >= rpm)) {
			this.refused++;
			await sleep(2);
			return false;
		}
		this.accepted.push(now);
		this.inFlight++;
		const jitter = this.spec.jitter ?? 0.1;
		await sleep(Math.round(latencyMs * (1 + jitter * (2 * this.random() - 1))));
		this.inFlight--;
		return true;
	}
}

function seeded(seed: number): () => number {
	let s = seed >>> 0;
	return () => {
		s = (s + 0x6d2b79f5) >>> 0;
		let t = s;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

interface Scenario {
	account: AccountSpec;
	/** n8n processes: one, or queue-mode workers; each has its own governor. */
	processes: number;
	/** Executions (one item each), all arriving at once, as a webhook burst. */
	executions: number;
	/** Items per execution (the node's items, run at its Concurrency). */
	items?: number;
	concurrency?: number;
	/** Executions one process runs at once (n8n worker --concurrency, 10 by default). */
	perProcess?: number;
	seed?: number;
	/** Process p takes its first jobs p times this many ms late (one worker fills the account first). */
	staggerMs?: number;
}

interface Outcome {
	wallMs: number;
	requests: number;
	refused: number;
	lost: number;
	/** Per process: executions it ran. */
	ran: number[];
	/** The longest time a process had work waiting and nothing in flight while the account served others. */
	longestIdleMs: number;
}

async function simulate(
	s: Scenario,
	governors = Array.from(
		{ length: s.processes },
		(_, p) =>
			new RequestGovernor({ now: () => Date.now(), random: seeded((s.seed ?? 1) * 97 + p) }),
	),
): Promise<Outcome> {
	const account = new Account(s.account, seeded(s.seed ?? 1));
	const items = s.items ?? 1;
	const queue = Array.from({ length: s.executions }, (_, i) => i);
	const ran = new Array<number>(s.processes).fill(0);
	const inFlight = new Array<number>(s.processes).fill(0);
	const waiting = new Array<number>(s.processes).fill(0);
	let lost = 0;
	// An item as the client runs it: the node's own retry loop, holding the process' governor.
	const runItem = async (p: number, lease: ReturnType<RequestGovernor['open']>) => {
		waiting[p]++;
		try {
			await retrying(
				{ maxRetries: 4, rateLimitWaitMs: 300000, stopping: () => false, governor: lease },
				async () => {
					waiting[p]--;
					inFlight[p]++;
					const served = await account.request();
					inFlight[p]--;
					waiting[p]++;
					return served
						? { ok: true }
						: { failed: () => new Error('429'), retry: 'rateLimited' as const };
				},
			);
		} catch {
			lost++;
		} finally {
			waiting[p]--;
		}
	};
	const worker = async (p: number) => {
		if (s.staggerMs) await sleep(p * s.staggerMs);
		for (let job = queue.shift(); job !== undefined; job = queue.shift()) {
			ran[p]++;
			const lease = governors[p].open(s.concurrency ?? 5);
			let next = 0;
			const slot = async () => {
				while (next < items) {
					next++;
					await runItem(p, lease);
				}
			};
			await Promise.all(Array.from({ length: Math.min(items, (s.concurrency ?? 5) * 2) }, slot));
			lease.close();
		}
	};
	const started = Date.now();
	let done = false;
	// Each process takes jobs as its slots free, the processes in turn (as workers pull from the queue).
	const slots = Array.from({ length: s.perProcess ?? 10 }, () =>
		Array.from({ length: s.processes }, async (_, p) => await worker(p)),
	).flat();
	const all = Promise.all(slots).then(() => (done = true));
	let longestIdleMs = 0;
	const idle = new Array<number>(s.processes).fill(0);
	const step = 50;
	while (!done) {
		await jest.advanceTimersByTimeAsync(step);
		for (let p = 0; p < s.processes; p++) {
			const othersServed = account.inFlight - inFlight[p] > 0;
			idle[p] = waiting[p] > 0 && inFlight[p] === 0 && othersServed ? idle[p] + step : 0;
			longestIdleMs = Math.max(longestIdleMs, idle[p]);
		}
	}
	await all;
	return {
		wallMs: Date.now() - started,
		requests: account.requests,
		refused: account.refused,
		lost,
		ran,
		longestIdleMs,
	};
}

beforeEach(() => jest.useFakeTimers({ now: 1_700_000_000_000 }));
afterEach(() => jest.useRealTimers());

/** Fresh pairs of workers: [seed, how many ms the second worker starts late]. */
const FRESH_RUNS = [
	[1, 0],
	[2, 0],
	[3, 0],
	[4, 60],
	[5, 60],
	[6, 60],
];
const median = (values: number[]) =>
	[...values].sort((x, y) => x - y)[Math.floor(values.length / 2)];

describe('queue-mode workers sharing one account (each its own governor)', () => {
	// n8n and the network take up to 50 ms to get a request to the API: room for races.
	const fiveInFlight = { concurrency: 5, latencyMs: 1000, overheadMs: 50 };

	it('5 in flight, 2 workers at Concurrency 5: 10 bursts of 30 uploads, the same worker processes', async () => {
		const governors = [0, 1].map(
			(p) => new RequestGovernor({ now: () => Date.now(), random: seeded(1000 + p) }),
		);
		const runs: Outcome[] = [];
		for (let burst = 1; burst <= 10; burst++) {
			const scenario = { account: fiveInFlight, processes: 2, executions: 30, seed: burst };
			runs.push(await simulate(scenario, governors));
			await jest.advanceTimersByTimeAsync(5000);
		}
		// Floor: 30 / 5 × 1 s = 6 s.
		for (const run of runs) {
			expect(run).toMatchObject({ lost: 0, ran: [expect.any(Number), expect.any(Number)] });
			expect(run.wallMs).toBeLessThanOrEqual(12000);
			expect(run.refused).toBeLessThanOrEqual(10);
			expect(run.longestIdleMs).toBeLessThanOrEqual(3000);
		}
		expect(median(runs.map((r) => r.wallMs))).toBeLessThanOrEqual(9600);
		expect(median(runs.map((r) => r.refused))).toBeLessThanOrEqual(6);
	});

	it.each(FRESH_RUNS)(
		'5 in flight, fresh workers (seed %i, one worker %i ms late): no worker idles while the other is served, nothing lost',
		async (seed, staggerMs) => {
			const scenario = { account: fiveInFlight, processes: 2, executions: 30, seed, staggerMs };
			const run = await simulate(scenario);
			expect(run.lost).toBe(0);
			expect(run.longestIdleMs).toBeLessThanOrEqual(3000);
			expect(run.wallMs).toBeLessThanOrEqual(12000);
		},
	);

	it.each(FRESH_RUNS)(
		'5 in flight and 10 per minute (seed %i, one worker %i ms late, starved): 30 uploads at ≥ 90 % of the allowed rate, ≤ 30 × 429',
		async (seed, staggerMs) => {
			const account = { concurrency: 5, rpm: 10, latencyMs: 1000, overheadMs: 50 };
			const run = await simulate({ account, processes: 2, executions: 30, seed, staggerMs });
			// Floor: two full windows, then the last 10 at 5 in flight.
			const floor = 120000 + 2 * 1000;
			expect(run.lost).toBe(0);
			expect(floor / run.wallMs).toBeGreaterThanOrEqual(0.9);
			expect(run.refused).toBeLessThanOrEqual(30);
		},
	);
});

describe('one n8n process on a new account (5 in flight, 10 per minute, 1.5 s per request)', () => {
	const newAccount = { concurrency: 5, rpm: 10, latencyMs: 1500 };

	it.each([
		['20 items in one execution', { executions: 1, items: 20 }, 63000],
		['100 items in one execution', { executions: 1, items: 100 }, 543000],
		['50 webhook executions of one item at once', { executions: 50 }, 243000],
		['20 items one at a time (Concurrency 1)', { executions: 1, items: 20, concurrency: 1 }, 75000],
	] as const)(
		'%s: the limit is found and paced (≥ 97 % of the allowed rate)',
		async (_name, shape, floor) => {
			const run = await simulate({ account: newAccount, processes: 1, ...shape });
			expect(run.lost).toBe(0);
			expect(floor / run.wallMs).toBeGreaterThanOrEqual(0.97);
			// Learning it costs a few 429s; after that, one test per minute at most.
			expect(run.refused).toBeLessThanOrEqual(5 + Math.ceil(run.wallMs / 60000));
		},
	);
});
