// Both legs of n8n's verification scan, as `@n8n/scan-community-package` runs them on a published
// version: its rule set over the source it scans (nodes/, credentials/, package.json) and over the
// JavaScript inside the `npm pack` tarball, so a build step that put a forbidden global into dist/ fails
// here and not at verification.
import { packPackage, tarballFiles } from './e2e-helpers.cjs';
import { ROOT } from '../support/system.cjs';
import { addToDist, jsFiles, scanPackage, TARBALL_PATTERNS, unpack } from './helpers/scan.cjs';

describe("n8n's verification scanner", () => {
	let tarballDir = '';
	beforeAll(() => {
		const tgz = packPackage();
		expect(tarballFiles(tgz)).toContain('package/dist/nodes/StepFunImage/StepFunImage.node.js');
		tarballDir = unpack(tgz);
	});

	test('the source leg passes: nodes/, credentials/ and package.json', () => {
		const result = scanPackage(ROOT);
		expect(result.details ?? '').toBe('');
		expect(result).toEqual({ passed: true });
	});

	test('the tarball leg passes: the packed dist/ JavaScript and the published package.json', () => {
		const js = jsFiles(tarballDir);
		expect(js.length).toBeGreaterThan(20);
		const result = scanPackage(tarballDir, TARBALL_PATTERNS);
		expect(result.details ?? '').toBe('');
		expect(result).toEqual({ passed: true });
	});

	test('the tarball leg catches what a build step could add to dist/, inline disables or not', () => {
		const copy = unpack(packPackage());
		addToDist(copy, 'nodes/StepFunImage/transport/wait.js');
		const result = scanPackage(copy, TARBALL_PATTERNS);
		expect(result.passed).toBe(false);
		expect(result.details).toContain('wait.js');
		for (const rule of [
			'no-console',
			'@n8n/community-nodes/no-restricted-globals',
			'@n8n/community-nodes/no-restricted-imports',
		])
			expect(result.details).toContain(rule);
	});
});
