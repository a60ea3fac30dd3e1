// @ts-check
'use strict';
/** createInstance: an n8n installed (or located), a user folder, checked extension folders. */
const fsp = require('node:fs/promises');
const os = require('node:os');
const path = require('node:path');

const { DEFAULT_VERSION } = require('./constants');
const { ensureN8n } = require('./install');
const { N8nInstance } = require('./instance');
const { addTempDir } = require('./processes');
const { isDir } = require('./util');

/**
 * An instance of n8n `version` (installed first if needed). Without userFolder a temp folder is created
 * (and removed by cleanup() or at exit).
 * @param {import('./instance').InstanceOptions} [opts]
 * @returns {Promise<N8nInstance>}
 */
async function createInstance(opts = {}) {
	const version = opts.version || DEFAULT_VERSION;
	const { nodeBin, n8nBin } =
		opts.nodeBin && opts.n8nBin
			? { nodeBin: opts.nodeBin, n8nBin: opts.n8nBin }
			: await ensureN8n(version);
	let userFolder = opts.userFolder;
	let ownsUserFolder = false;
	if (!userFolder) {
		userFolder = await fsp.mkdtemp(path.join(os.tmpdir(), `n8n-${version}-`));
		ownsUserFolder = true;
		addTempDir(userFolder);
	}
	await fsp.mkdir(path.join(userFolder, '.n8n'), { recursive: true });
	const customExtensions = (opts.customExtensions || []).map((d) => path.resolve(d));
	for (const d of customExtensions)
		if (!isDir(d)) throw new Error(`custom extension folder not found: ${d}`);
	return new N8nInstance({
		...opts,
		version,
		nodeBin,
		n8nBin,
		userFolder,
		ownsUserFolder,
		customExtensions,
	});
}

module.exports = { createInstance };
