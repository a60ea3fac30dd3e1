// ensure-n8n.sh run for real with a cache folder of its own, for the set-up's own tests.
import fs from 'node:fs';
import path from 'node:path';

import { ROOT, runProcess, tempDir } from '../../support/system.cjs';

/** The script's run for `version` into a fresh cache; what it printed, and what it left in that cache. */
export async function ensureIntoTempCache(version: string) {
	const cache = tempDir('stepfun-n8n-cache-');
	const script = path.join(ROOT, 'test/support/n8n/ensure-n8n.sh');
	const run = await runProcess('bash', [script, version], {
		env: { ...process.env, STEPFUN_N8N_CACHE: cache },
		timeoutMs: 170000,
	});
	const left = fs.readdirSync(cache).filter((f) => f.startsWith('n8n-') && !f.endsWith('.lock'));
	return { ...run, left };
}
