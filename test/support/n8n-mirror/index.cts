// The code mirrored from n8n, and what each copy assumes: the n8n version it was copied from, and a
// fingerprint of each n8n function it mirrors (its text in n8n's build, whitespace folded). The published
// n8n-core ships only its build and n8n's CLI provides these parts itself, so the harness carries copies;
// drift.test.ts (installed n8n-core) and test/e2e/n8n-mirror.test.ts (the real n8n) say when they go stale.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const MIRRORED_N8N_VERSION = '2.41.1';

export interface Mirror {
	/** The copy, under test/support/n8n-mirror. */
	copy: string;
	/** In n8n's repository. */
	source: string;
	/** In the n8n package's dist/. */
	dist: string;
	/** n8n function → fingerprint of its text when copied. */
	functions: Record<string, string>;
}

export const MIRRORS: Mirror[] = [
	{
		copy: 'credentials-helper.cts',
		source: 'packages/cli/src/credentials-helper.ts',
		dist: 'credentials-helper.js',
		functions: {
			authenticate: '81305723a9551725',
			preAuthentication: '4c837324714c4ff4',
			resolveValue: '18c4c33869eb9a5f',
			applyDefaultsAndOverwrites: 'ed88739d51c382ca',
			getCredentialsProperties: 'bc4a7f0b8846c7d5',
		},
	},
	{
		copy: 'credentials-tester.cts',
		source: 'packages/cli/src/services/credentials-tester.service.ts',
		dist: 'services/credentials-tester.service.js',
		functions: { testCredentials: '59faaeb4847ded26', runRequestTest: '8282e2b6a2f0157c' },
	},
	{
		copy: 'database-manager.cts',
		source: 'packages/cli/src/binary-data/database.manager.ts',
		dist: 'binary-data/database.manager.js',
		functions: { DatabaseManager: 'be8c146be6e64072' },
	},
	{
		copy: 'additional-data.cts',
		source: 'packages/cli/src/workflow-execute-additional-data.ts',
		dist: 'workflow-execute-additional-data.js',
		functions: { getBase: '3f4aa39f1a2501c5' },
	},
];

/**
 * The text of a class method, a class or a top-level function in a built (CommonJS) n8n file: from its
 * declaration to the brace that closes it. Undefined when the file has no such declaration.
 */
export function functionText(source: string, name: string): string | undefined {
	const declaration = new RegExp(
		`^(?:    (?:async )?${name}\\(|(?:let|class) ${name}\\b[^\\n]*\\{\\s*$|(?:async )?function ${name}\\()`,
		'm',
	).exec(source);
	if (!declaration) return undefined;
	// The body opens with the brace that ends the declaration's line (parameters may hold braces).
	let depth = 0;
	const body = declaration.index + source.slice(declaration.index).search(/\{[ \t]*$/m);
	for (let i = body; i < source.length; i++) {
		if (source[i] === '{') depth++;
		else if (source[i] === '}' && --depth === 0) return source.slice(declaration.index, i + 1);
	}
	return undefined;
}

/** A short hash of the text with whitespace folded (formatting changes do not count). */
export function fingerprint(text: string): string {
	return createHash('sha256').update(text.replace(/\s+/g, ' ').trim()).digest('hex').slice(0, 16);
}

/**
 * What no longer matches, in words: the installed n8n-core's version, each copy's header, and (given the
 * dist/ folder of a real n8n of MIRRORED_N8N_VERSION) each mirrored function's fingerprint.
 */
export function driftProblems(n8nDist?: string): string[] {
	const problems: string[] = [];
	const core = JSON.parse(
		fs.readFileSync(require.resolve('n8n-core/package.json'), 'utf8'),
	).version;
	if (core !== MIRRORED_N8N_VERSION) {
		problems.push(
			`n8n-core ${core} is installed, but test/support/n8n-mirror copies n8n ${MIRRORED_N8N_VERSION}: ` +
				`compare each copy with its source in n8n ${core}, update it, then MIRRORED_N8N_VERSION and the fingerprints`,
		);
	}
	for (const m of MIRRORS) {
		const head = fs.readFileSync(path.join(__dirname, m.copy), 'utf8').split('\n', 3).join(' ');
		if (!head.includes(`n8n ${MIRRORED_N8N_VERSION} ${m.source}`)) {
			problems.push(`${m.copy} does not say it mirrors n8n ${MIRRORED_N8N_VERSION} ${m.source}`);
		}
		if (!n8nDist) continue;
		const file = path.join(n8nDist, m.dist);
		if (!fs.existsSync(file)) {
			problems.push(
				`${file} is missing: n8n ${MIRRORED_N8N_VERSION} is not installed where expected`,
			);
			continue;
		}
		const source = fs.readFileSync(file, 'utf8');
		for (const [name, expected] of Object.entries(m.functions)) {
			const text = functionText(source, name);
			const now = text && fingerprint(text);
			if (now === expected) continue;
			problems.push(
				`${name} in n8n's dist/${m.dist} ${text ? `changed (fingerprint ${now}, copied at ${expected})` : 'is gone'}: ` +
					`compare it with test/support/n8n-mirror/${m.copy}, update the copy, then its fingerprint`,
			);
		}
	}
	return problems;
}
