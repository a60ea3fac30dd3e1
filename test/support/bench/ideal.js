// @ts-check
'use strict';
/** The yardstick of the throughput rows: the fastest any client could finish under the same conditions. */

/**
 * Requests of fixed latency, at most `conc` in flight, and at most `rpm` accepted per sliding window
 * (request k cannot start before request k-rpm + window).
 * @param {{ n: number, latencyMs: number, conc: number, rpm?: number, windowMs?: number }} conditions
 * @returns {number} milliseconds from the first request's start to the last answer
 */
function idealMs({ n, latencyMs, conc, rpm = 0, windowMs = 60000 }) {
	/** @type {number[]} */
	const starts = [];
	for (let k = 0; k < n; k++) {
		let t = 0;
		if (k >= conc) t = Math.max(t, starts[k - conc] + latencyMs);
		if (rpm > 0 && k >= rpm) t = Math.max(t, starts[k - rpm] + windowMs);
		starts.push(t);
	}
	return n ? starts[n - 1] + latencyMs : 0;
}

module.exports = { idealMs };
