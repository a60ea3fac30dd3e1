// @ts-check
'use strict';
/**
 * One-time environment: n8n-core's DI container, a silent logger, a recording error reporter, and
 * n8n-core's real InstanceSettings pointed at a temp user folder.
 */

const { createRequire } = require('node:module');

const { ErrorReporter, InstanceSettings } = require('n8n-core');
const { LoggerProxy } = require('n8n-workflow');

const { makeTempDir } = require('./temp-dirs');

/**
 * The parts of @n8n/di's Container the harness uses.
 * @typedef {object} DiContainer
 * @property {<T>(type: abstract new (...args: never[]) => T) => T} get
 * @property {<T>(type: abstract new (...args: never[]) => T, instance: T) => void} set
 */

// n8n-core ships its own copies of @n8n/di and @n8n/backend-common (nested node_modules); the
// singletons it reads (Container, Logger class) must come from the same copies.
const coreRequire = createRequire(require.resolve('n8n-core'));
/** @type {DiContainer} */
const Container = coreRequire('@n8n/di').Container;
/** @type {abstract new (...args: never[]) => unknown} */
const Logger = coreRequire('@n8n/backend-common').Logger;

/** n8n-core's Logger class type (what its services take in their constructors). */
/** @typedef {ConstructorParameters<typeof import('n8n-core').BinaryDataService>[2]} CoreLogger */

const silentLogger = {
	error() {},
	warn() {},
	info() {},
	debug() {},
	scoped() {
		return silentLogger;
	},
};

/**
 * @typedef {object} ReportedError
 * @property {unknown} error
 * @property {unknown} options
 */

/**
 * Errors n8n-core hands to its ErrorReporter (it reports unexpected node errors there).
 * @type {ReportedError[]}
 */
const reportedErrors = [];
const recordingErrorReporter = {
	/**
	 * @param {unknown} error
	 * @param {unknown} [options]
	 */
	error(error, options) {
		reportedErrors.push({ error, options });
	},
	warn() {},
	info() {},
	// Some call sites use these; keep them harmless.
	async init() {},
	async shutdown() {},
};

// Typed views for n8n-core's constructors (the doubles implement what n8n-core calls on them).
const coreLogger = /** @type {CoreLogger} */ (/** @type {unknown} */ (silentLogger));
const errorReporter = /** @type {ErrorReporter} */ (
	/** @type {unknown} */ (recordingErrorReporter)
);

let bootstrapped = false;
function bootstrap() {
	if (bootstrapped) return;
	bootstrapped = true;
	Container.set(Logger, silentLogger);
	Container.set(ErrorReporter, errorReporter);
	LoggerProxy.init(silentLogger);

	// InstanceSettings (read by every node execution context, and by Cipher) is n8n-core's real class;
	// point it at a temp user folder so it does not create ~/.n8n/config. Env is restored right after
	// construction (the values are read once).
	const userFolder = makeTempDir('n8n-harness-user-');
	const saved = {
		N8N_USER_FOLDER: process.env.N8N_USER_FOLDER,
		N8N_ENCRYPTION_KEY: process.env.N8N_ENCRYPTION_KEY,
	};
	process.env.N8N_USER_FOLDER = userFolder;
	process.env.N8N_ENCRYPTION_KEY = 'n8n-harness-encryption-key';
	try {
		Container.get(InstanceSettings);
	} finally {
		for (const [key, value] of Object.entries(saved)) {
			if (value === undefined) delete process.env[key];
			else process.env[key] = value;
		}
	}
}

module.exports = {
	Container,
	bootstrap,
	coreLogger,
	errorReporter,
	reportedErrors,
};
