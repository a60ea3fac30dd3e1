// The scripted OpenAI-compatible server the AI Agent suite talks to: replies in script order, as JSON or
// streamed, every request recorded, other keys refused.
import { startOpenAiServer, type OpenAiServer } from './openai.cjs';

const KEY = 'sk-scripted';
let ai: OpenAiServer;

beforeAll(async () => {
	ai = await startOpenAiServer({ apiKey: KEY });
});
afterAll(async () => {
	await ai.close();
});
beforeEach(() => ai.reset());

async function chat(body: Record<string, unknown>, key = KEY) {
	return await fetch(`${ai.baseUrl}/chat/completions`, {
		method: 'POST',
		headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
		body: JSON.stringify({
			model: 'gpt-test',
			messages: [{ role: 'user', content: 'hi' }],
			...body,
		}),
	});
}

test('answers with the scripted tool calls, then text, then says the script is used up', async () => {
	ai.setReplies([
		(req) => ({
			toolCalls: [{ name: req.json.tools[0].function.name, arguments: { prompt: 'a cat' } }],
		}),
		{ text: 'Done.' },
	]);
	const tools = [{ type: 'function', function: { name: 'Draw', parameters: {} } }];
	const first = await (await chat({ tools })).json();
	expect(first.choices[0].finish_reason).toBe('tool_calls');
	expect(first.choices[0].message.tool_calls).toEqual([
		{
			id: 'call_0_0',
			type: 'function',
			function: { name: 'Draw', arguments: '{"prompt":"a cat"}' },
		},
	]);
	const second = await (await chat({})).json();
	expect(second.choices[0]).toMatchObject({ finish_reason: 'stop', message: { content: 'Done.' } });
	const third = await (await chat({})).json();
	expect(third.choices[0].message.content).toMatch(/no reply left/);
	expect(ai.chatRequests().map((r) => [r.replyIndex, r.json.model])).toEqual([
		[0, 'gpt-test'],
		[1, 'gpt-test'],
		[2, 'gpt-test'],
	]);
});

test('streams the same reply as chunks when asked', async () => {
	ai.setReplies([
		{ toolCalls: [{ name: 'Draw', arguments: { prompt: 'a dog' } }] },
		{ text: 'Hi!' },
	]);
	const read = async (res: Response) =>
		(await res.text())
			.split('\n\n')
			.filter((l) => l.startsWith('data: ') && l !== 'data: [DONE]')
			.map((l) => JSON.parse(l.slice(6)));
	const calls = await read(await chat({ stream: true, stream_options: { include_usage: true } }));
	const deltas = calls.flatMap((c) => c.choices.map((ch: { delta: unknown }) => ch.delta));
	expect(deltas).toContainEqual({
		tool_calls: [
			{
				index: 0,
				id: 'call_0_0',
				type: 'function',
				function: { name: 'Draw', arguments: '{"prompt":"a dog"}' },
			},
		],
	});
	expect(calls.at(-1).usage).toBeDefined();
	const text = await read(await chat({ stream: true }));
	expect(text.map((c) => c.choices[0].delta.content ?? '').join('')).toBe('Hi!');
	expect(text.at(-1).choices[0].finish_reason).toBe('stop');
});

test('refuses another key and unknown paths; lists a model', async () => {
	expect((await chat({}, 'sk-other')).status).toBe(401);
	const models = await fetch(`${ai.baseUrl}/models`, {
		headers: { authorization: `Bearer ${KEY}` },
	});
	expect((await models.json()).data[0].id).toBe('gpt-4o-mini');
	const other = await fetch(`${ai.url}/v1/responses`, {
		method: 'POST',
		headers: { authorization: `Bearer ${KEY}` },
		body: '{}',
	});
	expect(other.status).toBe(404);
	expect(ai.requests()).toHaveLength(3);
});
