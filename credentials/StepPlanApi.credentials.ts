import type {
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestOptions,
	INodeProperties,
} from 'n8n-workflow';

import { ENDPOINTS, originOf, resolveBaseUrl } from '../nodes/StepFunImage/domain/endpoints';

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

	/**
	 * Adds the key only to a request for the origin of the Base URL, parsed by the same parser the
	 * node uses: a value the node would refuse (or any other host) never receives the key, the
	 * credential's Test included. The Test is sent exactly where the node's requests go.
	 */
	authenticate = async (
		credentials: ICredentialDataDecryptedObject,
		requestOptions: IHttpRequestOptions,
	): Promise<IHttpRequestOptions> => {
		const base = resolveBaseUrl(credentials.endpoint, credentials.baseUrl);
		if (requestOptions.baseURL !== undefined) requestOptions.baseURL = base.href;
		const url = requestOptions.url ?? '';
		const absolute = /^([a-z][a-z\d+\-.]*:)?\/\//i.test(url);
		const origin = originOf(absolute || requestOptions.baseURL === undefined ? url : base.href);
		if (origin !== base.origin) {
			throw new Error(
				`The Step Plan API key is only sent to ${base.origin}, the credential's Base URL; this request went to ${origin ?? 'an unparsable address'}.`,
			);
		}
		requestOptions.headers = {
			...requestOptions.headers,
			Authorization: `Bearer ${String(credentials.apiKey ?? '')}`,
		};
		// A redirect would carry the header to wherever it points: never follow one with the key.
		requestOptions.disableFollowRedirect = true;
		requestOptions.sendCredentialsOnCrossOriginRedirect = false;
		return requestOptions;
	};

	// GET /models costs nothing; never generate an image just to check a key.
	test: ICredentialTestRequest = {
		request: {
			// Replaced by the parsed Base URL in authenticate(); the expression only names the choice.
			baseURL: `={{ $credentials.endpoint === 'custom' ? $credentials.baseUrl : (${JSON.stringify(ENDPOINTS)})[$credentials.endpoint || 'stepPlanChina'] }}`,
			url: '/models',
			method: 'GET',
		},
		// n8n's own wording ("Unauthorized") does not say what to check.
		rules: [
			...[301, 302, 303, 307, 308].map((value) => ({
				type: 'responseCode' as const,
				properties: {
					value,
					message: `The Base URL answered with a redirect (HTTP ${value}). The key is never sent on to another address: put the final address of the StepFun API in the Base URL.`,
				},
			})),
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
