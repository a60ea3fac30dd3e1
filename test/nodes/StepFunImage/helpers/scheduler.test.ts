import { RequestGovernor, runPool } from '../../../../nodes/StepFunImage/helpers/scheduler';

describe('RequestGovernor', () => {
	it('halves the limit once per congestion episode and grows it back after successes', async () => {
		let now = 0;
		const g = new RequestGovernor({ maxConcurrency: 8, now: () => now, random: () => 1 });
		const tickets = await Promise.all(Array.from({ length: 8 }, () => g.acquire()));
		// Eight requests in flight hit the limit together: only the first 429 shrinks it.
		g.release(tickets[0], 'rateLimited');
		g.release(tickets[1], 'rateLimited');
		expect(g.currentLimit).toBe(4);
		for (const t of tickets.slice(2)) g.release(t, 'success');
		now += 60000;
		// Additive increase: one step per `limit` successes.
		for (let i = 0; i < 4; i++) g.release(await g.acquire(), 'success');
		expect(g.currentLimit).toBe(5);
	});

	it('pauses everyone after a 429, honouring Retry-After', async () => {
		let now = 1000;
		const g = new RequestGovernor({ maxConcurrency: 2, now: () => now });
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
		const g = new RequestGovernor({
			maxConcurrency: 1,
			random: () => 1,
			baseBackoffMs: 100,
			maxBackoffMs: 1000,
		});
		expect([1, 2, 3, 4, 5, 6].map((a) => g.backoff(a))).toEqual([100, 200, 400, 800, 1000, 1000]);
		const low = new RequestGovernor({ maxConcurrency: 1, random: () => 0, baseBackoffMs: 100 });
		expect(low.backoff(1)).toBe(50);
	});

	it('rejects waiters when the execution is cancelled', async () => {
		const controller = new AbortController();
		const g = new RequestGovernor({ maxConcurrency: 1, signal: controller.signal });
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
