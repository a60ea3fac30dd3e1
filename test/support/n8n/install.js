// @ts-check
'use strict';
/** Install (first time) or locate a real n8n with ensure-n8n.sh (same folder). */
const { spawn } = require('node:child_process');
const path = require('node:path');

const { DEFAULT_VERSION } = require('./constants');
const { track } = require('./processes');
const { tail } = require('./util');

const ENSURE_SCRIPT = path.join(__dirname, 'ensure-n8n.sh');

/**
 * @typedef {object} N8nInstall
 * @property {string} nodeBin folder with the node binary to run this n8n with
 * @property {string} n8nBin path of n8n's bin/n8n
 * @property {string} version
 */

/** @type {Map<string, Promise<N8nInstall>>} one install per version and process */
const ensured = new Map();

/**
 * Install (first time) or locate n8n `version` via ensure-n8n.sh; progress goes to stderr.
 * @param {string} [version]
 * @returns {Promise<N8nInstall>}
 */
function ensureN8n(version = DEFAULT_VERSION) {
	const known = ensured.get(version);
	if (known) return known;
	/** @type {Promise<N8nInstall>} */
	const p = new Promise((resolve, reject) => {
		const child = track(
			spawn('bash', [ENSURE_SCRIPT, version], {
				stdio: ['ignore', 'pipe', 'inherit'],
				detached: true,
			}),
		);
		let out = '';
		child.stdout.on('data', (d) => (out += d));
		child.on('error', reject);
		child.on('exit', (code) => {
			const nodeBin = /^NODE_BIN=(.*)$/m.exec(out);
			const n8nBin = /^N8N_BIN=(.*)$/m.exec(out);
			if (code !== 0 || !nodeBin || !n8nBin) {
				return reject(new Error(`ensure-n8n.sh ${version} failed (exit ${code}):\n${tail(out)}`));
			}
			resolve({ nodeBin: nodeBin[1].trim(), n8nBin: n8nBin[1].trim(), version });
		});
	});
	p.catch(() => ensured.delete(version));
	ensured.set(version, p);
	return p;
}

module.exports = { ensureN8n };
