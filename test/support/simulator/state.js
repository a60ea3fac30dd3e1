// @ts-check
'use strict';
// A running simulator's state: the options it started with, the per-run state that reset() renews
// (knobs, script, PRNGs, request log, counters, stored files), and the sleeps close() cuts short.

const { DEFAULT_FAULTS, normaliseFaults, mulberry32 } = require('./faults');
const { newCounters } = require('./recorder');

/** @typedef {import('./faults').SimulatorFaults} SimulatorFaults */
/** @typedef {import('./faults').ScriptEntry} ScriptEntry */
/** @typedef {import('./recorder').RecordedRequest} RecordedRequest */
/** @typedef {import('./recorder').Counters} Counters */

/**
 * @typedef {object} StoredFile A generated image served under /files/.
 * @property {Buffer} data
 * @property {string} contentType
 * @property {number} createdAt
 */

/**
 * @typedef {object} SimulatorState What reset() renews.
 * @property {Required<SimulatorFaults>} faults Current knobs (setFaults merges into this object).
 * @property {ScriptEntry[]} scriptQueue Script entries not consumed yet.
 * @property {() => number} faultRand Fault draws and latency jitter.
 * @property {() => number} seedRand Seeds for requests without one.
 * @property {RecordedRequest[]} requests
 * @property {Counters} counters
 * @property {number[]} rpmLog Arrival times of requests accepted by the rpm gate.
 * @property {Map<string, StoredFile>} files By file name.
 * @property {number} nextId
 */

/**
 * @typedef {object} SimulatorContext Everything the request handling reads and updates.
 * @property {string} apiKey
 * @property {number} maxBodyBytes
 * @property {string} url 'http://host:port' (set once listening).
 * @property {SimulatorState} state
 * @property {boolean} closed
 * @property {number} inFlight Authenticated API requests holding a concurrency slot.
 * @property {number} open Authenticated API requests not yet answered (incl. ones being rejected).
 * @property {(ms: number) => Promise<void>} sleep Resolves after ms, or at once on close().
 * @property {() => void} wakeAll Ends every pending sleep.
 */

/**
 * Fresh per-run state from the start knobs.
 * @param {SimulatorFaults} startFaults
 * @param {number} randomSeed
 * @returns {SimulatorState}
 */
function createState(startFaults, randomSeed) {
	/** @type {Required<SimulatorFaults>} */
	const faults = { ...DEFAULT_FAULTS, ...normaliseFaults(startFaults) };
	return {
		faults,
		scriptQueue: (faults.script || []).slice(),
		faultRand: mulberry32(randomSeed),
		seedRand: mulberry32((randomSeed ^ 0x9e3779b9) >>> 0),
		requests: [],
		counters: newCounters(),
		rpmLog: [],
		files: new Map(),
		nextId: 1,
	};
}

/**
 * Timers that close() can end early.
 * @returns {Pick<SimulatorContext, 'sleep' | 'wakeAll'>}
 */
function createSleeps() {
	/** @type {Set<{ resolve: () => void; timer: NodeJS.Timeout }>} */
	const sleepers = new Set();
	return {
		sleep(ms) {
			if (!(ms > 0)) return Promise.resolve();
			return new Promise((resolve) => {
				const s = {
					resolve: () => resolve(),
					timer: setTimeout(() => {
						sleepers.delete(s);
						resolve();
					}, ms),
				};
				sleepers.add(s);
			});
		},
		wakeAll() {
			for (const s of sleepers) {
				clearTimeout(s.timer);
				s.resolve();
			}
			sleepers.clear();
		},
	};
}

module.exports = { createState, createSleeps };
