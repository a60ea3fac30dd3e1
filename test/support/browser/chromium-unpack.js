// @ts-check
'use strict';
/**
 * Where the editor check's browser lives: the Chromium build that the npm devDependency
 * @sparticuz/chromium ships, unpacked once (about 3 s, ~220 MB) into the cache that also holds the real
 * n8n installs:
 *
 *   ${STEPFUN_N8N_CACHE:-~/.cache/n8n-nodes-stepfun}/chromium-<package version>/
 *     chromium            the browser (chrome-headless-shell)
 *     fonts/, fonts.conf  Open Sans added to the system's fonts (text renders even on a machine without any)
 *     lib*.so             SwiftShader (unused with --disable-gpu; the package unpacks it with the browser)
 *     al2023/lib/         NSS and expat, for systems without them (see chromium.js)
 *
 * Unpacking goes to a staging folder that is renamed into place when complete, so parallel runs never
 * see half a browser. The package's own code does the unpacking, in a child process (unpack-chromium.js).
 */
const { spawn } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const PACKAGE = '@sparticuz/chromium';
const UNPACK_CHILD = path.join(__dirname, 'unpack-chromium.js');
const COMPLETE_MARKER = '.complete';

/** The package's version and its folder of compressed browser files; throws when it is not installed. */
function packageInfo() {
	let entry;
	try {
		entry = require.resolve(PACKAGE);
	} catch {
		throw new Error(`${PACKAGE} is not installed.`);
	}
	const root = path.resolve(path.dirname(entry), '..');
	const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
	return { version: String(version), binDir: path.join(root, 'bin') };
}

/** The cache folder of ensure-n8n.sh. */
function cacheDir() {
	const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
	return process.env.STEPFUN_N8N_CACHE || path.join(base, 'n8n-nodes-stepfun');
}

/**
 * fontconfig file for the browser: the system's configuration plus the fonts the package ships.
 * @param {string} dir
 */
function fontsConf(dir) {
	return [
		'<?xml version="1.0"?>',
		'<!DOCTYPE fontconfig SYSTEM "fonts.dtd">',
		'<fontconfig>',
		'  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>',
		`  <dir>${path.join(dir, 'fonts', 'fonts')}</dir>`,
		`  <cachedir>${path.join(dir, 'fonts-cache')}</cachedir>`,
		'</fontconfig>',
		'',
	].join('\n');
}

/**
 * Runs the unpack child with TMPDIR=staging; rejects with its stderr when it fails.
 * @param {string} binDir
 * @param {string} staging
 */
function runUnpackChild(binDir, staging) {
	return new Promise((resolve, reject) => {
		const child = spawn(process.execPath, [UNPACK_CHILD, binDir], {
			env: { ...process.env, TMPDIR: staging },
			stdio: ['ignore', 'ignore', 'pipe'],
		});
		let stderr = '';
		child.stderr.on('data', (d) => (stderr += d));
		child.on('error', reject);
		child.on('exit', (code, signal) => {
			if (code === 0) resolve(undefined);
			else
				reject(
					new Error(`unpacking ${PACKAGE} failed (${code ?? signal}): ${stderr.slice(-2000)}`),
				);
		});
	});
}

/**
 * The unpacked browser's folder, unpacking it first when needed.
 * @param {(message: string) => void} log
 * @returns {Promise<{ dir: string, executablePath: string, fontsConf: string, fallbackLibs: string, source: string }>}
 */
async function unpackChromium(log) {
	const { version, binDir } = packageInfo();
	const dir = path.join(cacheDir(), `chromium-${version}`);
	const found = {
		dir,
		executablePath: path.join(dir, 'chromium'),
		fontsConf: path.join(dir, 'fonts.conf'),
		fallbackLibs: path.join(dir, 'al2023', 'lib'),
		source: `${PACKAGE} ${version}`,
	};
	if (fs.existsSync(path.join(dir, COMPLETE_MARKER))) return found;
	fs.mkdirSync(path.dirname(dir), { recursive: true });
	const staging = fs.mkdtempSync(`${dir}.unpacking-`);
	try {
		log(`unpacking Chromium from ${PACKAGE} ${version} into ${dir} (once) ...`);
		await runUnpackChild(binDir, staging);
		if (!fs.existsSync(path.join(staging, 'chromium'))) {
			throw new Error(`${PACKAGE} unpacked no chromium binary`);
		}
		fs.writeFileSync(path.join(staging, 'fonts.conf'), fontsConf(dir));
		fs.writeFileSync(path.join(staging, COMPLETE_MARKER), `${PACKAGE} ${version}\n`);
		fs.chmodSync(staging, 0o755);
		try {
			fs.renameSync(staging, dir);
		} catch {
			// Another run finished first (fine), or a leftover without the marker is in the way (replace it).
			if (fs.existsSync(path.join(dir, COMPLETE_MARKER))) return found;
			fs.rmSync(dir, { recursive: true, force: true });
			fs.renameSync(staging, dir);
		}
	} finally {
		fs.rmSync(staging, { recursive: true, force: true });
	}
	return found;
}

module.exports = { PACKAGE, unpackChromium };
