// runNode(): binary data through n8n-core's real BinaryDataService, in "default" and "filesystem" mode.
import { fileExists, getBinaryFilePath, runNode } from '../index.cjs';
import { Dummy, DummyApi, useDummyServer } from './dummy';

const env = useDummyServer();

describe('runNode: binary data through the real BinaryDataService', () => {
	it('default mode: inline base64 in, binary out', async () => {
		const result = await runNode({
			node: new Dummy(),
			credentialTypes: [new DummyApi()],
			credentials: env.credentials(),
			parameters: { operation: 'binary' },
			binaryMode: 'default',
			items: [
				{
					json: {},
					binary: {
						data: { data: Buffer.from('hello'), mimeType: 'text/plain', fileName: 'h.txt' },
					},
				},
			],
		});
		expect(result.error).toBeUndefined();
		const [item] = result.items;
		expect(item.json).toEqual({
			inputId: null,
			inputInline: Buffer.from('hello').toString('base64'),
			viaBuffer: 'hello',
			viaStream: null,
		});
		expect(item.binary?.data.buffer.toString('utf8')).toBe('HELLO');
		expect(item.binary?.data.id).toBeUndefined();
		expect(item.binary?.data).toMatchObject({
			mimeType: 'text/plain',
			fileName: 'upper.txt',
			bytes: 5,
		});
	});

	it('filesystem mode: the input binary lives on disk and the node reads it back', async () => {
		const result = await runNode({
			node: new Dummy(),
			credentialTypes: [new DummyApi()],
			credentials: env.credentials(),
			parameters: { operation: 'binary' },
			binaryMode: 'filesystem',
			items: [
				{
					json: {},
					binary: {
						data: { data: Buffer.from('from disk'), mimeType: 'text/plain', fileName: 'd.txt' },
					},
				},
			],
		});
		expect(result.error).toBeUndefined();

		// What the start node emitted: a reference, not the bytes.
		const input =
			result.raw.data.resultData.runData['Harness Input'][0].data!.main[0]![0].binary!.data;
		expect(input.id).toMatch(/^filesystem-v2:/);
		expect(input.data).toBe('filesystem-v2');
		expect(input.data).not.toBe(Buffer.from('from disk').toString('base64'));
		expect(fileExists(getBinaryFilePath(input.id!))).toBe(true);

		const [item] = result.items;
		expect(item.json).toEqual({
			inputId: input.id,
			inputInline: null,
			viaBuffer: 'from disk',
			viaStream: 'from disk',
		});
		expect(item.binary?.data.id).toMatch(/^filesystem-v2:/);
		expect(fileExists(getBinaryFilePath(item.binary!.data.id!))).toBe(true);
		expect(item.binary?.data.buffer.toString('utf8')).toBe('FROM DISK');
	});
});
