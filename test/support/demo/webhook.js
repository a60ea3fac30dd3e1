// @ts-check
'use strict';
/** Calling a workflow's webhook as a client would: a multipart/form-data upload, posted until n8n listens. */
const crypto = require('node:crypto');

/**
 * A form field, or a file.
 * @typedef {{ name: string; value?: unknown; filename?: string; contentType?: string; data?: Buffer }} Part
 */

/**
 * Encodes multipart/form-data. parts: [{ name, value }] or [{ name, filename, contentType, data: Buffer }].
 * @param {Part[]} parts
 * @returns {{ body: Buffer, contentType: string }}
 */
function multipart(parts) {
	const boundary = `----stepfun-demo-${crypto.randomBytes(12).toString('hex')}`;
	/** @type {Buffer[]} */
	const chunks = [];
	for (const p of parts) {
		let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
		if (p.filename !== undefined) {
			head += `; filename="${p.filename}"\r\nContent-Type: ${p.contentType || 'application/octet-stream'}`;
		}
		const content = Buffer.isBuffer(p.data) ? p.data : Buffer.from(String(p.value ?? ''));
		chunks.push(Buffer.from(`${head}\r\n\r\n`), content, Buffer.from('\r\n'));
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** @typedef {import('../n8n').HttpResponse} HttpResponse */
/** @typedef {import('../n8n').HttpRequestOptions} HttpRequestOptions */

/**
 * POSTs to a webhook until it is registered (activation can trail the REST answer by a moment).
 * @param {(url: string, options?: HttpRequestOptions) => Promise<HttpResponse>} httpRequest
 * @param {string} url
 * @param {{ body: Buffer | string, headers?: Record<string, string>, timeoutMs?: number, retries?: number }} request
 * @returns {Promise<HttpResponse>}
 */
async function postWebhook(httpRequest, url, { body, headers, timeoutMs = 120000, retries = 40 }) {
	for (let i = 0; ; i++) {
		const res = await httpRequest(url, { method: 'POST', body, headers, timeoutMs });
		if (res.status !== 404 || i >= retries) return res;
		await new Promise((r) => setTimeout(r, 250));
	}
}

module.exports = { multipart, postWebhook };
