// What the suite's set-up says when npm cannot install an n8n version. The npm output is what npm 11
// printed here for n8n 2.41.3, the registry's `latest`, whose newest @n8n/* dependencies are missing.
import { N8N_VERSION, notInstallable } from './install.cjs';

const NPM_2_41_3 = `npm error code ETARGET
npm error notarget No matching version found for @n8n/agents@0.26.2.
npm error notarget In most cases you or one of your dependencies are requesting a package version that doesn't exist.
npm error A complete log of this run can be found in: /root/.npm/_logs/2026-12-05T15_29_44_958Z-debug-0.log`;

describe('notInstallable', () => {
	it('names the dependency the registry lacks and the setting that picks another n8n', () => {
		expect(notInstallable('2.41.3', NPM_2_41_3)).toBe(
			'n8n 2.41.3 cannot be installed from the npm registry: it depends on @n8n/agents@0.26.2, which ' +
				'the registry does not have (npm ETARGET). Set N8N_VERSION to a version that installs ' +
				`(${N8N_VERSION} is this suite's), or try again once the registry has it.`,
		);
	});

	it('says so when n8n itself has no such version', () => {
		const npm =
			'npm error code ETARGET\nnpm error notarget No matching version found for n8n@9.9.9.\n';
		expect(notInstallable('9.9.9', npm)).toMatch(
			/^n8n 9\.9\.9 cannot be installed: the npm registry has no such version\. Set N8N_VERSION/,
		);
	});

	it('leaves other failures to the raw output', () => {
		expect(notInstallable('2.41.1', 'npm error code ECONNRESET\nnpm error network aborted')).toBe(
			undefined,
		);
	});
});
