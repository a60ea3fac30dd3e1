// @ts-check
'use strict';
/** Fixed values shared by the benchmark's modules. */
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../../..');
/** Where the run keeps its copy of dist/ (and nothing else unless --json points there). */
const OUT_DIR = path.join(ROOT, 'bench-output');
const API_KEY = 'sk-bench-simulator';
/** Name of the measured node in every benchmark workflow. */
const TARGET = 'Target';
/** The API's limit for a new account, as the simulator plays it in the `limited` rows. */
const LIMIT = { maxConcurrent: 5, rpm: 10, rpmWindowMs: 60000 };
const MB = 1024 * 1024;

module.exports = { ROOT, OUT_DIR, API_KEY, TARGET, LIMIT, MB };
