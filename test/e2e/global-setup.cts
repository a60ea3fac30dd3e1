// Before the end-to-end suites: the package built, and each tested n8n installed (the first time: several
// minutes per version into ~/.cache/n8n-nodes-stepfun; later runs find it). Jest loads this file with
// Node's own resolution, so the TypeScript loader that maps `.cjs` imports onto `.cts` files comes first.
import { execFileSync } from 'node:child_process';
import path from 'node:path';

export default async function globalSetup(): Promise<void> {
	require('tsx/cjs');
	const { E2E_VERSIONS, ensureN8n } =
		require('../support/n8n/install.cjs') as typeof import('../support/n8n/install.cjs');
	execFileSync('npm', ['run', '-s', 'build'], {
		cwd: path.resolve(__dirname, '../..'),
		stdio: ['ignore', 'ignore', 'inherit'],
	});
	// One after the other: two installs at once would fight over 2 cores and the network.
	for (const version of E2E_VERSIONS) await ensureN8n(version);
}
