// @ts-check
'use strict';
/**
 * What the editor check imports into n8n: a "Step Plan API" credential pointing at the simulator and two
 * workflows, Start → StepFun Image, one with the node set to Generate and one set to Edit.
 */

const API_KEY = 'sk-editor-check';
const CREDENTIAL_NAME = 'Step Plan (simulator)';
const NODE_NAME = 'StepFun Image';

/**
 * The credential as `n8n import:credentials` takes it.
 * @param {string} baseUrl the simulator's Step Plan base URL
 */
function credential(baseUrl) {
	return {
		name: CREDENTIAL_NAME,
		type: 'stepPlanApi',
		data: { apiKey: API_KEY, endpoint: 'custom', baseUrl },
	};
}

/**
 * @param {'generate' | 'edit'} operation
 * @param {{ id: string, name: string }} cred
 */
function workflow(operation, cred) {
	const parameters =
		operation === 'edit'
			? {
					operation: 'edit',
					binaryPropertyName: 'data',
					prompt: 'Make the sky a warm sunset orange',
				}
			: { operation: 'generate', prompt: 'A red bicycle leaning on a white wall, morning light' };
	return {
		name: `StepFun Image — ${operation === 'edit' ? 'Edit' : 'Generate'} (editor check)`,
		nodes: [
			{
				name: 'Start',
				type: 'n8n-nodes-base.manualTrigger',
				typeVersion: 1,
				position: [0, 0],
				parameters: {},
			},
			{
				name: NODE_NAME,
				type: 'CUSTOM.stepFunImage',
				typeVersion: 1,
				position: [260, 0],
				parameters,
				credentials: { stepPlanApi: { id: cred.id, name: cred.name } },
			},
		],
		connections: { Start: { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] } },
	};
}

module.exports = { API_KEY, CREDENTIAL_NAME, NODE_NAME, credential, workflow };
