// HTTP for the end-to-end suites: webhook uploads and pages polled as a browser would.
import type http from 'node:http';

import { httpRequest, postForm, type Part } from '../../support/http.cjs';
import { delay } from '../../support/system.cjs';

export type MultipartPart = Part;
export interface HttpResult {
	status: number;
	headers: http.IncomingHttpHeaders;
	body: Buffer;
	text: string;
}

/** multipart/form-data to a (production) webhook, again while it is not registered yet. */
export async function postMultipart(url: string, parts: Part[]): Promise<HttpResult> {
	const res = await postForm(url, parts);
	return { status: res.status, headers: res.headers, body: res.buffer, text: res.text };
}

/**
 * GET `url` without a session (what a form user's browser sends) until `done(text)` or the timeout; the
 * last answer. Each try waits first: asking for a form-waiting page while the execution runs was seen to hang.
 */
export async function pollRequest(
	url: string,
	done: (text: string) => boolean,
	{ timeoutMs = 60000, intervalMs = 1000 } = {},
) {
	const started = Date.now();
	let last = { status: 0, text: '' };
	for (;;) {
		await delay(intervalMs);
		last = await httpRequest(url, { timeoutMs: 15000 }).then(
			(res) => ({ status: res.status, text: res.text }),
			(error: Error) => ({ status: 0, text: String(error?.message) }),
		);
		if (done(last.text) || Date.now() - started > timeoutMs) return last;
	}
}
