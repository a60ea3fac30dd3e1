// @ts-check
'use strict';
/**
 * Measures a webhook-burst row: the row's workflow (webhook-workflow.js) active in a running n8n server
 * (`n8n start`, the same instance as every other row), the simulator at the new-account limit, and N
 * multipart POSTs sent at once, each its own execution with one item. Counts the answers that carry an
 * image, the simulator's requests and 429s, and times the burst at the caller: from the first call sent
 * to the last answer received. The server is stopped afterwards, so each burst starts from a fresh n8n
 * process (nothing learned from an earlier row) and the other rows run without it.
 */
const fs = require('node:fs');

const n8n = require('../n8n');
const { multipart } = require('../demo/webhook');
const { LIMIT } = require('./constants');
const { rowResult, sampleCallError, score } = require('./row-result');
const { webhookPath } = require('./webhook-workflow');

/** @typedef {import('./scenarios').Scenario} Scenario */
/** @typedef {import('./execute').RunContext} RunContext */
/** @typedef {import('./execute').RowResult} RowResult */
/** @typedef {import('../n8n').HttpResponse} HttpResponse */
/** @typedef {{ res?: HttpResponse, error?: string, at: number }} Answer */

const ANSWER_TIMEOUT_MS = 20 * 60 * 1000;

/**
 * VmHWM of a process in MB, or null.
 * @param {number | undefined} pid
 */
function peakMb(pid) {
	try {
		const m = /VmHWM:\s+(\d+)\s+kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
		return m ? Number(m[1]) / 1024 : null;
	} catch {
		return null;
	}
}

/**
 * Waits until n8n serves the webhook, without running it: a CORS preflight (OPTIONS with an Origin)
 * lists the path's registered methods.
 * @param {string} url
 */
async function waitRegistered(url) {
	const t0 = Date.now();
	for (;;) {
		const res = await n8n.httpRequest(url, {
			method: 'OPTIONS',
			headers: { origin: 'http://127.0.0.1' },
			timeoutMs: 10000,
		});
		if (/\bPOST\b/.test(String(res.headers['access-control-allow-methods'] || ''))) return;
		if (Date.now() - t0 > 60000) throw new Error(`webhook ${url} not registered after 60 s`);
		await new Promise((r) => setTimeout(r, 250));
	}
}

/**
 * @param {RunContext} ctx
 * @param {Scenario} sc
 * @param {string} workflowId
 * @param {(res: HttpResponse) => boolean} delivered whether an answer carries the edited image
 * @returns {Promise<RowResult>}
 */
async function runBurst({ inst, sim, opts }, sc, workflowId, delivered) {
	// Required here: execute.js requires the scenario registry, which requires this module.
	const { idealFor } = require('./execute');
	await sim.call('reset');
	await sim.call('setFaults', { latencyMs: opts.latencyMs, ...LIMIT, retryAfter: false });
	const server = await inst.startServer();
	const pid = server.child.pid;
	let peak = peakMb(pid) || 0;
	const poll = setInterval(() => (peak = Math.max(peak, peakMb(pid) || 0)), 200);
	try {
		await server.activateWorkflow(workflowId);
		const url = server.webhookUrl(webhookPath(sc));
		await waitRegistered(url);
		const { makePng } = require('../simulator/png');
		const png = makePng(256, 256, 'bench-input');
		const bodies = Array.from({ length: sc.n }, (_, i) =>
			multipart([
				{ name: 'data', filename: 'input.png', contentType: 'image/png', data: png },
				{ name: 'prompt', value: `Make the sky purple, variation ${i + 1}` },
			]),
		);
		const t0 = Date.now();
		/** @type {Answer[]} */
		const answers = await Promise.all(
			bodies.map(async ({ body, contentType }) => {
				const headers = { 'content-type': contentType };
				const options = { method: 'POST', body, headers, timeoutMs: ANSWER_TIMEOUT_MS };
				try {
					return { res: await n8n.httpRequest(url, options), at: Date.now() };
				} catch (e) {
					return { error: String((e instanceof Error && e.message) || e), at: Date.now() };
				}
			}),
		);
		const wallMs = Math.max(...answers.map((a) => a.at)) - t0;
		const stats = await sim.call('stats');
		const ok = answers.filter((a) => a.res && delivered(a.res)).length;
		const r = rowResult(sc, opts, stats, { processMs: wallMs, peakMemMb: peak || null });
		score(r, { wallMs, delivered: ok, wanted: sc.n, idealMs: idealFor(sc, opts.latencyMs) });
		r.sampleError = sampleCallError(answers.find((a) => !(a.res && delivered(a.res))));
		return r;
	} finally {
		clearInterval(poll);
		await server.stop();
	}
}

module.exports = { runBurst };
