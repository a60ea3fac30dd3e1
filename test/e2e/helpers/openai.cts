// A scripted OpenAI-compatible chat-completions server on 127.0.0.1, so n8n's AI Agent runs offline: the
// OpenAI Chat Model node (an `openAiApi` credential with `baseUrl` as its Base URL) talks to it as to
// OpenAI. Each POST /v1/chat/completions takes the next scripted reply (tool calls or text), answered as
// one completion or, when asked, as server-sent chunks; every request is recorded (the tools the model
// was offered, the messages it was sent). GET /v1/models lists one model (the credential's test).
import type http from 'node:http';

import { sendJson, startTestServer } from '../../support/test-server.cjs';

export interface ScriptedToolCall {
	name: string;
	/** Sent JSON-encoded. */
	arguments: Record<string, unknown>;
	id?: string;
}
export type ScriptedReply =
	| { toolCalls: ScriptedToolCall[]; text?: undefined }
	| { text: string; toolCalls?: undefined };

export interface OpenAiRequest {
	/** Arrival order, from 0, all paths. */
	index: number;
	method: string;
	path: string;
	headers: http.IncomingHttpHeaders;
	authorization: string | undefined;
	json: any;
	/** It asked for a streamed answer. */
	stream: boolean;
	replyIndex?: number;
	reply?: ScriptedReply;
}
/** A reply, or a function making one from the request (to call a tool by the name the agent gave it). */
export type ReplyStep = ScriptedReply | ((request: OpenAiRequest) => ScriptedReply);

export interface OpenAiServer {
	url: string;
	/** The openAiApi credential's Base URL. */
	baseUrl: string;
	/** Replaces the script (and its position). */
	setReplies(steps: ReplyStep[]): void;
	requests(): OpenAiRequest[];
	chatRequests(): OpenAiRequest[];
	reset(): void;
	close(): Promise<void>;
}

const USAGE = { prompt_tokens: 20, completion_tokens: 10, total_tokens: 30 };
/** What a chat request gets once the script is used up (the test's request counts show it). */
const EXHAUSTED: ScriptedReply = { text: '(the scripted OpenAI server has no reply left)' };

const toolCallsOf = (reply: ScriptedReply, index: number) =>
	(reply.toolCalls ?? []).map((call, i) => ({
		id: call.id ?? `call_${index}_${i}`,
		type: 'function',
		function: { name: call.name, arguments: JSON.stringify(call.arguments) },
	}));

/** The reply as one completion, or as stream chunks (role, content or each tool call, finish, usage). */
function answer(
	reply: ScriptedReply,
	model: string,
	index: number,
	stream: boolean,
	includeUsage: boolean,
) {
	const base = { id: `chatcmpl-scripted-${index}`, created: Math.floor(Date.now() / 1000), model };
	const toolCalls = toolCallsOf(reply, index);
	const finish = toolCalls.length ? 'tool_calls' : 'stop';
	if (!stream) {
		const message = toolCalls.length
			? { role: 'assistant', content: null, tool_calls: toolCalls }
			: { role: 'assistant', content: reply.text ?? '' };
		const choice = { index: 0, message, logprobs: null, finish_reason: finish };
		return [{ ...base, object: 'chat.completion', choices: [choice], usage: USAGE }];
	}
	const chunk = (delta: object, finishReason: string | null = null) => ({
		...base,
		object: 'chat.completion.chunk',
		choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }],
	});
	const chunks: object[] = [chunk({ role: 'assistant', content: toolCalls.length ? null : '' })];
	if (toolCalls.length)
		chunks.push(...toolCalls.map((call, i) => chunk({ tool_calls: [{ index: i, ...call }] })));
	else chunks.push(chunk({ content: reply.text ?? '' }));
	chunks.push(chunk({}, finish));
	if (includeUsage)
		chunks.push({ ...base, object: 'chat.completion.chunk', choices: [], usage: USAGE });
	return chunks;
}

/** `apiKey`: when set, other keys get 401. */
export async function startOpenAiServer({
	apiKey,
	model = 'gpt-4o-mini',
}: { apiKey?: string; model?: string } = {}): Promise<OpenAiServer> {
	let requests: OpenAiRequest[] = [];
	let script: ReplyStep[] = [];
	let position = 0;
	const server = await startTestServer((req, res, { method, path, headers, body }) => {
		let json: any;
		try {
			json = body.length ? JSON.parse(body.toString('utf8')) : undefined;
		} catch {
			json = undefined;
		}
		const { authorization } = headers;
		const record: OpenAiRequest = {
			index: requests.length,
			method,
			path,
			headers,
			authorization,
			json,
			stream: Boolean(json?.stream),
		};
		requests.push(record);
		const error = (message: string, type: string) => ({ error: { message, type } });
		if (apiKey && authorization !== `Bearer ${apiKey}`) {
			return sendJson(res, 401, error('Incorrect API key', 'invalid_request_error'));
		}
		if (method === 'GET' && path === '/v1/models') {
			return sendJson(res, 200, {
				object: 'list',
				data: [{ id: model, object: 'model', owned_by: 'test' }],
			});
		}
		if (method !== 'POST' || path !== '/v1/chat/completions' || !json) {
			return sendJson(res, 404, error(`no route ${method} ${path}`, 'not_found'));
		}
		const step = position < script.length ? script[position] : EXHAUSTED;
		record.replyIndex = position++;
		record.reply = typeof step === 'function' ? step(record) : step;
		const usage = Boolean(json.stream_options?.include_usage);
		const out = answer(
			record.reply,
			String(json.model ?? model),
			record.replyIndex,
			record.stream,
			usage,
		);
		if (!record.stream) return sendJson(res, 200, out[0]);
		res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
		for (const chunk of out) res.write(`data: ${JSON.stringify(chunk)}\n\n`);
		res.end('data: [DONE]\n\n');
	});
	return {
		url: server.url,
		baseUrl: `${server.url}/v1`,
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
		close: () => server.close(),
	};
}
