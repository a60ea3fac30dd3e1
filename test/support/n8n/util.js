// @ts-check
'use strict';
/** Small helpers without state. */
const crypto = require('node:crypto');
const fs = require('node:fs');

const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/**
 * A random alphanumeric id (n8n workflow and credential ids are 16 of these).
 * @param {number} [len]
 * @returns {string}
 */
function randomId(len = 16) {
	const bytes = crypto.randomBytes(len);
	let s = '';
	for (let i = 0; i < len; i++) s += ALNUM[bytes[i] % ALNUM.length];
	return s;
}

/**
 * The last `n` characters of a text, marked with … when cut.
 * @param {unknown} text
 * @param {number} [n]
 * @returns {string}
 */
function tail(text, n = 4000) {
	const s = String(text || '');
	return s.length > n ? '…' + s.slice(-n) : s;
}

/**
 * @param {string} p
 * @returns {boolean}
 */
function isDir(p) {
	try {
		return fs.statSync(p).isDirectory();
	} catch {
		return false;
	}
}

/**
 * @param {number} ms
 * @returns {Promise<void>}
 */
function delay(ms) {
	return new Promise((r) => setTimeout(r, ms));
}

module.exports = { randomId, tail, isDir, delay };
