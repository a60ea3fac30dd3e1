// The node as an AI Agent's tool in a real n8n: examples/agent-image-tools.json (chat trigger → AI Agent with
// an OpenAI Chat Model and the StepFun Image tool twice, Generate and Edit), run headless with its chat
// trigger replaced by a Manual Trigger + Set node, against a scripted OpenAI-compatible server that calls
// one tool and then answers in text, and the StepFun simulator. Checked: the tool schema the model is
// offered, the StepFun requests the tool call makes, and the tool result the model gets back.
import { startOpenAiServer, type OpenAiRequest, type OpenAiServer } from './helpers/openai.cjs';
import {
	startSimulator,
	type RecordedRequest,
	type Simulator,
} from '../support/simulator/index.cjs';
import {
	CUSTOM_NODE_TYPE,
	agentTwinWorkflow,
	agentVersionsToTest,
	createInstance,
	executeAgent,
	fixturePath,
	importShippedAgentExample,
	importWorkflows,
	readFile,
	sha256,
	toolModeTexts,
	versions,
	type E2eInstance,
} from './e2e-helpers.cjs';

const STEPFUN_DUMMY = 'sk-e2e-agent-stepfun';
const OPENAI_DUMMY = 'sk-e2e-agent-openai';
const STEPFUN_CRED = { id: 'e2eAgentStepFun1', name: 'Step Plan (simulator)' };
const OPENAI_CRED = { id: 'e2eAgentOpenAi01', name: 'OpenAI (scripted)' };
const TOOLS = { generate: 'Generate_Image', edit: 'Edit_Image' };
const INPUT = 'input-96x72.webp';
// What the scripted model asks for: quotes, an apostrophe, Chinese and an emoji must reach StepFun as they are.
const PROMPTS = {
	generate: 'A lighthouse at dusk, "watercolor", the keeper’s cat on the rail — 采菊东篱下 🌅',
	edit: 'Turn the sky purple and add a sign that says "OPEN" — 让天空变成紫色',
};
const ANSWER = 'Here is your image.';

type Operation = keyof typeof TOOLS;
type ToolSchema = {
	type: string;
	function: {
		name: string;
		description: string;
		parameters: { type: string; properties: Record<string, unknown>; required: string[] };
	};
};
type ChatMessage = {
	role: string;
	content: unknown;
	tool_call_id?: string;
	tool_calls?: unknown[];
};

const toolsOffered = (req: OpenAiRequest): ToolSchema[] => req.json.tools;
const messagesOf = (req: OpenAiRequest): ChatMessage[] => req.json.messages;
const byRoute = (sim: Simulator, route: string): RecordedRequest[] =>
	sim.apiRequests().filter((r) => r.route === route);

/** The scripted model: call `tool` with `args` (call id call_0_0), then answer in text. */
function script(ai: OpenAiServer, tool: string, args: Record<string, unknown>) {
	ai.setReplies([{ toolCalls: [{ name: tool, arguments: args }] }, { text: ANSWER }]);
}

/** The one tool message of the second chat request, parsed: the items the model was shown. */
function toolResult(second: OpenAiRequest): Array<Record<string, unknown>> {
	const toolMessages = messagesOf(second).filter((m) => m.role === 'tool');
	expect(toolMessages).toHaveLength(1);
	expect(toolMessages[0].tool_call_id).toBe('call_0_0');
	const content = String(toolMessages[0].content);
	// Only the JSON reaches the model: no image bytes.
	expect(content).not.toMatch(/iVBORw0KGgo|UklGR/);
	expect(content.length).toBeLessThan(4000);
	return JSON.parse(content);
}

