// The real n8n the development layer runs: its version (one constant for the demo, the benchmark, the
// editor check and the suites), installed once into the cache by ensure-n8n.sh (with the Node.js it needs).
import path from 'node:path';

import { CACHE_DIR, runProcess, tail } from '../system.cjs';

/**
 * The n8n every tool runs unless told otherwise (N8N_VERSION overrides it). Moving to a newer n8n is
 * this line, the day it installs: 2.41.3, the registry's `latest` today, does not (some of its @n8n/*
 * dependencies are missing there), and ensureN8n says so.
 */
export const N8N_VERSION = process.env.N8N_VERSION || '2.41.1';
/** The n8n versions the end-to-end suites run in (E2E_N8N_VERSIONS overrides them). */
export const E2E_VERSIONS = (process.env.E2E_N8N_VERSIONS || `${N8N_VERSION},1.123.81`)
	.split(',')
	.map((v) => v.trim())
	.filter(Boolean);

export interface N8nInstall {
	/** The folder of the node binary to run this n8n with. */
	nodeBin: string;
	/** n8n's bin/n8n. */
	n8nBin: string;
	version: string;
}

/** The installed package's dist/ folder (where the n8n copies of ../n8n-mirror come from). */
export const n8nDist = (version: string) =>
	path.join(CACHE_DIR, `n8n-${version}`, 'node_modules', 'n8n', 'dist');

const ensured = new Map<string, Promise<N8nInstall>>();

/** Installs n8n `version` the first time (several minutes, ~3 GB), else finds it; progress on stderr. */
export function ensureN8n(version = N8N_VERSION): Promise<N8nInstall> {
	let install = ensured.get(version);
	if (!install) {
		const script = path.join(__dirname, 'ensure-n8n.sh');
		install = runProcess('bash', [script, version], {
			timeoutMs: 60 * 60 * 1000,
			echoStderr: true,
		}).then((res) => {
			const nodeBin = /^NODE_BIN=(.*)$/m.exec(res.stdout)?.[1].trim();
			const n8nBin = /^N8N_BIN=(.*)$/m.exec(res.stdout)?.[1].trim();
			if (res.code !== 0 || !nodeBin || !n8nBin) {
				const why = notInstallable(version, res.stderr);
				throw new Error(
					why ??
						`ensure-n8n.sh ${version} failed (exit ${res.code}):\n${tail(res.stdout + res.stderr)}`,
				);
			}
			return { nodeBin, n8nBin, version };
		});
		install.catch(() => ensured.delete(version));
		ensured.set(version, install);
	}
	return install;
}

/**
 * Why npm could not install n8n `version` from the registry, in words, when its output says it was a
 * version the registry does not have (npm's ETARGET): n8n's own, or one of its dependencies'.
 */
export function notInstallable(version: string, npmOutput: string): string | undefined {
	const missing = /No matching version found for (\S+?)\.?\s/.exec(`${npmOutput}\n`)?.[1];
	if (!missing) return undefined;
	const fix = `Set N8N_VERSION to a version that installs (${N8N_VERSION} is this suite's), or try again once the registry has it.`;
	if (missing === `n8n@${version}`)
		return `n8n ${version} cannot be installed: the npm registry has no such version. ${fix}`;
	return (
		`n8n ${version} cannot be installed from the npm registry: it depends on ${missing}, which the ` +
		`registry does not have (npm ETARGET). ${fix}`
	);
}
