import type {
	IAuthenticateGeneric,
	ICredentialTestRequest,
	ICredentialType,
	INodeProperties,
} from 'n8n-workflow';

import { ENDPOINTS } from '../nodes/StepFunImage/helpers/endpoints';

// The test request cannot call TypeScript, so the endpoint table is embedded in the expression.
// A custom http:// URL to a non-loopback host is upgraded to https:// so the key never travels in clear text.
const BASE_URL_EXPRESSION =
	`={{ $credentials.endpoint === 'custom' ` +
	`? String($credentials.baseUrl || '').trim().replace(/\\/+$/, '').replace(/^http:\\/\\/(?!(localhost|127\\.\\d+\\.\\d+\\.\\d+|\\[::1\\])([:/]|$))/i, 'https://') ` +
	`: (${JSON.stringify(ENDPOINTS)})[$credentials.endpoint || 'stepPlanChina'] }}`;

export class StepPlanApi implements ICredentialType {
	name = 'stepPlanApi';

	displayName = 'Step Plan API';

	icon = {
		light: 'file:../nodes/StepFunImage/stepfun.svg',
		dark: 'file:../nodes/StepFunImage/stepfun.dark.svg',
	} as const;

	documentationUrl =
		'https://github.com/n8n-nodes-stepfun/n8n-nodes-stepfun?tab=readme-ov-file#credentials';

	properties: INodeProperties[] = [
		{
			displayName: 'API Key',
			name: 'apiKey',
			type: 'string',
			typeOptions: { password: true },
			required: true,
			default: '',
			description:
				'Your StepFun API key (platform.stepfun.com → API keys). Keys are bound to a region: a China key only works on the China endpoints, a global key only on the global ones.',
		},
		{
			displayName: 'Endpoint',
			name: 'endpoint',
			type: 'options',
			default: 'stepPlanChina',
			description:
				'Which StepFun surface to call. Step Plan endpoints bill your Step Plan credits; Open Platform endpoints bill your pay-as-you-go cash balance, even with the same key.',
			options: [
				{
					name: 'Custom',
					value: 'custom',
					description: 'Any compatible gateway or proxy; enter its Base URL',
				},
				{
					name: 'Open Platform China (Pay as You Go)',
					value: 'openPlatformChina',
					description: ENDPOINTS.openPlatformChina,
				},
				{
					name: 'Open Platform Global (Pay as You Go)',
					value: 'openPlatformGlobal',
					description: ENDPOINTS.openPlatformGlobal,
				},
				{
					name: 'Step Plan China',
					value: 'stepPlanChina',
					description: ENDPOINTS.stepPlanChina,
				},
				{
					name: 'Step Plan Global',
					value: 'stepPlanGlobal',
					description: ENDPOINTS.stepPlanGlobal,
				},
			],
		},
		{
			displayName: 'Base URL',
			name: 'baseUrl',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'https://api.stepfun.com/step_plan/v1',
			description:
				'Base URL of a StepFun-compatible API, up to and including the version segment. Must use https:// (plain http:// is accepted only for localhost and 127.0.0.1).',
			displayOptions: { show: { endpoint: ['custom'] } },
		},
	];

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: {
				Authorization: '=Bearer {{$credentials.apiKey}}',
			},
		},
	};

	// GET /models costs nothing; never generate an image just to check a key.
	test: ICredentialTestRequest = {
		request: {
			baseURL: BASE_URL_EXPRESSION,
			url: '/models',
			method: 'GET',
		},
		// n8n's own wording ("Unauthorized") does not say what to check.
		rules: [
			{
				type: 'responseCode',
				properties: {
					value: 401,
					message:
						'The API key was rejected (HTTP 401). Check the key, and that the Endpoint matches its region: China keys work on api.stepfun.com, global keys on api.stepfun.ai.',
				},
			},
			{
				type: 'responseCode',
				properties: {
					value: 404,
					message:
						'No StepFun API at this address (GET /models answered 404). Check the Endpoint, or the Base URL including its version segment, e.g. https://api.stepfun.com/step_plan/v1.',
				},
			},
		],
	};
}
