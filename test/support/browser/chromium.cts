// The editor check's browser, the same in every run: the Chromium build the npm devDependency
// @sparticuz/chromium ships (so `npm ci` brings it: no apt-get, no download), unpacked once into the cache
// that holds the n8n installs, or the binary CHROMIUM_PATH names. It must start (`--version`) before use;
// where the system lacks the NSS/expat libraries it needs, the copies the package ships for Amazon Linux
// go on its LD_LIBRARY_PATH.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import type { Browser } from 'playwright-core';

import { CACHE_DIR, ROOT, runProcess } from '../system.cjs';

const PACKAGE = '@sparticuz/chromium';
const INSTALL_HINT = `The browser comes from the devDependency ${PACKAGE}: run \`npm install\` (or \`npm ci\`), or set CHROMIUM_PATH to a Chromium binary.`;
type Log = (m: string) => void;

/**
 * Of @sparticuz/chromium's own flags (made for AWS Lambda) only --headless and --no-sandbox stay (root
 * cannot use the sandbox), with --font-render-hinting=none (the same glyphs whatever fontconfig says);
 * not its GPU emulation (--disable-gpu instead: the editor needs no WebGL) nor the flags that weaken the
 * page's security model. Added: a small /dev/shm is fine, and no background traffic.
 */
// prettier-ignore
const BROWSER_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
	'--disable-background-networking', '--disable-component-update', '--disable-domain-reliability',
	'--disable-sync', '--no-first-run', '--no-pings', '--disable-quic', '--font-render-hinting=none'];

/** `version`: what `<binary> --version` prints ("Chromium 153.0.8010.0"); `source`: "@sparticuz/chromium
 * <version>" or "CHROMIUM_PATH"; `env`: for the browser process (fonts, libraries). */
type ChromiumInfo = { executablePath: string; version: string; source: string; env: Env };
type Env = Record<string, string>;

/**
 * The package's browser, unpacked once into <cache>/chromium-<version> (browser, fonts, SwiftShader, and
 * the Amazon Linux libraries) through a staging folder renamed into place when complete. The package is
 * an ES module, unpacked by a Node process of its own.
 */
async function unpack(log: Log) {
	let root: string;
	try {
		root = path.resolve(path.dirname(require.resolve(PACKAGE)), '..');
	} catch {
		throw new Error(`${PACKAGE} is not installed.`);
	}
	const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
	const version = String(manifest.version);
	const dir = path.join(CACHE_DIR, `chromium-${version}`);
	const found = { dir, source: `${PACKAGE} ${version}` };
	if (fs.existsSync(path.join(dir, '.complete'))) return found;
	fs.mkdirSync(CACHE_DIR, { recursive: true });
	const staging = fs.mkdtempSync(`${dir}.unpacking-`);
	try {
		log(`unpacking Chromium from ${found.source} into ${dir} (once) ...`);
		const script = `(async () => {
			const { default: Chromium, inflate } = await import(${JSON.stringify(PACKAGE)});
			await Chromium.executablePath(process.argv[1]);
			await inflate(require('path').join(process.argv[1], 'al2023.tar.br'));
		})().catch((e) => { console.error(e); process.exit(1); });`;
		const bin = path.join(root, 'bin');
		const env = { ...process.env, TMPDIR: staging };
		const res = await runProcess(process.execPath, ['-e', script, bin], { env, cwd: ROOT });
		const why = `unpacking ${PACKAGE} failed (${res.code ?? res.signal}): ${res.stderr.slice(-2000)}`;
		if (res.code !== 0) throw new Error(why);
		const unpacked = fs.existsSync(path.join(staging, 'chromium'));
		if (!unpacked) throw new Error(`${PACKAGE} unpacked no chromium binary`);
		const fonts = `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>${path.join(dir, 'fonts', 'fonts')}</dir>
  <cachedir>${path.join(dir, 'fonts-cache')}</cachedir>
</fontconfig>
`;
		fs.writeFileSync(path.join(staging, 'fonts.conf'), fonts);
		fs.writeFileSync(path.join(staging, '.complete'), `${found.source}\n`);
		fs.chmodSync(staging, 0o755);
		try {
			fs.renameSync(staging, dir);
		} catch {
			// Another run finished first (fine), or a leftover without the marker is in the way.
			if (!fs.existsSync(path.join(dir, '.complete'))) {
				fs.rmSync(dir, { recursive: true, force: true });
				fs.renameSync(staging, dir);
			}
		}
	} finally {
		fs.rmSync(staging, { recursive: true, force: true });
	}
	return found;
}

/** `<binary> --version`; rejects with the binary's own complaint when it cannot start. */
const browserVersion = (executablePath: string, env: Env) =>
	new Promise<string>((resolve, reject) => {
		const options = { env: { ...process.env, ...env }, timeout: 30000, encoding: 'utf8' as const };
		execFile(executablePath, ['--version'], options, (error, stdout, stderr) => {
			const why = `${executablePath} --version failed: ${String(stderr).trim() || error?.message}`;
			if (error) reject(new Error(why));
			else resolve(String(stdout).trim());
		});
	});

async function locate(log: Log): Promise<ChromiumInfo> {
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
	const { dir, source } = await unpack(log);
	const executablePath = path.join(dir, 'chromium');
	const env: Env = { FONTCONFIG_FILE: path.join(dir, 'fonts.conf') };
	const version = await browserVersion(executablePath, env).catch(async (error: unknown) => {
		if (!/error while loading shared libraries/.test(String(error))) throw error;
		const libs = path.join(dir, 'al2023', 'lib');
		env.LD_LIBRARY_PATH = [libs, process.env.LD_LIBRARY_PATH].filter(Boolean).join(':');
		log(`the system lacks libraries Chromium needs: using the copies in ${libs}`);
		return await browserVersion(executablePath, env);
	});
	return { executablePath, version, source, env };
}

const found = new Map<string, Promise<ChromiumInfo>>();

/** The browser, unpacked and checked, once per process; rejects with what is wrong and how to fix it. */
export function findChromium(log: Log = () => {}): Promise<ChromiumInfo> {
	const key = process.env.CHROMIUM_PATH ?? '';
	let pending = found.get(key);
	if (!pending) {
		pending = locate(log).catch((error: unknown) => {
			found.delete(key);
			const why = `No usable Chromium for the editor check: ${(error as Error).message ?? error}`;
			throw new Error(`${why} ${INSTALL_HINT}`);
		});
		found.set(key, pending);
	}
	return pending;
}

/** Why the browser cannot be used (and how to fix it), or undefined when it can. */
export async function chromiumProblem(): Promise<string | undefined> {
	const usable = () => undefined;
	return await findChromium().then(usable, (error: Error) => error.message);
}

/** The browser, headless, with BROWSER_ARGS. */
export async function launchChromium(log?: Log): Promise<{ browser: Browser; info: ChromiumInfo }> {
	const info = await findChromium(log);
	const { chromium } = await import('playwright-core');
	const env = { ...process.env, ...info.env } as Env;
	const options = { executablePath: info.executablePath, args: BROWSER_ARGS, headless: true, env };
	return { browser: await chromium.launch(options), info };
}
