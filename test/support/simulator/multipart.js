// @ts-check
'use strict';
// multipart/form-data parser (RFC 7578) over a fully received body Buffer.
// Handles quoted boundaries, CRLF delimiters, binary file bytes, UTF-8 field values and filenames,
// `filename*=UTF-8''...`, preamble and epilogue.

class MultipartError extends Error {}

/**
 * @typedef {object} MultipartPart
 * @property {string} name
 * @property {string | undefined} filename undefined for text fields
 * @property {string | undefined} contentType
 * @property {Record<string, string>} headers lower-cased names
 * @property {Buffer} data a subarray of the body (copy it to keep it)
 */

/**
 * Boundary from a Content-Type header value, or undefined.
 * @param {string | undefined} contentType
 * @returns {string | undefined}
 */
function getBoundary(contentType) {
	if (!contentType) return undefined;
	const m = /;\s*boundary=(?:"((?:[^"\\]|\\.)*)"|([^;\s]+))/i.exec(contentType);
	if (!m) return undefined;
	const b = m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2];
	if (!b || b.length > 200) return undefined;
	return b;
}

/**
 * Parse `form-data; name="x"; filename="y"` parameters.
 * @param {string} value
 * @returns {Record<string, string | undefined> & { type: string }}
 */
function parseDisposition(value) {
	/** @type {Record<string, string | undefined> & { type: string }} */
	const parts = { type: '' };
	const m = /^\s*([^;\s]+)/.exec(value);
	if (!m) throw new MultipartError('bad Content-Disposition');
	parts.type = m[1].toLowerCase();
	const re = /;\s*([^=\s;]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^;]*))/g;
	let p;
	while ((p = re.exec(value))) {
		const key = p[1].toLowerCase();
		let v = p[2] !== undefined ? p[2].replace(/\\(["\\])/g, '$1') : p[3].trim();
		if (key.endsWith('*')) {
			const ext = /^([^']*)'[^']*'(.*)$/.exec(v);
			if (ext) {
				try {
					v = decodeURIComponent(ext[2]);
				} catch {
					throw new MultipartError('bad extended parameter');
				}
			}
			parts[key.slice(0, -1)] = v;
		} else if (parts[key] === undefined) {
			parts[key] = v;
		}
	}
	return parts;
}

/**
 * Parse a multipart body. Returns [{name, filename (undefined for text fields), contentType, headers, data}].
 * `data` is a subarray of `body` (copy it if you keep it).
 * @param {Buffer} body
 * @param {string} boundary
 * @returns {MultipartPart[]}
 */
function parseMultipart(body, boundary) {
	const delim = Buffer.from(`--${boundary}`);
	const crlfDelim = Buffer.from(`\r\n--${boundary}`);
	/** @type {number} */
	let pos;
	if (body.subarray(0, delim.length).equals(delim)) pos = 0;
	else {
		const i = body.indexOf(crlfDelim);
		if (i < 0) throw new MultipartError('multipart boundary not found in body');
		pos = i + 2;
	}
	/** @type {MultipartPart[]} */
	const parts = [];
	for (;;) {
		pos += delim.length;
		if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return parts; // closing delimiter
		// transport padding then CRLF
		while (body[pos] === 0x20 || body[pos] === 0x09) pos++;
		if (body[pos] !== 0x0d || body[pos + 1] !== 0x0a)
			throw new MultipartError('malformed multipart delimiter line');
		pos += 2;
		const headerEnd = body.indexOf('\r\n\r\n', pos);
		if (headerEnd < 0) throw new MultipartError('unterminated part headers');
		/** @type {Record<string, string>} */
		const headers = {};
		for (const line of body.toString('utf8', pos, headerEnd).split('\r\n')) {
			if (!line) continue;
			const c = line.indexOf(':');
			if (c <= 0) throw new MultipartError('malformed part header');
			headers[line.slice(0, c).trim().toLowerCase()] = line.slice(c + 1).trim();
		}
		const dataStart = headerEnd + 4;
		const next = body.indexOf(crlfDelim, dataStart);
		if (next < 0) throw new MultipartError('multipart body not terminated by closing boundary');
		const disp = headers['content-disposition'];
		if (!disp) throw new MultipartError('part without Content-Disposition');
		const d = parseDisposition(disp);
		if (d.type !== 'form-data' || d.name === undefined)
			throw new MultipartError('part is not form-data with a name');
		parts.push({
			name: d.name,
			filename: d.filename,
			contentType: headers['content-type'],
			headers,
			data: body.subarray(dataStart, next),
		});
		pos = next + 2;
	}
}

module.exports = { MultipartError, getBoundary, parseMultipart, parseDisposition };
