// @ts-check
'use strict';
// The rate-limit gates, decided when an authenticated API request arrives: maxConcurrent (requests in
// flight) and rpm (accepted requests per sliding window). Both answer 429 rate_limit_exceeded.

const { ApiError } = require('./errors');

/** @typedef {import('./faults').SimulatorFaults} SimulatorFaults */

/**
 * The 429 for a request that exceeds a limit, or undefined when it may proceed (then it is logged for
 * rpm). `inFlight` already counts this request.
 * @param {Required<SimulatorFaults>} faults
 * @param {number} inFlight
 * @param {number[]} rpmLog arrival times of accepted requests (mutated)
 * @param {number} now
 * @returns {ApiError | undefined}
 */
function rateLimit(faults, inFlight, rpmLog, now) {
	if (faults.maxConcurrent > 0 && inFlight > faults.maxConcurrent) {
		return new ApiError(
			429,
			'Too many concurrent requests',
			'rate_limit_exceeded',
			faults.retryAfter ? { 'retry-after': '1' } : undefined,
		);
	}
	if (faults.rpm > 0) {
		const windowMs = faults.rpmWindowMs || 60000;
		while (rpmLog.length && rpmLog[0] <= now - windowMs) rpmLog.shift();
		if (rpmLog.length >= faults.rpm) {
			const wait = Math.max(1, Math.ceil((rpmLog[0] + windowMs - now) / 1000));
			return new ApiError(
				429,
				`Rate limit reached: ${faults.rpm} requests per minute`,
				'rate_limit_exceeded',
				faults.retryAfter ? { 'retry-after': String(wait) } : undefined,
			);
		}
		rpmLog.push(now);
	}
	return undefined;
}

module.exports = { rateLimit };
