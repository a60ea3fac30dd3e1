// npm run test:unit: the fast loop. n8n's own lint, the type checks and the unit and n8n-core tests (no
// real n8n, no browser, no services) side by side: the tests mostly wait (timers, local HTTP), so the
// checks fit beside them on 2 cores. The checks' output follows the tests'; the time comes last.
import { spawn } from 'node:child_process';

const started = Date.now();
const run = (command: string, args: string[], quiet = false) =>
	new Promise<{ code: number; output: string }>((resolve) => {
		const child = spawn(command, args, { stdio: quiet ? 'pipe' : 'inherit' });
		let output = '';
		child.stdout?.on('data', (d) => (output += d));
		child.stderr?.on('data', (d) => (output += d));
		child.on('exit', (code) => resolve({ code: code ?? 1, output }));
	});

async function main(): Promise<number> {
	const results = await Promise.all([
		run('npx', ['n8n-node', 'lint'], true),
		run('npx', ['tsc', '-p', 'tsconfig.test.json'], true),
		// 4 workers finish in about half the time of 2 here; the e2e project keeps jest.config.js's 2.
		run('npx', ['jest', '--selectProjects', 'unit', '--maxWorkers=4']),
	]);
	const [lint, types] = results;
	process.stdout.write(`\n${lint.code === 0 ? 'lint passed' : `lint FAILED:\n${lint.output}`}\n`);
	process.stdout.write(`${types.code === 0 ? 'tsc passed' : `tsc FAILED:\n${types.output}`}\n`);
	return results.some((r) => r.code !== 0) ? 1 : 0;
}

void main().then((code) => {
	const seconds = ((Date.now() - started) / 1000).toFixed(1);
	process.stdout.write(`\ntest:unit ${code === 0 ? 'passed' : 'FAILED'} in ${seconds} s\n`);
	process.exit(code);
});
