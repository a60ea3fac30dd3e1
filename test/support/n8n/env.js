// @ts-check
'use strict';
/** The environment of an instance's n8n processes. */
const path = require('node:path');

const { ENCRYPTION_KEY } = require('./constants');

/** @typedef {Record<string, string | undefined>} EnvVars */

/**
 * What shapes the environment.
 * @typedef {object} EnvSettings
 * @property {string} nodeBin put first on PATH
 * @property {string} userFolder N8N_USER_FOLDER
 * @property {string[]} customExtensions N8N_CUSTOM_EXTENSIONS
 * @property {string} [binaryDataMode] N8N_DEFAULT_BINARY_DATA_MODE
 * @property {string | string[]} [restrictFileAccessTo] N8N_RESTRICT_FILE_ACCESS_TO
 * @property {EnvVars} extraEnv the instance's own additions (override the defaults)
 */

/**
 * This process's environment with n8n's settings for a quiet, headless, self-contained run, then the
 * instance's additions, then `extra` (one process's own).
 * @param {EnvSettings} settings
 * @param {EnvVars} [extra]
 * @returns {NodeJS.ProcessEnv}
 */
function n8nEnv(settings, extra = {}) {
	/** @type {NodeJS.ProcessEnv} */
	const base = {
		...process.env,
		PATH: `${settings.nodeBin}${path.delimiter}${process.env.PATH || ''}`,
		N8N_USER_FOLDER: settings.userFolder,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		// 2.41's default `vm` expression engine (isolated-vm) sometimes segfaults at exit after a good run.
		N8N_EXPRESSION_ENGINE: 'legacy',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_LOG_LEVEL: 'info', // lower levels suppress the --rawOutput JSON of `n8n execute`
		N8N_LOG_OUTPUT: 'console',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_RUNNERS_ENABLED: 'true',
		DB_TYPE: 'sqlite',
		DB_SQLITE_POOL_SIZE: '2',
		NODE_ENV: 'production',
		NODE_OPTIONS: '',
		N8N_SECURE_COOKIE: 'false',
		N8N_GIT_NODE_DISABLE_BARE_REPOS: 'true',
	};
	// keep the machine's npm config / node headers from leaking into n8n's own npm calls
	delete base.npm_config_nodedir;
	delete base.N8N_CUSTOM_EXTENSIONS;
	if (settings.customExtensions.length)
		base.N8N_CUSTOM_EXTENSIONS = settings.customExtensions.join(';');
	if (settings.binaryDataMode) base.N8N_DEFAULT_BINARY_DATA_MODE = settings.binaryDataMode;
	if (settings.restrictFileAccessTo) {
		/** @type {string[]} */
		const dirs = [].concat(/** @type {any} */ (settings.restrictFileAccessTo));
		base.N8N_RESTRICT_FILE_ACCESS_TO = dirs.join(';');
	}
	return { ...base, ...settings.extraEnv, ...extra };
}

module.exports = { n8nEnv };
