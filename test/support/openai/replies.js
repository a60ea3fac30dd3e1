// @ts-check
'use strict';
/**
 * The scripted server's answers in OpenAI's chat-completions format: a whole completion, or the same
 * reply as stream chunks (`chat.completion.chunk`).
 */

/**
 * A tool call the scripted model makes: the tool's name and its arguments (sent JSON-encoded).
 * @typedef {{ name: string; arguments: Record<string, unknown>; id?: string }} ScriptedToolCall
 */

/**
 * What the scripted model answers: tool calls, or text.
 * @typedef {{ toolCalls: ScriptedToolCall[]; text?: undefined } | { text: string; toolCalls?: undefined }} ScriptedReply
 */

const USAGE = { prompt_tokens: 20, completion_tokens: 10, total_tokens: 30 };

/**
 * @param {ScriptedReply} reply
 * @param {number} replyIndex
 */
function toolCallsOf(reply, replyIndex) {
	return (reply.toolCalls || []).map((call, i) => ({
		id: call.id || `call_${replyIndex}_${i}`,
		type: 'function',
		function: { name: call.name, arguments: JSON.stringify(call.arguments) },
	}));
}

/**
 * @param {ScriptedReply} reply
 * @param {string} model
 * @param {number} replyIndex
 */
function completion(reply, model, replyIndex) {
	const toolCalls = toolCallsOf(reply, replyIndex);
	const message = toolCalls.length
		? { role: 'assistant', content: null, tool_calls: toolCalls }
		: { role: 'assistant', content: reply.text ?? '' };
	return {
		id: `chatcmpl-scripted-${replyIndex}`,
		object: 'chat.completion',
		created: Math.floor(Date.now() / 1000),
		model,
		choices: [
			{
				index: 0,
				message,
				logprobs: null,
				finish_reason: toolCalls.length ? 'tool_calls' : 'stop',
			},
		],
		usage: USAGE,
	};
}

/**
 * The reply as stream chunks: the role, the content or each tool call whole, the finish reason, and the
 * usage when asked for.
 * @param {ScriptedReply} reply
 * @param {string} model
 * @param {number} replyIndex
 * @param {boolean} includeUsage
 * @returns {object[]}
 */
function streamChunks(reply, model, replyIndex, includeUsage) {
	const base = {
		id: `chatcmpl-scripted-${replyIndex}`,
		object: 'chat.completion.chunk',
		created: Math.floor(Date.now() / 1000),
		model,
	};
	/** @param {object} delta @param {string | null} finish */
	const chunk = (delta, finish = null) => ({
		...base,
		choices: [{ index: 0, delta, logprobs: null, finish_reason: finish }],
	});
	const toolCalls = toolCallsOf(reply, replyIndex);
	/** @type {object[]} */
	const chunks = [chunk({ role: 'assistant', content: toolCalls.length ? null : '' })];
	if (toolCalls.length) {
		toolCalls.forEach((call, index) => chunks.push(chunk({ tool_calls: [{ index, ...call }] })));
		chunks.push(chunk({}, 'tool_calls'));
	} else {
		chunks.push(chunk({ content: reply.text ?? '' }), chunk({}, 'stop'));
	}
	if (includeUsage) chunks.push({ ...base, choices: [], usage: USAGE });
	return chunks;
}

module.exports = { completion, streamChunks };
