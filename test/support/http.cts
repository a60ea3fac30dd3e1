// Plain HTTP as a client sends it (Node's http module): requests to n8n and webhooks, multipart uploads.
import crypto from 'node:crypto';
import http from 'node:http';

import { delay } from './system.cjs';

export interface HttpResponse {
	status: number;
	headers: http.IncomingHttpHeaders;
	/** The parsed JSON for a JSON content type, else the text. */
	body: any;
	text: string;
	buffer: Buffer;
}

export interface HttpOptions {
	method?: string;
	headers?: Record<string, string | number | string[]>;
	/** A Buffer or string is sent as is; anything else as JSON. */
	body?: unknown;
	timeoutMs?: number;
}

export function httpRequest(url: string, options: HttpOptions = {}): Promise<HttpResponse> {
	const { method = 'GET', body, timeoutMs = 30000 } = options;
	const headers = { ...options.headers };
	let payload: Buffer | string | undefined;
	if (body !== undefined && body !== null) {
		const raw = Buffer.isBuffer(body) || typeof body === 'string';
		payload = raw ? body : JSON.stringify(body);
		if (!raw && !Object.keys(headers).some((k) => k.toLowerCase() === 'content-type')) {
			headers['content-type'] = 'application/json';
		}
		headers['content-length'] = Buffer.byteLength(payload);
	}
	return new Promise((resolve, reject) => {
		const req = http.request(url, { method, headers, timeout: timeoutMs }, (res) => {
			const chunks: Buffer[] = [];
			res.on('data', (c: Buffer) => chunks.push(c));
			res.on('error', reject);
			res.on('end', () => {
				const buffer = Buffer.concat(chunks);
				const text = buffer.toString('utf8');
				let parsed: unknown = text;
				if (/json/.test(res.headers['content-type'] ?? '')) {
					try {
						parsed = JSON.parse(text);
					} catch {
						// keep the text
					}
				}
				resolve({ status: res.statusCode!, headers: res.headers, body: parsed, text, buffer });
			});
		});
		req.on('timeout', () =>
			req.destroy(new Error(`timeout after ${timeoutMs} ms: ${method} ${url}`)),
		);
		req.on('error', reject);
		req.end(payload);
	});
}

/** A form field, or a file. */
export interface Part {
	name: string;
	value?: unknown;
	filename?: string;
	contentType?: string;
	data?: Buffer;
}

/** multipart/form-data, as a browser or curl sends it. */
export function multipart(parts: Part[]): { body: Buffer; contentType: string } {
	const boundary = `----stepfun-test-${crypto.randomBytes(12).toString('hex')}`;
	const chunks: Buffer[] = [];
	for (const p of parts) {
		let head = `--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"`;
		if (p.filename !== undefined) {
			head += `; filename="${p.filename}"\r\nContent-Type: ${p.contentType ?? 'application/octet-stream'}`;
		}
		const content = p.data ?? Buffer.from(String(p.value ?? ''));
		chunks.push(Buffer.from(`${head}\r\n\r\n`), content, Buffer.from('\r\n'));
	}
	chunks.push(Buffer.from(`--${boundary}--\r\n`));
	return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` };
}

/** POSTs a multipart form to a webhook, again while n8n has not registered it yet (404). */
export async function postForm(url: string, parts: Part[], timeoutMs = 120000) {
	const { body, contentType } = multipart(parts);
	for (let i = 0; ; i++) {
		const headers = { 'content-type': contentType };
		const res = await httpRequest(url, { method: 'POST', body, headers, timeoutMs });
		if (res.status !== 404 || i >= 40) return res;
		await delay(250);
	}
}
