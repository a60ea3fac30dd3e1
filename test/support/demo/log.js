// @ts-check
'use strict';
/** The demo's voice: progress on stderr, and failures that are the user's to fix (printed without a stack). */

/** @param {string} msg */
function log(msg) {
	process.stderr.write(`[demo] ${msg}\n`);
}

/** @typedef {Error & { demo?: boolean }} DemoError */

/**
 * An error whose message says it all (cli() prints it without the stack).
 * @param {string} msg
 * @returns {DemoError}
 */
function fail(msg) {
	/** @type {DemoError} */
	const e = new Error(msg);
	e.demo = true;
	return e;
}

module.exports = { log, fail };
