// One table for the credential's test request and the node's requests, so both always agree.
export const ENDPOINTS = {
	stepPlanChina: 'https://api.stepfun.com/step_plan/v1',
	stepPlanGlobal: 'https://api.stepfun.ai/step_plan/v1',
	openPlatformChina: 'https://api.stepfun.com/v1',
	openPlatformGlobal: 'https://api.stepfun.ai/v1',
} as const;

export type EndpointName = keyof typeof ENDPOINTS | 'custom';

const LOOPBACK_HOST = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

/**
 * Resolves the credential's endpoint choice to a base URL without a trailing slash.
 * Throws a plain Error with a user-facing message; callers wrap it for n8n.
 */
export function resolveBaseUrl(
	endpoint: string | undefined,
	customBaseUrl: string | undefined,
): string {
	if (!endpoint || endpoint !== 'custom') {
		const known = ENDPOINTS[(endpoint ?? 'stepPlanChina') as keyof typeof ENDPOINTS];
		if (!known) {
			throw new Error(
				`Unknown endpoint "${endpoint}" in the Step Plan API credential. Open the credential and pick an Endpoint.`,
			);
		}
		return known;
	}
	const raw = (customBaseUrl ?? '').trim().replace(/\/+$/, '');
	const url = parseUrl(raw);
	if (!url) {
		throw new Error(
			`The credential's Base URL "${raw}" is not a valid URL. Use a full URL such as https://api.stepfun.com/step_plan/v1.`,
		);
	}
	const secure = url.protocol === 'https:';
	const loopbackHttp = url.protocol === 'http:' && LOOPBACK_HOST.test(url.hostname);
	if (!secure && !loopbackHttp) {
		throw new Error(
			`The credential's Base URL must start with https:// (plain http is only allowed for localhost/127.0.0.1), got "${raw}". The API key would otherwise travel unencrypted.`,
		);
	}
	return raw;
}

function parseUrl(raw: string): URL | undefined {
	try {
		return new URL(raw);
	} catch {
		return undefined;
	}
}
