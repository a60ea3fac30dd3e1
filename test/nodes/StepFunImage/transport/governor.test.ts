import { runPool } from '../../../../nodes/StepFunImage/actions/router';
import { RequestGovernor } from '../../../../nodes/StepFunImage/transport/governor';

/** Lets pending promise callbacks run. */
const settle = async () => {
	for (let i = 0; i < 5; i++) await Promise.resolve();
};

describe('RequestGovernor', () => {
	it('halves the limit once per congestion episode and grows it back after successes', async () => {
		let now = 0;
		const account = new RequestGovernor({ now: () => now, random: () => 1 });
		const g = account.open(8);
		const tickets = await Promise.all(Array.from({ length: 8 }, () => g.acquire()));
		// Eight requests in flight hit the limit together: only the first 429 shrinks it.
		g.release(tickets[0], 'rateLimited');
		g.release(tickets[1], 'rateLimited');
		expect(account.currentLimit).toBe(4);
		for (const t of tickets.slice(2)) g.release(t, 'success');
		now += 60000;
		// Additive increase: one step per `limit` successes.
		for (let i = 0; i < 4; i++) g.release(await g.acquire(), 'success');
		expect(account.currentLimit).toBe(5);
	});

	it('after a 429, one request tests the API before the others follow', async () => {
		let now = 0;
		const account = new RequestGovernor({ now: () => now, random: () => 1 });
		const g = account.open(6);
		const tickets = await Promise.all(Array.from({ length: 6 }, () => g.acquire()));
		for (const t of tickets) g.release(t, 'rateLimited');
		expect(account.currentLimit).toBe(3);
		now += 60000;
		const lone = await g.acquire();
		expect(lone.alone).toBe(true);
		let second = false;
		const next = g.acquire().then((t) => {
			second = true;
			return t;
		});
		await settle();
		expect(second).toBe(false);
		// Served: the halved limit applies again, and the waiting request goes at once.
		g.release(lone, 'success');
		const t2 = await next;
		const t3 = await g.acquire();
		expect([t2.alone, t3.alone]).toEqual([true, false]);
		expect(account.stats.started).toBe(9);
	});

	it('pauses everyone after a 429, honouring Retry-After', async () => {
		let now = 1000;
		const account = new RequestGovernor({ now: () => now });
		const g = account.open(2);
		const t = await g.acquire();
		expect(g.release(t, 'rateLimited', 3000)).toBe(3000);
		let acquired = false;
		const pending = g.acquire().then(() => (acquired = true));
		await Promise.resolve();
		expect(acquired).toBe(false);
		now += 3000;
		await pending;
		expect(acquired).toBe(true);
	});

	it('backs off exponentially with jitter, capped', () => {
		const account = new RequestGovernor({
			random: () => 1,
			baseBackoffMs: 100,
			maxBackoffMs: 1000,
		});
		const g = account.open(1);
		expect([1, 2, 3, 4, 5, 6].map((a) => g.backoff(a))).toEqual([100, 200, 400, 800, 1000, 1000]);
		const lowAccount = new RequestGovernor({ random: () => 0, baseBackoffMs: 100 });
		const low = lowAccount.open(1);
		expect(low.backoff(1)).toBe(50);
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

describe('RequestGovernor and a requests-per-minute limit', () => {
	it('learns the window from repeated 429s on a lone request and sends exactly when a slot frees', async () => {
		let now = 0;
		const account = new RequestGovernor({ now: () => now, random: () => 1 });
		const g = account.open(5);
		// 10 accepted requests between t=0 and t=1.5 s.
		for (let i = 0; i < 10; i++) {
			if (i === 5) now = 1500;
			const t = await g.acquire();
			g.release(t, 'success');
		}
		// The window is full: the next requests are refused.
		now = 3000;
		let t = await g.acquire();
		g.release(t, 'rateLimited');
		expect(account.currentLimit).toBe(2);
		now += 10000;
		t = await g.acquire();
		expect(t.alone).toBe(true);
		const pause = g.release(t, 'rateLimited');
		expect(account.stats.learnedRateLimit).toBe(10);
		// Learned but not yet confirmed: one probe after the longest backoff (8 s) tests it…
		expect(now + pause).toBe(13000 + 8000);
		now = 21000;
		const probe = await g.acquire();
		expect(probe.probe).toBe(true);
		// …refused, so the window is real: the pause reaches just past the moment the first accepted
		// request leaves the window.
		const confirmed = g.release(probe, 'rateLimited');
		expect(now + confirmed).toBe(60000 + 200);
		now = 60200;
		const first = await g.acquire();
		g.release(first, 'success');
		// The window paces the requests now: the whole Concurrency is back.
		expect(account.currentLimit).toBe(5);
		// The window (10 per minute) now holds 5 from t=1.5 s and 1 new: 4 more fit…
		for (let i = 0; i < 4; i++) g.release(await g.acquire(), 'success');
		// …and the next waits until the requests of t=1.5 s leave the window (1.5 s from now).
		let sent = false;
		const next = g.acquire().then((ticket) => {
			sent = true;
			return ticket;
		});
		await Promise.resolve();
		expect(sent).toBe(false);
		now = 61700;
		g.release(await next, 'success');
		expect(sent).toBe(true);
		expect(account.stats.rateLimited).toBe(3);
	});

	it('forgets a learned window when its probe is served: other workers were holding the slots', async () => {
		let now = 0;
		const account = new RequestGovernor({ now: () => now, random: () => 1 });
		const g = account.open(5);
		for (let i = 0; i < 6; i++) g.release(await g.acquire(), 'success');
		now = 1000;
		g.release(await g.acquire(), 'rateLimited');
		now = 5000;
		const lone = await g.acquire();
		expect(lone.alone).toBe(true);
		expect(g.release(lone, 'rateLimited')).toBe(8000);
		expect(account.stats.learnedRateLimit).toBe(6);
		now = 13000;
		const probe = await g.acquire();
		expect(probe.probe).toBe(true);
		g.release(probe, 'success');
		expect(account.stats.learnedRateLimit).toBe(0);
		// No 60 s wait: the next requests go at once.
		let sent = 0;
		await Promise.all(
			[g.acquire(), g.acquire()].map(async (t) => g.release(await t, 'success') + sent++),
		);
		expect(sent).toBe(2);
		expect(now).toBe(13000);
	});

	it('does not learn a window from 429s that hit a crowd (a concurrency limit)', async () => {
		const account = new RequestGovernor({ random: () => 0, baseBackoffMs: 1 });
		const g = account.open(4);
		const tickets = await Promise.all([g.acquire(), g.acquire(), g.acquire(), g.acquire()]);
		for (const t of tickets) g.release(t, 'rateLimited');
		expect(account.stats.learnedRateLimit).toBe(0);
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

	it('shares what a 429 taught: the halved limit and the pause apply to every execution', async () => {
		let now = 0;
		const account = new RequestGovernor({ now: () => now, random: () => 1 });
		const a = account.open(4);
		const b = account.open(4);
		const ticket = await a.acquire();
		expect(a.release(ticket, 'rateLimited', 2000)).toBe(2000);
		expect(account.currentLimit).toBe(2);
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
		await expect(waitingOther).resolves.toMatchObject({ alone: false });
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
