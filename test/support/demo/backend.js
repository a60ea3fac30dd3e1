// @ts-check
'use strict';
/**
 * The API the demo's credential points at: the StepFun simulator on 127.0.0.1 (default), or the real
 * StepFun API when STEPFUN_API_KEY is set (STEPFUN_ENDPOINT picks the endpoint; images cost credits).
 */
const { fail, log } = require('./log');

const ENDPOINTS = ['stepPlanChina', 'stepPlanGlobal', 'openPlatformChina', 'openPlatformGlobal'];

/**
 * @typedef {object} Backend
 * @property {string} label what the output names it by
 * @property {Record<string, string>} data the credential's data
 * @property {() => Promise<void>} close
 */

/** @returns {Promise<Backend>} */
async function apiBackend() {
	const key = (process.env.STEPFUN_API_KEY || '').trim();
	if (key) {
		const endpoint = (process.env.STEPFUN_ENDPOINT || 'stepPlanChina').trim();
		if (!ENDPOINTS.includes(endpoint)) {
			throw fail(`STEPFUN_ENDPOINT must be one of ${ENDPOINTS.join(', ')} (got "${endpoint}")`);
		}
		log(`using the real StepFun API (endpoint ${endpoint}); every image costs credits`);
		return {
			label: `StepFun API (${endpoint})`,
			data: { apiKey: key, endpoint },
			close: async () => {},
		};
	}
	const { startSimulator } = require('../simulator');
	const apiKey = 'sk-demo-simulator';
	const sim = await startSimulator({
		apiKey,
		host: '127.0.0.1',
		latencyMs: 300,
		latencyJitterMs: 400,
	});
	log(
		`StepFun simulator listening on ${sim.stepPlanBaseUrl} (set STEPFUN_API_KEY to use the real API)`,
	);
	return {
		label: `simulator ${sim.stepPlanBaseUrl}`,
		data: { apiKey, endpoint: 'custom', baseUrl: sim.stepPlanBaseUrl },
		close: () => sim.close(),
	};
}

module.exports = { apiBackend };
