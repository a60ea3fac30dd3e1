// Files for the end-to-end suites: temp folders, fixtures, hashes, the packed package, searches.
import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { removeDir, ROOT, tempDir as systemTempDir } from '../../support/system.cjs';

export { ROOT };
export const FIXTURES_DIR = path.join(ROOT, 'test', 'fixtures');
export const TLS_CERT = path.join(FIXTURES_DIR, 'tls', 'localhost-cert.pem');

const made: string[] = [];
/** A new temp folder, removed by removeTempDirs(). */
export function tempDir(prefix: string): string {
	const dir = systemTempDir(prefix);
	made.push(dir);
	return dir;
}
export const removeTempDirs = () => made.splice(0).forEach(removeDir);

export const sha256 = (buf: Buffer | Uint8Array) =>
	crypto.createHash('sha256').update(buf).digest('hex');
export const fixturePath = (name: string) => path.join(FIXTURES_DIR, name);
export const readFile = (file: string) => fs.readFileSync(file);
export const listDir = (dir: string) => fs.readdirSync(dir).sort();

/** Files under `dir` (recursively) whose bytes contain `needle`. */
export function filesContaining(dir: string, needle: string): string[] {
	const want = Buffer.from(needle);
	return fs
		.readdirSync(dir, { withFileTypes: true, recursive: true })
		.filter((entry) => entry.isFile())
		.map((entry) => path.join(entry.parentPath, entry.name))
		.filter((file) => fs.readFileSync(file).includes(want));
}

/** `npm pack` of the (built) package into a temp folder; the .tgz. */
export function packPackage(): string {
	const dir = tempDir('stepfun-pack-');
	const args = ['pack', '--silent', '--ignore-scripts', '--pack-destination', dir];
	const out = execFileSync('npm', args, {
		cwd: ROOT,
		env: { ...process.env, npm_config_loglevel: 'error' },
	});
	return path.join(dir, out.toString().trim().split('\n').pop()!);
}

/** The files in a packed tarball. */
export const tarballFiles = (tgz: string) =>
	execFileSync('tar', ['tzf', tgz]).toString().trim().split('\n');
