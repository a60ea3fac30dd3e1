// The copies of n8n's code still match the installed n8n-core (its version, and each copy's header).
// test/e2e/n8n-mirror.test.ts compares the copied functions with a real n8n's.
import { driftProblems, MIRRORS } from './index.cjs';

describe('the n8n copies the harness carries', () => {
	it('mirror the installed n8n-core version, each naming its source', () => {
		expect(MIRRORS.length).toBeGreaterThan(0);
		expect(driftProblems()).toEqual([]);
	});
});
