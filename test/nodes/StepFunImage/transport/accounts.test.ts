import {
	forgetAccounts,
	knownAccounts,
	openAccount,
} from '../../../../nodes/StepFunImage/transport/accounts';

describe('one governor per account per process', () => {
	beforeEach(() => forgetAccounts());

	it('the same Base URL and key share a governor; another key or endpoint gets its own', () => {
		const a = openAccount('https://api.stepfun.com/step_plan/v1', 'sk-one', 5);
		const b = openAccount('https://api.stepfun.com/step_plan/v1', 'sk-one', 2);
		const otherKey = openAccount('https://api.stepfun.com/step_plan/v1', 'sk-two', 5);
		const otherEndpoint = openAccount('https://api.stepfun.com/v1', 'sk-one', 5);
		expect(b.account).toBe(a.account);
		expect(otherKey.account).not.toBe(a.account);
		expect(otherEndpoint.account).not.toBe(a.account);
		expect(otherEndpoint.account).not.toBe(otherKey.account);
		expect(knownAccounts()).toBe(3);
		for (const lease of [a, b, otherKey, otherEndpoint]) lease.close();
	});

	it('keeps no key: the governor holds nothing that contains it', () => {
		const lease = openAccount('https://gw.example/v1', 'sk-secret-do-not-keep', 3);
		const seen = new WeakSet<object>();
		const texts: string[] = [];
		const walk = (value: unknown) => {
			if (typeof value === 'string') texts.push(value);
			if (!value || typeof value !== 'object' || seen.has(value)) return;
			seen.add(value);
			for (const key of Reflect.ownKeys(value)) {
				texts.push(String(key));
				walk((value as Record<string | symbol, unknown>)[key]);
			}
		};
		walk(lease.account);
		expect(texts.join('\n')).not.toContain('sk-secret-do-not-keep');
		lease.close();
	});

	it('drops a governor once idle, and never one still in use', () => {
		const inUse = openAccount('https://gw.example/v1', 'sk-a', 3);
		const done = openAccount('https://gw.example/v1', 'sk-b', 3);
		done.close();
		const later = Date.now() + 11 * 60 * 1000;
		expect(knownAccounts(later)).toBe(1);
		// A new execution after the drop starts afresh.
		const again = openAccount('https://gw.example/v1', 'sk-b', 3);
		expect(again.account).not.toBe(done.account);
		inUse.close();
		again.close();
	});
});
