// @ts-check
'use strict';
/**
 * The browser of the editor check, the same in every run (tests, CLI, CI): the Chromium build that the npm
 * devDependency @sparticuz/chromium ships, so `npm install` / `npm ci` brings it (no apt-get, no root, no
 * download), unpacked once into the cache (chromium-unpack.js); or the binary CHROMIUM_PATH names. Before
 * use it is checked to start (`--version`); where the system lacks the NSS/expat libraries it needs, the
 * copies the package ships for Amazon Linux (glibc >= 2.34) go on its LD_LIBRARY_PATH.
 */
const { execFile } = require('node:child_process');
const fs = require('node:fs');

const { PACKAGE, unpackChromium } = require('./chromium-unpack');

const INSTALL_HINT =
	`The browser comes from the devDependency ${PACKAGE}: run \`npm install\` (or \`npm ci\`), ` +
	'or set CHROMIUM_PATH to a Chromium binary.';

/**
 * Flags for a desktop or CI run without network (playwright adds its own defaults; several of these are
 * among them and are listed anyway, so the intent does not hang on playwright's list).
 * Of @sparticuz/chromium's `args`, made for AWS Lambda, only --headless and --no-sandbox stay (root cannot
 * use Chromium's sandbox, and the build has no setuid helper), plus --font-render-hinting=none (the same
 * glyphs whatever the host's fontconfig says). Dropped: --single-process and --no-zygote (Lambda
 * workarounds, unstable elsewhere); --in-process-gpu, --use-gl=angle, --use-angle=swiftshader,
 * --enable-unsafe-swiftshader, --ignore-gpu-blocklist (GPU emulation: the editor needs no WebGL, so
 * --disable-gpu instead); --disable-web-security, --allow-running-insecure-content,
 * --disable-site-isolation-trials, --disable-features=IsolateOrigins,site-per-process (they would weaken
 * the page's security model: the check should see the editor as a user's browser does); --disk-cache-size,
 * --disable-print-preview, --ash-no-nudges, --no-default-browser-check, --enable-features=SharedArrayBuffer
 * (nothing to do with this check). Added: --disable-dev-shm-usage (/dev/shm is small in containers) and no
 * background traffic, which this machine's closed network refuses anyway: background networking, component
 * updates, domain reliability reports, sync, first-run tasks, hyperlink pings, QUIC.
 */
const BROWSER_ARGS = [
	'--headless',
	'--no-sandbox',
	'--disable-gpu',
	'--disable-dev-shm-usage',
	'--disable-background-networking',
	'--disable-component-update',
	'--disable-domain-reliability',
	'--disable-sync',
	'--no-first-run',
	'--no-pings',
	'--disable-quic',
	'--font-render-hinting=none',
];

/**
 * @typedef {object} ChromiumInfo
 * @property {string} executablePath
 * @property {string} version what `<binary> --version` prints, e.g. "Chromium 153.0.8010.0"
 * @property {string} source "@sparticuz/chromium <version>" or "CHROMIUM_PATH"
 * @property {Record<string, string>} env extra environment for the browser process (fonts, libraries)
 */

/** @param {string} message */
const quiet = (message) => void message;

/**
 * `<binary> --version`; rejects with the binary's own complaint when it cannot start.
 * @param {string} executablePath
 * @param {Record<string, string>} env
 * @returns {Promise<string>}
 */
function browserVersion(executablePath, env) {
	return new Promise((resolve, reject) => {
		const opts = { env: { ...process.env, ...env }, timeout: 30000, encoding: 'utf8' };
		execFile(executablePath, ['--version'], opts, (error, stdout, stderr) => {
			const why = String(stderr).trim() || (error && error.message);
			if (error) reject(new Error(`${executablePath} --version failed: ${why}`));
			else resolve(String(stdout).trim());
		});
	});
}

/**
 * @param {(message: string) => void} log
 * @returns {Promise<ChromiumInfo>}
 */
async function locate(log) {
	const override = process.env.CHROMIUM_PATH;
	if (override) {
		try {
			fs.accessSync(override, fs.constants.X_OK);
		} catch {
			throw new Error(`CHROMIUM_PATH=${override} is not an executable file.`);
		}
		const version = await browserVersion(override, {});
		return { executablePath: override, version, source: 'CHROMIUM_PATH', env: {} };
	}
	const unpacked = await unpackChromium(log);
	const { executablePath } = unpacked;
	/** @type {Record<string, string>} */
	const env = { FONTCONFIG_FILE: unpacked.fontsConf };
	let version;
	try {
		version = await browserVersion(executablePath, env);
	} catch (e) {
		if (!/error while loading shared libraries/.test(String(e))) throw e;
		const libs = unpacked.fallbackLibs;
		env.LD_LIBRARY_PATH = [libs, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
		log(`the system lacks libraries Chromium needs: using the copies in ${libs}`);
		version = await browserVersion(executablePath, env);
	}
	return { executablePath, version, source: unpacked.source, env };
}

/** @type {Map<string, Promise<ChromiumInfo>>} */
const found = new Map();

/**
 * The browser to drive, unpacked and checked (it starts and tells its version); memoized per process.
 * Rejects with what is wrong and how to fix it.
 * @param {{ log?: (message: string) => void }} [options]
 * @returns {Promise<ChromiumInfo>}
 */
function findChromium({ log = quiet } = {}) {
	const key = process.env.CHROMIUM_PATH || '';
	let pending = found.get(key);
	if (!pending) {
		pending = locate(log).catch((e) => {
			found.delete(key);
			const why = e instanceof Error ? e.message : String(e);
			throw new Error(`No usable Chromium for the editor check: ${why} ${INSTALL_HINT}`);
		});
		found.set(key, pending);
	}
	return pending;
}

/** Why the browser cannot be used (with how to fix it), or undefined when it can. */
async function chromiumProblem() {
	try {
		await findChromium();
		return undefined;
	} catch (e) {
		return e instanceof Error ? e.message : String(e);
	}
}

/** The browser binary (unpacked first when needed). */
async function chromiumPath() {
	return (await findChromium()).executablePath;
}

/**
 * Starts the browser headless with BROWSER_ARGS.
 * @param {{ log?: (message: string) => void }} [options]
 */
async function launchChromium(options) {
	const info = await findChromium(options);
	const { chromium } = require('playwright-core');
	const browser = await chromium.launch({
		executablePath: info.executablePath,
		args: BROWSER_ARGS,
		headless: true,
		env: { ...process.env, ...info.env },
	});
	return { browser, info };
}

module.exports = {
	BROWSER_ARGS,
	INSTALL_HINT,
	findChromium,
	chromiumProblem,
	chromiumPath,
	launchChromium,
};
