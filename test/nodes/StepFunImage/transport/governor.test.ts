import { runPool } from '../../../../nodes/StepFunImage/actions/router';
import { RequestGovernor } from '../../../../nodes/StepFunImage/transport/governor';
import type { Ticket } from '../../../../nodes/StepFunImage/transport/lease';

/** Lets pending promise callbacks run. */
const settle = async () => {
	for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('RequestGovernor', () => {
	it('a 429 sets the limit to what the account holds of ours, and it grows back a step per round', async () => {
		let now = 0;
		const account = new RequestGovernor({ now: () => now, random: () => 1 });
		const g = account.open(8);
		const tickets = await Promise.all(Array.from({ length: 8 }, () => g.acquire()));
		// Another instance holds the rest: two of eight are refused, six stay in flight.
		g.release(tickets[0], 'rateLimited');
		g.release(tickets[1], 'rateLimited');
		expect(account.currentLimit).toBe(6);
		for (const t of tickets.slice(2)) g.release(t, 'success');
		now += 10000;
		// One step per round of successes at the limit (6 of them), once the new slot is free to use.
		for (let i = 0; i < 6; i++) g.release(await g.acquire(), 'success');
		expect(account.currentLimit).toBe(7);
	});

	it('when the account holds none of ours, everyone waits, then one request tests it alone', async () => {
		let now = 0;
		const account = new RequestGovernor({ now: () => now, random: () => 0 });
		const g = account.open(6);
		const tickets = await Promise.all(Array.from({ length: 6 }, () => g.acquire()));
		for (const t of tickets) g.release(t, 'rateLimited');
		expect(account.currentLimit).toBe(1);
		let sent = false;
		const next = g.acquire().then((t) => {
			sent = true;
			return t;
		});
		await settle();
		expect(sent).toBe(false);
		now += 1000;
		const lone = await next;
		expect(account.requestsInFlight).toBe(1);
		let second = false;
		void g.acquire().then(() => (second = true));
		await settle();
		expect(second).toBe(false);
		g.release(lone, 'success');
		await settle();
		expect(second).toBe(true);
	});

	it('pauses everyone after a 429 with Retry-After, for as long as it says', async () => {
		let now = 1000;
		const account = new RequestGovernor({ now: () => now });
		const g = account.open(2);
		const other = await g.acquire();
		const t = await g.acquire();
		expect(g.release(t, 'rateLimited', 3000)).toBe(3000);
		let acquired = false;
		const pending = g.acquire().then(() => (acquired = true));
		g.release(other, 'success');
		await settle();
		expect(acquired).toBe(false);
		now += 3000;
		await pending;
		expect(acquired).toBe(true);
	});

	it('a refused request waits 1 s plus jitter that spreads with the 429s in a row, wider when they last', async () => {
		let now = 0;
		const account = new RequestGovernor({ now: () => now, random: () => 1 });
		const g = account.open(5);
		// The 429s of one moment (a wave met the limit) are one step: 1 s of jitter.
		const wave = await Promise.all(Array.from({ length: 5 }, () => g.acquire()));
		expect(wave.map((t) => g.release(t, 'rateLimited'))).toEqual([2000, 2000, 2000, 2000, 2000]);
		// Each later step (a lone test refused) doubles the spread: up to 8 s while the 429s are recent,
		// 16 s once they have lasted 15 s (as when other workers hold the account)…
		const delays: number[] = [];
		for (let step = 0; step < 5; step++) {
			now += delays.at(-1) ?? 2000;
			delays.push(g.release(await g.acquire(), 'rateLimited'));
		}
		expect(delays).toEqual([3000, 5000, 9000, 17000, 17000]);
		// …yet never past the next minute since they began, when a per-minute limit others used up frees.
		now = 59000;
		expect(g.release(await g.acquire(), 'rateLimited')).toBe(1300);
	});

	it('rejects waiters when the execution is cancelled', async () => {
		const controller = new AbortController();
		const account = new RequestGovernor();
		const g = account.open(1, controller.signal);
		await g.acquire();
		const waiting = g.acquire();
		controller.abort();
		await expect(waiting).rejects.toThrow(/cancelled/);
	});
});

describe('runPool', () => {
	it('never runs more than the concurrency and covers every index once', async () => {
		let running = 0;
		let peak = 0;
		const seen: number[] = [];
		await runPool(
			20,
			3,
			async (i) => {
				running++;
				peak = Math.max(peak, running);
				await new Promise<void>((resolve) => queueMicrotask(resolve));
				seen.push(i);
				running--;
			},
			() => false,
		);
		expect(peak).toBe(3);
		expect(seen.sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
	});

	it('stops starting tasks once asked to', async () => {
		const started: number[] = [];
		let stop = false;
		await runPool(
			10,
			2,
			async (i) => {
				started.push(i);
				if (i === 3) stop = true;
			},
			() => stop,
		);
		expect(started.length).toBeLessThan(10);
		expect(started).toContain(3);
	});
});

describe('RequestGovernor and a requests-per-minute limit (virtual time)', () => {
	beforeEach(() => jest.useFakeTimers({ now: 0 }));
	afterEach(() => jest.useRealTimers());

	/** Moves the clock to `ms` since the start, running the timers due on the way. */
	const at = async (ms: number) => await jest.advanceTimersByTimeAsync(ms - Date.now());
	const governor = () => new RequestGovernor({ now: () => Date.now(), random: () => 0 });

	/** A full window: `count` requests accepted at t=0, their slots just left, the next one handed over. */
	async function exhausted(g: ReturnType<RequestGovernor['open']>, count: number) {
		const first = await Promise.all(Array.from({ length: count }, () => g.acquire()));
		for (const t of first) g.release(t, 'success');
		return await g.acquire();
	}

	/** The next ticket and when it was handed out. */
	function next(g: ReturnType<RequestGovernor['open']>) {
		const got: { ticket?: Ticket; at?: number } = {};
		void g.acquire().then((ticket) => Object.assign(got, { ticket, at: Date.now() }));
		return got;
	}

	it('a refused hand-over makes a window suspected: only lone probes go, 1 s later, then 3 s later', async () => {
		const account = governor();
		const g = account.open(5);
		const handover = await exhausted(g, 5);
		expect(handover.handover).toBe(true);
		g.release(handover, 'rateLimited');
		// Suspected from a hand-over, not concurrency: the limit stays; nothing but probes goes.
		expect([account.stats.learnedRateLimit, account.currentLimit]).toEqual([5, 5]);
		const first = next(g);
		await at(999);
		expect(first.ticket).toBeUndefined();
		await at(1000);
		expect(first).toMatchObject({ at: 1000, ticket: { probe: true } });
		expect(account.requestsInFlight).toBe(1);
		const second = next(g);
		await settle();
		expect(second.ticket).toBeUndefined(); // one probe at a time
		g.release(first.ticket!, 'rateLimited');
		await at(3999);
		expect(second.ticket).toBeUndefined();
		await at(4000);
		expect(second).toMatchObject({ at: 4000, ticket: { probe: true } });
		g.release(second.ticket!, 'unsent');
	});

	it('a suspected window whose probe is served is forgotten at once: other instances held the slots', async () => {
		const account = governor();
		const g = account.open(5);
		g.release(await exhausted(g, 5), 'rateLimited');
		await at(1000);
		g.release(await g.acquire(), 'success');
		expect(account.stats.learnedRateLimit).toBe(0);
		const more = await Promise.all([g.acquire(), g.acquire(), g.acquire()]);
		expect(more.some((t) => t.probe)).toBe(false);
		expect(Date.now()).toBe(1000);
	});

	it('a request accepted beyond a suspected limit forgets it: the refusal was no rate limit', async () => {
		const account = governor();
		const g = account.open(5);
		for (const t of await Promise.all(Array.from({ length: 5 }, () => g.acquire())))
			g.release(t, 'success');
		// Two hand-overs sent together: one is refused, the other, sent as early, is served.
		const [h1, h2] = await Promise.all([g.acquire(), g.acquire()]);
		g.release(h1, 'rateLimited');
		expect(account.stats.learnedRateLimit).toBe(5);
		g.release(h2, 'success');
		expect(account.stats.learnedRateLimit).toBe(0);
	});

	it('two refused probes and the window freeing when predicted confirm it: the whole Concurrency, paced', async () => {
		const account = governor();
		const g = account.open(5);
		g.release(await exhausted(g, 5), 'rateLimited');
		// Probes after 1 s, 3 s, 9 s, then every 18 s, each refused.
		for (const time of [1000, 4000, 13000, 31000, 49000]) {
			const probe = next(g);
			await at(time - 1);
			expect(probe.ticket).toBeUndefined();
			await at(time);
			expect(probe).toMatchObject({ at: time, ticket: { probe: true } });
			g.release(probe.ticket!, 'rateLimited');
		}
		// The first requests leave the window at 60 s: then it is confirmed, and five go at once.
		const five = Array.from({ length: 5 }, () => next(g));
		await at(60199);
		expect(five.some((n) => n.ticket)).toBe(false);
		await at(60200);
		expect(five.map((n) => [n.at, n.ticket?.probe])).toEqual(
			Array.from({ length: 5 }, () => [60200, false]),
		);
		expect([account.stats.learnedRateLimit, account.currentLimit]).toEqual([5, 5]);
		for (const n of five) g.release(n.ticket!, 'success');
		// Full again: one probe 1 s later; refused, none until it has room again.
		const probe = next(g);
		await at(61200);
		expect(probe).toMatchObject({ at: 61200, ticket: { probe: true } });
		g.release(probe.ticket!, 'rateLimited');
		const after = next(g);
		await at(120399);
		expect(after.ticket).toBeUndefined();
		await at(120400);
		expect(after).toMatchObject({ at: 120400, ticket: { probe: false } });
		expect(account.stats.rateLimited).toBe(7);
		// Alone on the account, refused probes of a full window come later each time: 3 s, then 9 s.
		const rest = Array.from({ length: 4 }, () => next(g));
		await settle();
		for (const t of [after, ...rest]) g.release(t.ticket!, 'success');
		for (const [start, delay] of [
			[120400, 3000],
			[180600, 9000],
		]) {
			const late = next(g);
			await at(start + delay - 1);
			expect(late.ticket).toBeUndefined();
			await at(start + delay);
			expect(late).toMatchObject({ at: start + delay, ticket: { probe: true } });
			g.release(late.ticket!, 'rateLimited');
			const refill = Array.from({ length: 5 }, () => next(g));
			await at(start + 60200);
			expect(refill.map((n) => n.at)).toEqual(Array(5).fill(start + 60200));
			for (const n of refill) g.release(n.ticket!, 'success');
		}
	});

	it('a probe served past a confirmed window raises it: another instance left its share unused', async () => {
		const account = governor();
		const g = account.open(5);
		g.release(await exhausted(g, 5), 'rateLimited');
		for (const time of [1000, 4000, 13000, 31000, 49000]) {
			await at(time);
			g.release(await g.acquire(), 'rateLimited');
		}
		await at(60200);
		const five = await Promise.all(Array.from({ length: 5 }, () => g.acquire()));
		for (const t of five) g.release(t, 'success');
		const probe = next(g);
		await at(61200);
		expect(probe).toMatchObject({ at: 61200, ticket: { probe: true } });
		g.release(probe.ticket!, 'success');
		expect(account.stats.learnedRateLimit).toBe(6);
		// …and the next probe follows at once.
		const again = next(g);
		await settle();
		expect(again).toMatchObject({ at: 61200, ticket: { probe: true } });
	});

	it('never learns a window from refusals a concurrency limit explains (a crowd, a lone retry)', async () => {
		const account = governor();
		const g = account.open(4);
		for (const t of await Promise.all([g.acquire(), g.acquire(), g.acquire(), g.acquire()]))
			g.release(t, 'rateLimited');
		for (let i = 1; i <= 5; i++) {
			await at(i * 20000);
			const lone = await g.acquire();
			expect(lone).toMatchObject({ handover: false });
			expect(account.requestsInFlight).toBe(1);
			g.release(lone, 'rateLimited');
		}
		expect(account.stats.learnedRateLimit).toBe(0);
	});

	it('a raised limit lets hand-overs go first, so no request of ours takes their slot', async () => {
		const account = governor();
		const g = account.open(4);
		const first = await Promise.all([g.acquire(), g.acquire(), g.acquire(), g.acquire()]);
		g.release(first[0], 'rateLimited');
		expect(account.currentLimit).toBe(3);
		// A round of successes at 3 raises the limit to 4: a slot just left is handed over at once,
		// the new one only 100 ms later.
		await at(1000);
		for (const t of first.slice(1)) g.release(t, 'success');
		for (let i = 0; i < 2; i++) g.release(await g.acquire(), 'success');
		const held = await Promise.all([g.acquire(), g.acquire(), g.acquire()]);
		g.release(held[0], 'success');
		expect(account.currentLimit).toBe(4);
		const handover = await g.acquire();
		expect(handover.handover).toBe(true);
		const extra = next(g);
		await at(1099);
		expect(extra.ticket).toBeUndefined();
		await at(1100);
		expect(extra).toMatchObject({ at: 1100, ticket: { handover: false } });
	});
});

describe('one governor shared by the executions of an account', () => {
	it('never has more in flight than the largest Concurrency, and each execution keeps its own cap', async () => {
		const account = new RequestGovernor();
		const big = account.open(5);
		const small = account.open(3);
		const fromSmall = await Promise.all([small.acquire(), small.acquire(), small.acquire()]);
		let smallFourth = false;
		void small.acquire().then(() => (smallFourth = true));
		const fromBig = await Promise.all([big.acquire(), big.acquire()]);
		let bigThird = false;
		void big.acquire().then(() => (bigThird = true));
		await settle();
		// 5 in flight: the account's limit, though the big execution alone has room for 3 more.
		expect([smallFourth, bigThird]).toEqual([false, false]);
		expect(account.currentLimit).toBe(5);
		big.release(fromBig[0], 'success');
		await settle();
		// The freed slot goes to the big execution: the small one is at its own cap of 3.
		expect([smallFourth, bigThird]).toEqual([false, true]);
		// A slot freed by the small execution is its own again: back at 3 of its 3, 5 in all.
		small.release(fromSmall[0], 'success');
		await settle();
		expect(smallFourth).toBe(true);
		let bigFourth = false;
		void big.acquire().then(() => (bigFourth = true));
		await settle();
		expect(bigFourth).toBe(false);
	});

	it('shares what a 429 taught: the limit and the pause apply to every execution', async () => {
		let now = 0;
		const account = new RequestGovernor({ now: () => now, random: () => 1 });
		const a = account.open(4);
		const b = account.open(4);
		const held = await a.acquire();
		const ticket = await a.acquire();
		expect(a.release(ticket, 'rateLimited', 2000)).toBe(2000);
		expect(account.currentLimit).toBe(1);
		a.release(held, 'success');
		let sent = false;
		const waiting = b.acquire().then((t) => {
			sent = true;
			return t;
		});
		await settle();
		expect(sent).toBe(false);
		now = 2000;
		b.release(await waiting, 'success');
		expect(sent).toBe(true);
		expect(account.stats.rateLimited).toBe(1);
	});

	it('a cancel stops only its own execution', async () => {
		const account = new RequestGovernor();
		const controller = new AbortController();
		const cancelled = account.open(1, controller.signal);
		const other = account.open(2);
		const held = await cancelled.acquire();
		const otherFirst = await other.acquire();
		const waitingCancelled = cancelled.acquire();
		const waitingOther = other.acquire();
		controller.abort();
		await expect(waitingCancelled).rejects.toThrow(/cancelled/);
		other.release(otherFirst, 'success');
		await expect(waitingOther).resolves.toHaveProperty('sentAt');
		expect(account.requestsInFlight).toBe(2);
		cancelled.release(held, 'unsent');
	});

	it('the account limit follows the executions open: it shrinks to the largest remaining Concurrency', async () => {
		const account = new RequestGovernor();
		const big = account.open(8);
		const small = account.open(2);
		expect(account.currentLimit).toBe(8);
		big.close();
		expect(account.currentLimit).toBe(2);
		expect(account.openLeases).toBe(1);
		small.close();
		await expect(small.acquire()).rejects.toThrow(/cancelled/);
	});
});
