// The suite's set-up against the real registry: an n8n version npm cannot install ends with a sentence
// that says so and what to set, and leaves nothing half-installed in the cache. (n8n 1.x: no Node 24
// download first; the cache is a temp folder, not the suite's.)
import { ensureIntoTempCache } from './helpers/install.cjs';
import { N8N_VERSION, notInstallable } from '../support/n8n/install.cjs';

test('an n8n version the registry does not have: a clear message, nothing left behind', async () => {
	const run = await ensureIntoTempCache('1.999.0');
	expect(run.code).not.toBe(0);
	expect(run.stdout).not.toMatch(/N8N_BIN=/);
	expect(notInstallable('1.999.0', run.stderr)).toBe(
		'n8n 1.999.0 cannot be installed: the npm registry has no such version. Set N8N_VERSION to a ' +
			`version that installs (${N8N_VERSION} is this suite's), or try again once the registry has it.`,
	);
	expect(run.left).toEqual([]);
}, 180000);
