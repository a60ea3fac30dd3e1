// @ts-check
'use strict';
/** Small utilities: a deferred promise, and the timer / fs helpers .ts tests may not use directly. */

const fs = require('node:fs');

/**
 * @template T
 * @typedef {object} Deferred
 * @property {Promise<T>} promise
 * @property {(value: T) => void} resolve
 * @property {(reason?: unknown) => void} reject
 */

/**
 * @template T
 * @returns {Deferred<T>}
 */
function createDeferredPromise() {
	/** @type {Deferred<T>['resolve']} */
	let resolve = () => {};
	/** @type {Deferred<T>['reject']} */
	let reject = () => {};
	/** @type {Promise<T>} */
	const promise = new Promise((res, rej) => {
		resolve = res;
		reject = rej;
	});
	return { promise, resolve, reject };
}

/**
 * Promise-based delay for tests (timers are not allowed in .ts files under the strict lint).
 * @param {number} ms
 * @returns {Promise<void>}
 */
function delay(ms) {
	return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Whether a path exists on disk (for filesystem-mode assertions from .ts tests).
 * @param {string} filePath
 * @returns {boolean}
 */
function fileExists(filePath) {
	return fs.existsSync(filePath);
}

module.exports = { createDeferredPromise, delay, fileExists };
