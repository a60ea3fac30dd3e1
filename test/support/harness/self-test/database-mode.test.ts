// runNode() in "database" binary mode: n8n's DatabaseManager mirrored (n8n-mirror/database-manager.cts), its
// `binary_data` rows as files, behind n8n-core's real BinaryDataService.
import {
	BinaryDataFileNotFoundError,
	FileTooLargeError,
	InvalidSourceTypeError,
	MissingSourceIdError,
} from 'n8n-core';
import type { IBinaryData } from 'n8n-workflow';

import { FIXTURES_DIR, readFixture } from '../../fixtures.cjs';
import { createDatabaseManager } from '../../n8n-mirror/database-manager.cjs';
import { fileExists, getBinaryFilePath, runNode, useBinaryDataMode } from '../index.cjs';
import { tempDir } from '../../system.cjs';
import { Dummy, DummyApi, useDummyServer } from './dummy';

const env = useDummyServer();
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}';
const DATABASE_ID = new RegExp(`^database:${UUID}$`);
const fileIdOf = (id: string) => id.slice('database:'.length);
const execution = (executionId: string) =>
	({ type: 'execution', workflowId: 'wf1', executionId }) as const;

async function readStream(stream: AsyncIterable<Buffer>): Promise<Buffer> {
	const chunks: Buffer[] = [];
	for await (const chunk of stream) chunks.push(chunk);
	return Buffer.concat(chunks);
}

async function runDummy(text: string) {
	return await runNode({
		node: new Dummy(),
		credentialTypes: [new DummyApi()],
		credentials: env.credentials(),
		parameters: { operation: 'binary' },
		binaryMode: 'database',
		items: [
			{
				json: {},
				binary: { data: { data: Buffer.from(text), mimeType: 'text/plain', fileName: 'd.txt' } },
			},
		],
	});
}

describe('runNode: "database" binary mode', () => {
	it('prepareBinaryData stores a row, getBinaryDataBuffer and getBinaryStream read it back', async () => {
		const result = await runDummy('from the db');
		expect(result.error).toBeUndefined();

		// What the start node's prepareBinaryData emitted: a reference to a row, not the bytes.
		const input =
			result.raw.data.resultData.runData['Harness Input'][0].data!.main[0]![0].binary!.data;
		expect(input.id).toMatch(DATABASE_ID);
		expect(input.data).toBe('database');
		expect(input.bytes).toBe(11);

		const [item] = result.items;
		expect(item.json).toEqual({
			inputId: input.id,
			inputInline: null,
			viaBuffer: 'from the db',
			viaStream: 'from the db',
		});
		const output = item.binary!.data;
		expect(output.id).toMatch(DATABASE_ID);
		expect(output.id).not.toBe(input.id);
		expect(output.buffer.toString('utf8')).toBe('FROM THE DB');
		expect(output).toMatchObject({ mimeType: 'text/plain', fileName: 'upper.txt', bytes: 11 });

		// The rows are outside the JS heap: one data file each.
		expect(fileExists(getBinaryFilePath(input.id!))).toBe(true);
		expect(fileExists(getBinaryFilePath(output.id!))).toBe(true);
	});

	it('answers like n8n: new Buffers, whole-buffer streams, metadata, database:// paths', async () => {
		const result = await runDummy('row bytes');
		const output = result.items[0].binary!.data as IBinaryData;
		const service = await useBinaryDataMode('database');

		const first = await service.getAsBuffer(output);
		const second = await service.getAsBuffer(output);
		expect(first).not.toBe(second);
		first.fill(0);
		expect(second.toString('utf8')).toBe('ROW BYTES');
		expect((await service.getAsBuffer(output)).toString('utf8')).toBe('ROW BYTES');

		const chunks: Buffer[] = [];
		for await (const chunk of await service.getAsStream(output.id!, 2)) chunks.push(chunk);
		expect(chunks.map((c) => c.toString('utf8'))).toEqual(['ROW BYTES']); // chunkSize ignored

		expect(await service.getMetadata(output.id!)).toEqual({
			fileName: 'upper.txt',
			mimeType: 'text/plain',
			fileSize: 9,
		});
		expect(service.getPath(output.id!)).toBe(`database://${fileIdOf(output.id!)}`);
	});

	it('deleteMany removes the rows of an execution; unknown rows are not found', async () => {
		const result = await runDummy('to delete');
		const input =
			result.raw.data.resultData.runData['Harness Input'][0].data!.main[0]![0].binary!.data;
		const output = result.items[0].binary!.data;
		const service = await useBinaryDataMode('database');
		await service.deleteMany([execution('another-execution')]);
		expect(fileExists(getBinaryFilePath(output.id!))).toBe(true);

		await service.deleteMany([execution(result.executionId)]);
		for (const id of [input.id!, output.id!]) {
			expect(fileExists(getBinaryFilePath(id))).toBe(false);
			await expect(service.getMetadata(id)).rejects.toThrow(/Could not find any entity/);
		}
	});

	it('copies rows by id and from a file, stores streams, renames and deletes by id', async () => {
		const service = await useBinaryDataMode('database');
		const stored = await service.store(execution('e1'), Buffer.from('original'), {
			mimeType: 'text/plain',
			fileName: 'o.txt',
			data: '',
		});
		expect(stored.id).toMatch(DATABASE_ID);

		const [[copy]] = await service.duplicateBinaryData(execution('e2'), [
			[{ json: {}, binary: { data: { ...stored } } }],
		]);
		const copyId = copy.binary!.data.id!;
		expect(copyId).toMatch(DATABASE_ID);
		expect(copyId).not.toBe(stored.id);
		expect((await service.getAsBuffer(copy.binary!.data)).toString('utf8')).toBe('original');

		const fixture = `${FIXTURES_DIR}/input-64x48.png`;
		const fromFile = await service.copyBinaryFile(
			execution('e3'),
			{ mimeType: 'image/png', fileName: 'in.png', data: '' },
			fixture,
		);
		expect(fromFile.id).toMatch(DATABASE_ID);
		expect((await service.getAsBuffer(fromFile)).equals(readFixture('input-64x48.png'))).toBe(true);

		// A stream is collected into one Buffer (binaryToBuffer) before the row is written.
		const streamed = await service.store(execution('e4'), await service.getAsStream(stored.id!), {
			mimeType: 'text/plain',
			data: '',
		});
		expect(await readStream(await service.getAsStream(streamed.id!))).toEqual(
			Buffer.from('original'),
		);

		const renamedTo = '00000000-0000-4000-8000-000000000001';
		await service.rename(fileIdOf(streamed.id!), renamedTo);
		expect((await service.getAsBuffer({ ...streamed, id: `database:${renamedTo}` })).length).toBe(
			8,
		);
		await expect(service.rename(fileIdOf(streamed.id!), 'x')).rejects.toThrow(
			BinaryDataFileNotFoundError,
		);

		await service.deleteManyByBinaryDataId([stored.id!, copyId]);
		expect(fileExists(getBinaryFilePath(stored.id!))).toBe(false);
		expect(fileExists(getBinaryFilePath(copyId))).toBe(false);
		expect(fileExists(getBinaryFilePath(fromFile.id!))).toBe(true);
	});
});

