// @ts-check
'use strict';
/**
 * A program that comes from a Debian package (redis-server): found on PATH, or installed quietly when this
 * run may install packages (root, or password-less sudo), or else an error that says the exact command.
 * Never a silent skip: a suite that needs the program fails at once without it.
 */
const { execFileSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

/**
 * @typedef {object} DebianProgram
 * @property {string} program the executable's name ("redis-server")
 * @property {string} pkg the Debian package that ships it
 * @property {string[]} [dirs] folders to look in besides PATH (Debian puts some daemons in /usr/sbin)
 */

/**
 * The executable `name` on PATH or in `dirs`, or null.
 * @param {string} name
 * @param {string[]} [dirs]
 * @returns {string | null}
 */
function findProgram(name, dirs = []) {
	const pathDirs = (process.env.PATH || '').split(path.delimiter).filter(Boolean);
	for (const dir of [...pathDirs, ...dirs, '/usr/sbin', '/usr/bin']) {
		const file = path.join(dir, name);
		try {
			fs.accessSync(file, fs.constants.X_OK);
			if (fs.statSync(file).isFile()) return file;
		} catch {
			/* not here */
		}
	}
	return null;
}

/**
 * How this run may install Debian packages: as root, through password-less sudo, or not at all.
 * @returns {'root' | 'sudo' | null}
 */
function installPrivilege() {
	if (typeof process.getuid === 'function' && process.getuid() === 0) return 'root';
	const sudo = spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore', timeout: 10000 });
	return sudo.status === 0 ? 'sudo' : null;
}

/**
 * The command a person runs to install `pkg`.
 * @param {string} pkg
 * @param {'root' | 'sudo' | null} privilege
 * @returns {string}
 */
function installCommand(pkg, privilege) {
	const sudo = privilege === 'root' ? '' : 'sudo ';
	return `${sudo}apt-get update && ${sudo}apt-get install -y --no-install-recommends ${pkg}`;
}

/**
 * The path of `program`; installs `pkg` first when it is missing and this run may (apt-get update, then a
 * quiet non-interactive install, ~20 s); otherwise throws with the exact install command.
 * @param {DebianProgram} what
 * @param {(message: string) => void} [log]
 * @returns {string}
 */
function ensureDebianProgram({ program, pkg, dirs = [] }, log = () => {}) {
	const found = findProgram(program, dirs);
	if (found) return found;
	const privilege = installPrivilege();
	const command = installCommand(pkg, privilege);
	if (!privilege || !findProgram('apt-get')) {
		throw new Error(
			`${program} is not installed, and this run cannot install it (not root, no password-less sudo, ` +
				`or no apt-get). Install it with:\n  ${command}`,
		);
	}
	log(`${program} is missing: installing the Debian package ${pkg} (${command})`);
	const sudo = privilege === 'sudo' ? ['sudo', '-n'] : [];
	const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
	/** @param {string[]} args */
	const apt = (args) => {
		const [cmd, ...rest] = [...sudo, 'apt-get', ...args];
		try {
			execFileSync(cmd, rest, { env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 600000 });
		} catch (e) {
			const err = /** @type {{ stderr?: Buffer; message: string }} */ (e);
			const detail = String(err.stderr || err.message).slice(-2000);
			throw new Error(
				`installing ${pkg} failed (${args[0]}): ${detail}\nInstall it with:\n  ${command}`,
			);
		}
	};
	apt(['update', '-qq']);
	apt(['install', '-y', '-qq', '--no-install-recommends', pkg]);
	const installed = findProgram(program, dirs);
	if (!installed) throw new Error(`${pkg} installed, but ${program} is still not found`);
	return installed;
}

module.exports = { ensureDebianProgram, findProgram, installCommand };