describe.each(versions())('n8n %s: the StepFun Image tools of an AI Agent', (version) => {
	const texts = toolModeTexts();
	let sim: Simulator;
	let ai: OpenAiServer;
	let inst: E2eInstance;
	const ids = new Map<string, string>();
	const key = (agentVersion: number, op: Operation) => `${agentVersion}/${op}`;

	beforeAll(async () => {
		sim = await startSimulator({ apiKey: STEPFUN_DUMMY });
		ai = await startOpenAiServer({ apiKey: OPENAI_DUMMY });
		inst = await createInstance(version);
		await inst.importCredentials([
			{
				...STEPFUN_CRED,
				type: 'stepPlanApi',
				data: { apiKey: STEPFUN_DUMMY, endpoint: 'custom', baseUrl: sim.stepPlanBaseUrl },
			},
			{ ...OPENAI_CRED, type: 'openAiApi', data: { apiKey: OPENAI_DUMMY, url: ai.baseUrl } },
		]);
		const wanted = agentVersionsToTest(version).flatMap((agentVersion) =>
			(['generate', 'edit'] as const).map((op) => ({ agentVersion, op })),
		);
		const workflowIds = await importWorkflows(
			inst,
			wanted.map(({ agentVersion, op }) =>
				agentTwinWorkflow({
					nodeType: CUSTOM_NODE_TYPE,
					credential: STEPFUN_CRED,
					openAiCredential: OPENAI_CRED,
					agentVersion,
					chatInput:
						op === 'generate'
							? 'Draw a lighthouse at dusk'
							: 'Make the sky in my picture purple (link in the message)',
				}),
			),
		);
		wanted.forEach(({ agentVersion, op }, i) => ids.set(key(agentVersion, op), workflowIds[i]));
	}, 240000);

	afterAll(async () => {
		await inst?.cleanup();
		await sim?.close();
		await ai?.close();
	});

	beforeEach(() => {
		sim.reset();
		ai.reset();
	});

	test('examples/agent-image-tools.json imports as shipped', async () => {
		const stored = await importShippedAgentExample(inst);
		expect(stored.name).toBe('StepFun: image tools for an AI Agent (chat)');
		expect(stored.nodes.map((n) => [n.name, n.type]).sort()).toEqual([
			['AI Agent', '@n8n/n8n-nodes-langchain.agent'],
			['Edit Image', 'n8n-nodes-stepfun.stepFunImageTool'],
			['Generate Image', 'n8n-nodes-stepfun.stepFunImageTool'],
			['OpenAI Chat Model', '@n8n/n8n-nodes-langchain.lmChatOpenAi'],
			['Simple Memory', '@n8n/n8n-nodes-langchain.memoryBufferWindow'],
			['When chat message received', '@n8n/n8n-nodes-langchain.chatTrigger'],
		]);
		const into = (from: string) => Object.keys(stored.connections[from] ?? {});
		expect(into('Generate Image')).toEqual(['ai_tool']);
		expect(into('Edit Image')).toEqual(['ai_tool']);
		expect(into('OpenAI Chat Model')).toEqual(['ai_languageModel']);
	});

	test('the built node tells the model its limits (tool mode defaults)', () => {
		expect(texts.generate.description).toContain('512 characters');
		expect(texts.edit.description).toContain('512 characters');
		expect(texts.edit.description).toContain('"imageUrl"');
		expect(Object.keys(texts.generate.args)).toEqual(['prompt']);
		expect(Object.keys(texts.edit.args).sort()).toEqual(['imageUrl', 'prompt']);
		expect(texts.generate.args.prompt).toContain('512 characters');
		expect(texts.edit.args.prompt).toContain('512 characters');
		expect(texts.edit.args.imageUrl).toMatch(/http\(s\) URL of the image to edit/);
	});

	describe.each(agentVersionsToTest(version))('AI Agent v%s', (agentVersion) => {
		/** Both chat requests offered both tools, each with the operation's own description and arguments. */
		function expectToolSchemas(requests: OpenAiRequest[]) {
			for (const req of requests) {
				const tools = toolsOffered(req);
				expect(tools.map((t) => t.function.name).sort()).toEqual([TOOLS.edit, TOOLS.generate]);
				for (const op of ['generate', 'edit'] as const) {
					const tool = tools.find((t) => t.function.name === TOOLS[op])!;
					expect(tool.type).toBe('function');
					expect(tool.function.description).toBe(texts[op].description);
					const { parameters } = tool.function;
					expect(parameters.type).toBe('object');
					expect(parameters.properties).toEqual(
						Object.fromEntries(
							Object.entries(texts[op].args).map(([arg, description]) => [
								arg,
								{ type: 'string', description },
							]),
						),
					);
					expect([...parameters.required].sort()).toEqual(Object.keys(texts[op].args).sort());
				}
			}
		}

		test('Generate: one StepFun request with the model’s prompt; the model gets the image URL back', async () => {
			script(ai, TOOLS.generate, { prompt: PROMPTS.generate });
			const run = await executeAgent(inst, ids.get(key(agentVersion, 'generate'))!);

			const chats = ai.chatRequests();
			expect(chats).toHaveLength(2);
			expect(chats.every((r) => r.authorization === `Bearer ${OPENAI_DUMMY}`)).toBe(true);
			expectToolSchemas(chats);
			// The example's system message names the tools as the agent names them (after their nodes).
			const [system] = messagesOf(chats[0]);
			expect(system.role).toBe('system');
			expect(String(system.content)).toContain(`Call ${TOOLS.generate} to draw`);
			expect(String(system.content)).toContain(`${TOOLS.edit} to change an existing image`);

			const api = sim.apiRequests();
			expect(api).toHaveLength(1);
			const [req] = byRoute(sim, '/images/generations');
			expect(req.status).toBe(200);
			expect(req.authorization).toBe(`Bearer ${STEPFUN_DUMMY}`);
			expect(req.json).toMatchObject({ model: 'step-image-edit-2', prompt: PROMPTS.generate });
			expect(req.json.response_format).toBe('url');

			// The result was downloaded once (width, height and type come from its bytes), without the key.
			const downloads = sim.fileRequests();
			expect(downloads).toHaveLength(1);
			expect(downloads[0].authorization).toBeUndefined();
			const url = `${sim.url}${downloads[0].path}`;

			const items = toolResult(chats[1]);
			expect(items).toHaveLength(1);
			expect(items[0]).toMatchObject({
				operation: 'generate',
				prompt: PROMPTS.generate,
				url,
				width: req.output!.width,
				height: req.output!.height,
				seed: req.seedUsed,
				model: 'step-image-edit-2',
				fileName: 'stepfun-1.png',
				mimeType: 'image/png',
			});
			expect([items[0].width, items[0].height]).toEqual([1024, 1024]);

			expect(run.tools['Generate Image']).toHaveLength(1);
			expect(run.tools['Edit Image']).toBeUndefined();
			expect(run.agent.map((i) => i.json.output)).toEqual([ANSWER]);
		});

		test('Edit (Image Source URL): the hosted image is downloaded without the key, uploaded as is, and the edit’s URL comes back', async () => {
			const input = readFile(fixturePath(INPUT));
			const hosted = sim.hostFile(input, 'image/webp');
			script(ai, TOOLS.edit, { imageUrl: hosted, prompt: PROMPTS.edit });
			const run = await executeAgent(inst, ids.get(key(agentVersion, 'edit'))!);

			const chats = ai.chatRequests();
			expect(chats).toHaveLength(2);
			expectToolSchemas(chats);

			const api = sim.apiRequests();
			expect(api).toHaveLength(1);
			const [req] = byRoute(sim, '/images/edits');
			expect(req.status).toBe(200);
			expect(req.authorization).toBe(`Bearer ${STEPFUN_DUMMY}`);
			expect(req.fields).toMatchObject({
				model: 'step-image-edit-2',
				prompt: PROMPTS.edit,
				response_format: 'url',
			});
			expect(req.files).toHaveLength(1);
			expect(req.files[0]).toMatchObject({ field: 'image', format: 'webp', width: 96, height: 72 });
			expect(req.files[0].sha256).toBe(sha256(input));

			// First the input from the model's URL, then the edited result: neither with the API key.
			const hostedPath = new URL(hosted).pathname;
			const downloads = sim.fileRequests();
			expect(downloads.map((r) => r.path)[0]).toBe(hostedPath);
			expect(downloads).toHaveLength(2);
			for (const d of downloads) {
				expect(d.authorization).toBeUndefined();
				expect(JSON.stringify(d.headers)).not.toContain(STEPFUN_DUMMY);
			}
			const url = `${sim.url}${downloads[1].path}`;

			const items = toolResult(chats[1]);
			expect(items).toHaveLength(1);
			const hostedName = hostedPath
				.split('/')
				.pop()!
				.replace(/\.[^.]+$/, '');
			expect(items[0]).toMatchObject({
				operation: 'edit',
				prompt: PROMPTS.edit,
				url,
				width: 96,
				height: 72,
				seed: req.seedUsed,
				model: 'step-image-edit-2',
				fileName: `${hostedName}-edited.png`,
				inputWidth: 96,
				inputHeight: 72,
				inputMimeType: 'image/webp',
			});

			expect(run.tools['Edit Image']).toHaveLength(1);
			expect(run.tools['Generate Image']).toBeUndefined();
			expect(run.agent.map((i) => i.json.output)).toEqual([ANSWER]);
		});

		test('a refused call reaches the model as the node’s message, nothing is sent to StepFun, and the agent goes on', async () => {
			const tooLong = `A lighthouse ${'very '.repeat(120)}tall`;
			script(ai, TOOLS.generate, { prompt: tooLong });
			const run = await executeAgent(inst, ids.get(key(agentVersion, 'generate'))!);

			expect(sim.apiRequests()).toHaveLength(0);
			const chats = ai.chatRequests();
			expect(chats).toHaveLength(2);
			const toolMessages = messagesOf(chats[1]).filter((m) => m.role === 'tool');
			expect(toolMessages).toHaveLength(1);
			const content = String(toolMessages[0].content);
			expect(content).toContain(
				`Prompt is ${[...tooLong].length} characters long; StepFun accepts at most 512`,
			);
			expect(content).not.toContain(STEPFUN_DUMMY);
			expect(run.agent.map((i) => i.json.output)).toEqual([ANSWER]);
		});
	});
});