describe('the database manager itself', () => {
	const manager = async (dbMaxFileSize = 512) =>
		await createDatabaseManager({
			localStoragePath: tempDir('n8n-harness-db-test-'),
			dbMaxFileSize,
		});

	it('refuses a file over dbMaxFileSize (MiB) and writes no row', async () => {
		const m = await manager(4 / (1024 * 1024));
		await expect(
			m.store(execution('e1'), Buffer.from('12345'), { fileName: 'big.bin' }),
		).rejects.toThrow(FileTooLargeError);
		await expect(m.store(execution('e1'), Buffer.from('1234'), {})).resolves.toMatchObject({
			fileSize: 4,
		});
		expect(await m.rows.scan()).toHaveLength(1);
	});

	it('keeps where a row came from, as n8n maps file locations to sources', async () => {
		const m = await manager();
		const inTemp = await m.store(execution(''), Buffer.from('a'), {});
		const attachment = await m.store(
			{
				type: 'custom',
				pathSegments: ['chat'],
				sourceType: 'chat_message_attachment',
				sourceId: 'm1',
			},
			Buffer.from('b'),
			{},
		);
		expect(await m.rows.columns(inTemp.fileId)).toMatchObject({
			sourceType: 'execution',
			sourceId: 'temp',
			mimeType: null,
			fileName: null,
			fileSize: 1,
		});
		expect(await m.rows.columns(attachment.fileId)).toMatchObject({
			sourceType: 'chat_message_attachment',
			sourceId: 'm1',
		});
		await expect(
			m.store({ type: 'custom', pathSegments: ['x', 'y'] }, Buffer.from('c'), {}),
		).rejects.toThrow(MissingSourceIdError);
		await expect(
			m.store(
				{ type: 'custom', pathSegments: ['x'], sourceType: 'nope', sourceId: '1' },
				Buffer.from('c'),
				{},
			),
		).rejects.toThrow(InvalidSourceTypeError);
		await expect(
			m.copyByFileId(execution('e2'), '00000000-0000-4000-8000-00000000dead'),
		).rejects.toThrow(BinaryDataFileNotFoundError);
		await expect(m.getAsBuffer('missing')).rejects.toThrow(/Could not find any entity/);
	});
});
