// @ts-check
'use strict';
// Before the end-to-end suites: build the package and make sure each tested n8n is installed
// (first run: several minutes per version into ~/.cache/n8n-nodes-stepfun; later runs reuse it).
const { execFileSync } = require('node:child_process');
const path = require('node:path');

const { ensureN8n } = require('../support/n8n');

const ROOT = path.resolve(__dirname, '../..');

/**
 * n8n versions under test (E2E_N8N_VERSIONS, default 2.41.1,1.123.81).
 * @returns {string[]}
 */
function e2eVersions() {
	return (process.env.E2E_N8N_VERSIONS || '2.41.1,1.123.81')
		.split(',')
		.map((v) => v.trim())
		.filter(Boolean);
}

/** @returns {Promise<void>} */
module.exports = async function globalSetup() {
	execFileSync('npm', ['run', '-s', 'build'], {
		cwd: ROOT,
		stdio: ['ignore', 'ignore', 'inherit'],
	});
	// Installs run one after the other: two at once would fight over 2 cores and the network.
	for (const version of e2eVersions()) await ensureN8n(version);
};

module.exports.e2eVersions = e2eVersions;
