// runNode(): items, pairedItem and expression parameters through n8n-core's real WorkflowExecute.
import { runNode } from '../index.cjs';
import { Dummy, DummyApi, useDummyServer } from './dummy';

const env = useDummyServer();

describe('runNode: items, pairedItem, expressions', () => {
	it('resolves expression parameters per item and keeps pairedItem', async () => {
		const result = await runNode({
			node: new Dummy(),
			credentialTypes: [new DummyApi()],
			credentials: env.credentials(),
			parameters: { operation: 'echo', text: '={{ $json.prompt }} #{{ $itemIndex }}' },
			items: [
				{ json: { prompt: 'a cat' } },
				{ json: { prompt: 'a dog' } },
				{ json: { prompt: 'a fox' } },
			],
		});
		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(result.items.map((item) => item.json.text)).toEqual([
			'a cat #0',
			'a dog #1',
			'a fox #2',
		]);
		expect(result.items.map((item) => item.pairedItem)).toEqual([
			{ item: 0 },
			{ item: 1 },
			{ item: 2 },
		]);
		expect(result.items[0].json.version).toBe(2);
		expect(result.raw.data.resultData.runData['Node Under Test']).toHaveLength(1);
	});

	it('runs the requested typeVersion', async () => {
		const result = await runNode({
			node: new Dummy(),
			credentialTypes: [new DummyApi()],
			credentials: env.credentials(),
			parameters: { operation: 'echo', text: 'x' },
			typeVersion: 1,
		});
		expect(result.items[0].json.version).toBe(1);
	});
});
