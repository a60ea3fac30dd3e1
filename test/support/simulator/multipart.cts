// A multipart/form-data parser (RFC 7578) over a whole body: quoted boundaries, binary file bytes, UTF-8
// values and filenames, `filename*=UTF-8''...`, preamble and epilogue.
export class MultipartError extends Error {}

export interface MultipartPart {
	name: string;
	/** Undefined for text fields. */
	filename: string | undefined;
	contentType: string | undefined;
	/** Lower-cased names. */
	headers: Record<string, string>;
	/** A subarray of the body (copy it to keep it). */
	data: Buffer;
}

/** The boundary of a Content-Type header value. */
export function getBoundary(contentType: string | undefined): string | undefined {
	const m = /;\s*boundary=(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(contentType ?? '');
	const boundary = m && (m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2]);
	return boundary && boundary.length <= 200 ? boundary : undefined;
}

/** `form-data; name="x"; filename="y"`. */
export function parseDisposition(
	value: string,
): Record<string, string | undefined> & { type: string } {
	const m = /^\s*([^;\s]+)/.exec(value);
	if (!m) throw new MultipartError('bad Content-Disposition');
	const parts: Record<string, string | undefined> & { type: string } = { type: m[1].toLowerCase() };
	for (const p of value.matchAll(/;\s*([^=\s;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g)) {
		const key = p[1].toLowerCase();
		let v = p[2] !== undefined ? p[2].replace(/\\(["\\])/g, '$1') : p[3].trim();
		if (!key.endsWith('*')) {
			parts[key] ??= v;
			continue;
		}
		const ext = /^([^']*)'[^']*'(.*)$/.exec(v);
		if (ext) {
			try {
				v = decodeURIComponent(ext[2]);
			} catch {
				throw new MultipartError('bad extended parameter');
			}
		}
		parts[key.slice(0, -1)] = v;
	}
	return parts;
}

export function parseMultipart(body: Buffer, boundary: string): MultipartPart[] {
	const delim = Buffer.from(`--${boundary}`);
	const crlfDelim = Buffer.from(`\r\n--${boundary}`);
	let pos = body.subarray(0, delim.length).equals(delim) ? 0 : body.indexOf(crlfDelim) + 2;
	if (pos === 1) throw new MultipartError('multipart boundary not found in body');
	const parts: MultipartPart[] = [];
	for (;;) {
		pos += delim.length;
		if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return parts; // the closing delimiter
		while (body[pos] === 0x20 || body[pos] === 0x09) pos++; // transport padding, then CRLF
		if (body[pos] !== 0x0d || body[pos + 1] !== 0x0a)
			throw new MultipartError('malformed multipart delimiter line');
		pos += 2;
		const headerEnd = body.indexOf('\r\n\r\n', pos);
		if (headerEnd < 0) throw new MultipartError('unterminated part headers');
		const headers: Record<string, string> = {};
		for (const line of body.toString('utf8', pos, headerEnd).split('\r\n')) {
			if (!line) continue;
			const colon = line.indexOf(':');
			if (colon <= 0) throw new MultipartError('malformed part header');
			headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
		}
		const dataStart = headerEnd + 4;
		const next = body.indexOf(crlfDelim, dataStart);
		if (next < 0) throw new MultipartError('multipart body not terminated by closing boundary');
		if (!headers['content-disposition'])
			throw new MultipartError('part without Content-Disposition');
		const d = parseDisposition(headers['content-disposition']);
		if (d.type !== 'form-data' || d.name === undefined)
			throw new MultipartError('part is not form-data with a name');
		const data = body.subarray(dataStart, next);
		parts.push({
			name: d.name,
			filename: d.filename,
			contentType: headers['content-type'],
			headers,
			data,
		});
		pos = next + 2;
	}
}
