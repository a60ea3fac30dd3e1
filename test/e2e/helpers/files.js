// @ts-check
'use strict';
// Files for the end-to-end suites: temp folders, fixtures, hashes, the packed package, searches.
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../../..');
const FIXTURES_DIR = path.join(ROOT, 'test', 'fixtures');

/** @type {string[]} */
const tempDirs = [];

/**
 * A new temp folder, removed by removeTempDirs().
 * @param {string} prefix
 * @returns {string}
 */
function tempDir(prefix) {
	const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
	tempDirs.push(dir);
	return dir;
}
function removeTempDirs() {
	for (const d of tempDirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

/**
 * @param {Buffer | Uint8Array} buf
 * @returns {string}
 */
function sha256(buf) {
	return crypto.createHash('sha256').update(buf).digest('hex');
}

/**
 * @param {string} name
 * @returns {string}
 */
function fixturePath(name) {
	return path.join(FIXTURES_DIR, name);
}

/**
 * Files under `dir` (recursively) whose bytes contain `needle`.
 * @param {string} dir
 * @param {string} needle
 * @returns {string[]}
 */
function filesContaining(dir, needle) {
	/** @type {string[]} */
	const hits = [];
	const want = Buffer.from(needle);
	for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
		if (!entry.isFile()) continue;
		const file = path.join(entry.parentPath ?? entry.path, entry.name);
		if (fs.readFileSync(file).includes(want)) hits.push(file);
	}
	return hits;
}

/**
 * `npm pack` the (built) package into a temp folder; returns the .tgz path.
 * @returns {string}
 */
function packPackage() {
	const dir = tempDir('stepfun-pack-');
	const out = execFileSync(
		'npm',
		['pack', '--silent', '--ignore-scripts', '--pack-destination', dir],
		{
			cwd: ROOT,
			env: { ...process.env, npm_config_loglevel: 'error' },
		},
	)
		.toString()
		.trim()
		.split('\n')
		.pop();
	return path.join(dir, /** @type {string} */ (out));
}

/**
 * Files in a packed tarball (tar tzf).
 * @param {string} tgz
 * @returns {string[]}
 */
function tarballFiles(tgz) {
	return execFileSync('tar', ['tzf', tgz]).toString().trim().split('\n');
}

module.exports = {
	ROOT,
	FIXTURES_DIR,
	TLS_CERT: path.join(FIXTURES_DIR, 'tls', 'localhost-cert.pem'),
	tempDir,
	removeTempDirs,
	sha256,
	fixturePath,
	filesContaining,
	packPackage,
	tarballFiles,
	/** @type {(p: string) => Buffer} */
	readFile: (p) => fs.readFileSync(p),
	/** @type {(p: string) => string[]} */
	listDir: (p) => fs.readdirSync(p).sort(),
};
