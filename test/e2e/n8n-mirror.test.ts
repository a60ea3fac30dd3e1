// The n8n code the harness copies (test/support/n8n-mirror) against the real n8n it was copied from:
// every mirrored function's text in n8n's build, fingerprinted, must be what the copy was made from.
import { n8nDist } from '../support/n8n/install.cjs';
import { driftProblems, MIRRORED_N8N_VERSION, MIRRORS } from '../support/n8n-mirror/index.cjs';

test(`the harness' copies of n8n still match n8n ${MIRRORED_N8N_VERSION}'s own code`, () => {
	expect(MIRRORS.flatMap((m) => Object.keys(m.functions))).toHaveLength(9);
	expect(driftProblems(n8nDist(MIRRORED_N8N_VERSION))).toEqual([]);
});
