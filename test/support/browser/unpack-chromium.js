// @ts-check
'use strict';
/**
 * Child process of chromium.js: unpacks the Chromium build that the npm package @sparticuz/chromium ships
 * into $TMPDIR (chromium.js points TMPDIR at a fresh staging folder and renames it into the cache when
 * this succeeds). The package is an ES module, which a CommonJS caller running under jest cannot load,
 * hence a process of its own.
 *
 *   TMPDIR=<staging> node unpack-chromium.js <the package's bin folder>
 *
 * Unpacks what the package's executablePath() unpacks (the browser, its fonts, SwiftShader) plus the
 * NSS/expat libraries it ships for Amazon Linux (al2023.tar.br), which chromium.js puts on
 * LD_LIBRARY_PATH only where the system has none. Prints { executablePath } as one JSON line.
 */
const path = require('node:path');

async function main() {
	const binDir = process.argv[2];
	if (!binDir)
		throw new Error('usage: node unpack-chromium.js <bin folder of @sparticuz/chromium>');
	const { default: Chromium, inflate } = await import('@sparticuz/chromium');
	const executablePath = await Chromium.executablePath(binDir);
	await inflate(path.join(binDir, 'al2023.tar.br'));
	process.stdout.write(`${JSON.stringify({ executablePath })}\n`);
}

main().catch((e) => {
	process.stderr.write(`${(e instanceof Error && e.stack) || e}\n`);
	process.exit(1);
});
