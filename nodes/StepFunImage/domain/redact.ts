// Every text that arrives from the network (error fields, headers, ids, URLs, body previews) passes
// through a Redactor before it can reach an output item, an error or a log line.

/** Returns the text made safe to show, or undefined when there is no text. */
export type Redactor = (value: unknown, maxLength?: number) => string | undefined;

const MASK = '***';

/**
 * Builds the redactor for one API key: the key (as is and URL-encoded) becomes `***`, control
 * characters become spaces (no forged log lines), and the text is cut to `maxLength` characters.
 */
export function createRedactor(secret: unknown): Redactor {
	const key = typeof secret === 'string' ? secret.trim() : '';
	const forms = key.length >= 4 ? [...new Set([key, encodeURIComponent(key)])] : [];
	return (value, maxLength = 500) => {
		if (value === undefined || value === null) return undefined;
		let text = typeof value === 'string' ? value : String(value);
		for (const form of forms) text = text.split(form).join(MASK);
		text = text.replace(/[\p{Cc}\u2028\u2029]+/gu, ' ');
		if (text.length > maxLength) text = `${text.slice(0, maxLength)}…`;
		return text === '' ? undefined : text;
	};
}

/** A URL made safe to show: no credentials, no query (signed URLs carry tokens there), redacted. */
export function safeUrl(redact: Redactor, value: string): string {
	try {
		const url = new URL(value);
		return redact(`${url.origin}${url.pathname}`, 200) ?? 'an empty address';
	} catch {
		return `"${redact(value, 100) ?? ''}"`;
	}
}

/** The host of a URL, made safe to show. */
export function safeHost(redact: Redactor, value: string): string {
	try {
		const host = new URL(value).host;
		if (host) return redact(host, 100) ?? 'the file host';
	} catch {
		// described below
	}
	return 'an invalid address';
}
