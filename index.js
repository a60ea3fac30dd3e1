// Programmatic entry point (tests, embedding); n8n itself loads the paths listed under "n8n" in package.json.
module.exports = {
	StepFunImage: require('./dist/nodes/StepFunImage/StepFunImage.node.js').StepFunImage,
	StepPlanApi: require('./dist/credentials/StepPlanApi.credentials.js').StepPlanApi,
};
