// npm run test:unit: the fast loop. n8n's own lint and the type checks side by side, then the unit and
// n8n-core tests (no real n8n, no browser, no services); its time at the end.
import { spawn } from 'node:child_process';

const started = Date.now();
const run = (command: string, args: string[]) =>
	new Promise<number>((resolve) => {
		const child = spawn(command, args, { stdio: 'inherit' });
		child.on('exit', (code) => resolve(code ?? 1));
	});

async function main(): Promise<number> {
	const checks = await Promise.all([
		run('npx', ['n8n-node', 'lint']),
		run('npx', ['tsc', '-p', 'tsconfig.test.json']),
	]);
	if (checks.some((code) => code !== 0)) return 1;
	// These tests mostly wait (timers, local HTTP), not compute: 4 workers finish in about half the time
	// of 2 on 2 cores. The e2e project keeps jest.config.js's 2, for real n8n processes.
	return await run('npx', ['jest', '--selectProjects', 'unit', '--maxWorkers=4']);
}

void main().then((code) => {
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	process.stdout.write(`\ntest:unit ${code === 0 ? 'passed' : 'FAILED'} in ${seconds} s\n`);
	process.exit(code);
});
