// The node as an AI Agent's tool: what the tool variant shows (n8n's `@tool` display option),
// and a URL in the result the model gets (agents drop the binary). The real agent round trip is
// test/e2e/agent.test.ts.
import type { INodeProperties } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { StepFunImage } from '../../../../nodes/StepFunImage/StepFunImage.node';
import { readFixture } from '../../../support/fixtures.cjs';
import { pngSize, runStepFun, useSimulator } from '../../../support/stepfun.cjs';

const description = new StepFunImage().description;
/** The parameters n8n fills in (defaults included) for a node of `type`, as a workflow would. */
function parametersOf(type: string, parameters: Record<string, string>) {
	const node = {
		id: 'n',
		name: 'StepFun',
		type,
		typeVersion: 1,
		position: [0, 0] as [number, number],
		parameters,
	};
	const typeDescription = { ...description, name: type.split('.').pop()! };
	return NodeHelpers.getNodeParameters(
		description.properties,
		parameters,
		true,
		false,
		node,
		typeDescription,
	)!;
}

describe('the tool variant an AI Agent uses', () => {
	it('describes each operation to the model, with its inputs and limits', () => {
		const generate = parametersOf('n8n-nodes-stepfun.stepFunImageTool', { operation: 'generate' });
		expect(generate.toolDescription).toMatch(/^Generates an image from a text description/);
		expect(generate.toolDescription).toMatch(/at most 512 characters/);
		expect(generate.toolDescription).toMatch(/temporary URL/);
		const edit = parametersOf('n8n-nodes-stepfun.stepFunImageTool', { operation: 'edit' });
		expect(edit.toolDescription).toMatch(/^Edits an existing image/);
		expect(edit.toolDescription).toMatch(/"imageUrl", the http\(s\) URL of the image to edit/);
		expect(edit.toolDescription).toMatch(/4096×4096/);
	});

	it('lets the model fill the prompt (and the image URL) with $fromAI, limits in the descriptions', () => {
		const generate = parametersOf('n8n-nodes-stepfun.stepFunImageTool', { operation: 'generate' });
		expect(generate.prompt).toBe(
			"={{ $fromAI('prompt', 'What the image should show, in English or Chinese, at most 512 characters', 'string') }}",
		);
		const edit = parametersOf('n8n-nodes-stepfun.stepFunImageTool', { operation: 'edit' });
		expect(edit.imageSource).toBe('url');
		expect(edit.imageUrl).toMatch(
			/^=\{\{ \$fromAI\('imageUrl', 'The http\(s\) URL of the image to edit/,
		);
		expect(edit.prompt).toMatch(/^=\{\{ \$fromAI\('prompt', 'The edit instruction/);
	});

	it('shows none of that in the regular node', () => {
		const regular = parametersOf('n8n-nodes-stepfun.stepFunImage', { operation: 'edit' });
		expect(regular.toolDescription).toBeUndefined();
		expect(regular.imageSource).toBe('binary');
		expect(regular.prompt).toBe('');
		const names = description.properties.map((p: INodeProperties) => p.name);
		// convertNodeToAiTool adds no description field of its own when the node has one.
		expect(names).toContain('toolDescription');
	});
});

describe('running as a tool', () => {
	const sim = useSimulator({ apiKey: 'sk-tool' });

	it('asks for a URL result and keeps the URL beside the image facts: what the model sees', async () => {
		const result = await runStepFun(
			sim(),
			{ operation: 'generate', prompt: 'a red kite' },
			{ asTool: true },
		);
		expect(result.error).toBeUndefined();
		const [request] = sim().apiRequests();
		expect(request.json).toMatchObject({ prompt: 'a red kite', response_format: 'url' });
		const { json } = result.items[0];
		expect(json.url).toMatch(new RegExp(`^${sim().url}/files/`));
		expect(json).toMatchObject({
			width: 1024,
			height: 1024,
			model: 'step-image-edit-2',
			fileName: 'stepfun-1.png',
		});
		expect(json.seed).toBe(request.seedUsed);
		expect(pngSize(result.items[0].binary!.data.buffer)).toEqual({ width: 1024, height: 1024 });
	});

	it('edits the image at the URL the model passes', async () => {
		const url = sim().hostFile(readFixture('input-64x48.png'), 'image/png');
		const result = await runStepFun(
			sim(),
			{ operation: 'edit', imageSource: 'url', imageUrl: url, prompt: 'add snow' },
			{ asTool: true },
		);
		expect(result.error).toBeUndefined();
		expect(result.items[0].json.url).toMatch(/\/files\//);
		expect(result.items[0].json).toMatchObject({ width: 64, height: 48, inputWidth: 64 });
	});

	it('hands a failure to the model as an error item, so it can correct its call', async () => {
		const long = 'a red kite '.repeat(60);
		const refused = await runStepFun(
			sim(),
			{ operation: 'generate', prompt: long },
			{ asTool: true },
		);
		expect(refused.error).toBeUndefined();
		expect(sim().apiRequests()).toHaveLength(0);
		expect(refused.items).toHaveLength(1);
		expect(refused.items[0].json.error).toBe(
			`Prompt is ${long.length} characters long; StepFun accepts at most 512. Shorten it. [item 0]`,
		);
		expect(refused.items[0].pairedItem).toEqual({ item: 0 });

		// The API's own refusal too; the same call in a workflow still stops the node.
		sim().setFaults({ blockedPrompts: ['forbidden'] });
		const apiRefused = await runStepFun(
			sim(),
			{ operation: 'generate', prompt: 'a forbidden kite' },
			{ asTool: true },
		);
		expect(apiRefused.error).toBeUndefined();
		expect(sim().apiRequests()).toHaveLength(1);
		expect(apiRefused.items[0].json).toMatchObject({ httpCode: '451' });
		expect(String(apiRefused.items[0].json.error)).toMatch(/\[item 0\]/);
		const inWorkflow = await runStepFun(sim(), { operation: 'generate', prompt: long });
		expect(inWorkflow.error?.message).toContain(`Prompt is ${long.length} characters long`);
	});

	it('keeps the URL of a downloaded result outside agents too (Binary, Download From URL)', async () => {
		const result = await runStepFun(sim(), {
			operation: 'generate',
			prompt: 'x',
			options: { resultFormat: 'binaryFromUrl' },
		});
		expect(result.items[0].json.url).toMatch(/\/files\//);
		expect(result.items[0].binary).toBeDefined();
		const inResponse = await runStepFun(sim(), { operation: 'generate', prompt: 'x' });
		expect(inResponse.items[0].json).not.toHaveProperty('url');
	});
});
