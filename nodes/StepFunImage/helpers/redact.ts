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
