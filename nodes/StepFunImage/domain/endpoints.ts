// The one Base URL parser: the node and the credential (its Test included) both go through here,
// so a value the node refuses can never receive the API key from the Test either.
export const ENDPOINTS = {
	stepPlanChina: 'https://api.stepfun.com/step_plan/v1',
	stepPlanGlobal: 'https://api.stepfun.ai/step_plan/v1',
	openPlatformChina: 'https://api.stepfun.com/v1',
	openPlatformGlobal: 'https://api.stepfun.ai/v1',
} as const;

export type EndpointName = keyof typeof ENDPOINTS | 'custom';

export const DEFAULT_ENDPOINT = 'stepPlanChina';

/** A Base URL the node accepted: `href` has no trailing slash, `origin` is where the key may go. */
export interface BaseUrl {
	href: string;
	origin: string;
}

/** The Base URL is unusable; the message says why and what to enter instead. */
export class BaseUrlError extends Error {}

const EXAMPLE = 'https://api.stepfun.com/step_plan/v1';

/** 127.0.0.0/8, localhost and [::1], as the WHATWG parser normalises them (127.1 → 127.0.0.1). */
export function isLoopbackHost(hostname: string): boolean {
	return (
		hostname === 'localhost' ||
		hostname === '[::1]' ||
		/^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(hostname)
	);
}

/**
 * Parses a custom Base URL with the WHATWG URL parser, on the trimmed value. `https:` anywhere,
 * `http:` only to a loopback host; userinfo, query, fragment and control characters are refused
 * (the parser would silently drop or reinterpret them, so what the user sees is not where the key goes).
 */
export function parseBaseUrl(value: unknown): BaseUrl {
	const raw = typeof value === 'string' ? value.trim() : '';
	const shown = JSON.stringify(raw.length > 120 ? `${raw.slice(0, 120)}…` : raw);
	if (raw === '')
		throw new BaseUrlError(`The credential's Base URL is empty. Enter e.g. ${EXAMPLE}.`);
	if (/[\p{Cc}\s]/u.test(raw)) {
		throw new BaseUrlError(
			`The credential's Base URL ${shown} contains spaces or control characters (tabs, line breaks…). Retype it as one plain URL, e.g. ${EXAMPLE}.`,
		);
	}
	const url = parseUrl(raw);
	if (!url) {
		throw new BaseUrlError(
			`The credential's Base URL ${shown} is not a valid URL. Use a full URL such as ${EXAMPLE}.`,
		);
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') {
		throw new BaseUrlError(
			`The credential's Base URL ${shown} uses "${url.protocol}"; it must start with https://.`,
		);
	}
	if (url.protocol === 'http:' && !isLoopbackHost(url.hostname)) {
		throw new BaseUrlError(
			`The credential's Base URL must start with https:// (plain http is only allowed for localhost and 127.0.0.1), got ${shown}. The API key would otherwise travel unencrypted.`,
		);
	}
	if (url.username || url.password || /^[a-z]+:\/\/[^/]*@/i.test(raw)) {
		throw new BaseUrlError(
			`The credential's Base URL must not contain a user name or password ("user:password@"); the API key is the only credential sent. Remove that part.`,
		);
	}
	if (raw.includes('?') || raw.includes('#')) {
		throw new BaseUrlError(
			`The credential's Base URL ${shown} contains a query ("?") or fragment ("#"); it must end with the API's version path, e.g. ${EXAMPLE}.`,
		);
	}
	const href = `${url.origin}${url.pathname}`.replace(/\/+$/, '');
	return { href, origin: url.origin };
}

/** The Base URL for the credential's Endpoint choice (a fixed StepFun URL, or the parsed custom one). */
export function resolveBaseUrl(endpoint: unknown, customBaseUrl: unknown): BaseUrl {
	const name = typeof endpoint === 'string' && endpoint !== '' ? endpoint : DEFAULT_ENDPOINT;
	if (name === 'custom') return parseBaseUrl(customBaseUrl);
	const known = (ENDPOINTS as Record<string, string>)[name];
	if (!known) {
		throw new BaseUrlError(
			`Unknown endpoint "${name}" in the Step Plan API credential. Open the credential and pick an Endpoint.`,
		);
	}
	return parseBaseUrl(known);
}

/** The WHATWG parse of a URL (relative to `base` when given), or undefined when it does not parse. */
export function parseUrl(url: string, base?: string): URL | undefined {
	try {
		return new URL(url, base);
	} catch {
		return undefined;
	}
}

/** The origin a URL points at, or undefined when it does not parse. */
export function originOf(url: string): string | undefined {
	return parseUrl(url)?.origin;
}
