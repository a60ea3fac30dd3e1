// @ts-check
'use strict';
// GET /models: the supported models plus extraModels, minus retiredModels.

const { MODELS, EXTRA_MODEL_CREATED } = require('../contract');

/** @typedef {import('../faults').SimulatorFaults} SimulatorFaults */

/**
 * @param {Required<SimulatorFaults>} faults
 * @returns {{ status: number; body: unknown }}
 */
function listModels(faults) {
	const retired = faults.retiredModels || [];
	const ids = [...Object.keys(MODELS), ...(faults.extraModels || [])].filter(
		(id) => !retired.includes(id),
	);
	const data = ids.map((id) => ({
		id,
		object: 'model',
		created: MODELS[id]?.created ?? EXTRA_MODEL_CREATED,
		owned_by: 'stepfun',
	}));
	return { status: 200, body: { object: 'list', data } };
}

module.exports = { listModels };
