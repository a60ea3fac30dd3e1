// n8n's verification scanner (@n8n/scan-community-package), run the way it runs on a published version,
// minus the download: its own ESLint config and file patterns (inline disables ignored, `no-console`
// included) over the package's source and over the JavaScript inside the `npm pack` tarball.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { ROOT } from '../../support/system.cjs';
import { tempDir } from './files.cjs';

export interface ScanResult {
	passed: boolean;
	message?: string;
	details?: string;
}

/** The tarball leg's patterns, as the scanner passes them for the downloaded package. */
export const TARBALL_PATTERNS = ['**/*.js', 'package.json'];

// The scanner is an ES module; Jest's module system cannot import one, so it runs in a Node of its own.
const SCRIPT = `
	import * as scanner from '@n8n/scan-community-package/scanner/scanner.mjs';
	const [dir, patterns] = process.argv.slice(1);
	const result = await scanner.analyzePackage(dir, patterns ? JSON.parse(patterns) : scanner.SOURCE_FILE_PATTERNS);
	process.stdout.write(JSON.stringify({ passed: result.passed, message: result.message, details: result.details }));`;

/** The scanner's analysis of `dir`: by default its source leg's patterns (nodes/, credentials/, package.json). */
export function scanPackage(dir: string, patterns?: string[]): ScanResult {
	const args = [
		'--input-type=module',
		'-e',
		SCRIPT,
		dir,
		...(patterns ? [JSON.stringify(patterns)] : []),
	];
	// Not Jest's NODE_ENV=test: eslint-plugin-n8n-nodes-base then reads every file name as Test.node.ts.
	const env = { ...process.env, NODE_ENV: undefined };
	return JSON.parse(
		execFileSync(process.execPath, args, { cwd: ROOT, env }).toString(),
	) as ScanResult;
}

/** A packed tarball unpacked into a temp folder, as the scanner unpacks the version it downloads. */
export function unpack(tgz: string): string {
	const dir = tempDir('stepfun-scan-');
	execFileSync('tar', ['-xzf', tgz, '-C', dir, '--strip-components=1']);
	return path.resolve(dir);
}

/** The JavaScript files under `dir`, relative. */
export const jsFiles = (dir: string) =>
	fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((file) => file.endsWith('.js'));

/** What a careless build step could put into a file of dist/: a log line, a timer, a Node built-in. */
export function addToDist(dir: string, file: string): void {
	const code = 'console.log("debug"); setTimeout(() => {}, 1); require("fs");';
	fs.appendFileSync(path.join(dir, 'dist', file), `\n/* eslint-disable */\n${code}\n`);
}
