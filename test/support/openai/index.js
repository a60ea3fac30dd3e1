// @ts-check
'use strict';
/**
 * A scripted OpenAI-compatible chat-completions server on 127.0.0.1, for driving n8n's AI Agent offline:
 * the OpenAI Chat Model node (an `openAiApi` credential whose Base URL is `baseUrl`) talks to it as to
 * OpenAI. Each POST /v1/chat/completions takes the next scripted reply (tool calls or text), answered as
 * one JSON completion or, when the request asks to stream, as server-sent chunks. Every request is
 * recorded (parsed body, headers), so a test sees the tools the model was offered and the messages (tool
 * results included) it was sent. GET /v1/models lists one model (the credential's test).
 *
 *   const ai = await startOpenAiServer({ apiKey: 'sk-test' });
 *   ai.setReplies([(req) => ({ toolCalls: [{ name: req.json.tools[0].function.name, arguments: { prompt: 'a cat' } }] }),
 *     { text: 'Here it is.' }]);
 *   // ... run the workflow ...
 *   ai.chatRequests()[1].json.messages  // the tool result as the model got it
 */
const http = require('node:http');

const { completion, streamChunks } = require('./replies');

/** @typedef {import('./replies').ScriptedReply} ScriptedReply */

/**
 * One recorded request.
 * @typedef {object} OpenAiRequest
 * @property {number} index arrival order (from 0), all paths
 * @property {string} method
 * @property {string} path
 * @property {import('node:http').IncomingHttpHeaders} headers
 * @property {string | undefined} authorization
 * @property {any} json the parsed JSON body (undefined when there is none or it is not JSON)
 * @property {boolean} stream the request asked for a streamed answer
 * @property {number} [replyIndex] which scripted reply answered it (chat completions only)
 * @property {ScriptedReply} [reply] the reply it got
 */

/**
 * A step of the script: a reply, or a function making one from the request (e.g. to call the tool by the
 * name the agent gave it).
 * @typedef {ScriptedReply | ((request: OpenAiRequest) => ScriptedReply)} ReplyStep
 */

/**
 * @typedef {object} OpenAiServer
 * @property {string} url 'http://127.0.0.1:PORT'
 * @property {string} baseUrl `${url}/v1`: the openAiApi credential's Base URL
 * @property {(steps: ReplyStep[]) => void} setReplies replaces the script (and its position)
 * @property {() => OpenAiRequest[]} requests every request, in arrival order
 * @property {() => OpenAiRequest[]} chatRequests the chat-completion requests
 * @property {() => void} reset forgets the requests and the script
 * @property {() => Promise<void>} close
 */

/** What a chat request gets once the script is used up: the test's request counts will show it. */
const EXHAUSTED = { text: '(the scripted OpenAI server has no reply left)' };

/**
 * @param {import('node:http').IncomingMessage} req
 * @returns {Promise<Buffer>}
 */
function readBody(req) {
	return new Promise((resolve, reject) => {
		/** @type {Buffer[]} */
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => resolve(Buffer.concat(chunks)));
		req.on('error', reject);
	});
}

/**
 * @param {import('node:http').ServerResponse} res
 * @param {number} status
 * @param {unknown} body
 */
function sendJson(res, status, body) {
	const text = JSON.stringify(body);
	res.writeHead(status, {
		'content-type': 'application/json',
		'content-length': Buffer.byteLength(text),
	});
	res.end(text);
}

/**
 * Starts the server on 127.0.0.1 (an ephemeral port).
 * @param {{ apiKey?: string; model?: string }} [options] apiKey: when set, other keys get 401
 * @returns {Promise<OpenAiServer>}
 */
async function startOpenAiServer({ apiKey, model = 'gpt-4o-mini' } = {}) {
	/** @type {OpenAiRequest[]} */
	let requests = [];
	/** @type {ReplyStep[]} */
	let script = [];
	let position = 0;

	const server = http.createServer(async (req, res) => {
		const body = await readBody(req);
		const path = new URL(req.url || '/', 'http://127.0.0.1').pathname;
		/** @type {any} */
		let json;
		try {
			json = body.length ? JSON.parse(body.toString('utf8')) : undefined;
		} catch {
			json = undefined;
		}
		/** @type {OpenAiRequest} */
		const record = {
			index: requests.length,
			method: String(req.method),
			path,
			headers: req.headers,
			authorization: req.headers.authorization,
			json,
			stream: Boolean(json && json.stream),
		};
		requests.push(record);
		if (apiKey && record.authorization !== `Bearer ${apiKey}`) {
			return sendJson(res, 401, {
				error: { message: 'Incorrect API key', type: 'invalid_request_error' },
			});
		}
		if (req.method === 'GET' && path === '/v1/models') {
			return sendJson(res, 200, {
				object: 'list',
				data: [{ id: model, object: 'model', owned_by: 'test' }],
			});
		}
		if (req.method !== 'POST' || path !== '/v1/chat/completions' || !json) {
			return sendJson(res, 404, {
				error: { message: `no route ${req.method} ${path}`, type: 'not_found' },
			});
		}
		const step = position < script.length ? script[position] : EXHAUSTED;
		record.replyIndex = position++;
		const reply = typeof step === 'function' ? step(record) : step;
		record.reply = reply;
		const answerModel = String(json.model || model);
		if (!record.stream)
			return sendJson(res, 200, completion(reply, answerModel, record.replyIndex));
		res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
		const usage = Boolean(json.stream_options && json.stream_options.include_usage);
		for (const chunk of streamChunks(reply, answerModel, record.replyIndex, usage))
			res.write(`data: ${JSON.stringify(chunk)}\n\n`);
		res.end('data: [DONE]\n\n');
	});

	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve(undefined));
	});
	const { port } = /** @type {import('node:net').AddressInfo} */ (server.address());
	const url = `http://127.0.0.1:${port}`;
	return {
		url,
		baseUrl: `${url}/v1`,
		setReplies(steps) {
			script = steps.slice();
			position = 0;
		},
		requests: () => requests.slice(),
		chatRequests: () => requests.filter((r) => r.path === '/v1/chat/completions'),
		reset() {
			requests = [];
			script = [];
			position = 0;
		},
		close: () =>
			new Promise((resolve) => {
				server.close(() => resolve(undefined));
				server.closeAllConnections();
			}),
	};
}

module.exports = { startOpenAiServer };
