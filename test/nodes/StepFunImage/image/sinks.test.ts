// Where an execution's images go, decided once from n8n's binary data mode (read off stored binaries'
// ids), for Generate as for Edit.
import type { IBinaryData, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { BufferSink, ImageStore, StorageSink } from '../../../../nodes/StepFunImage/image/sinks';
import { fileExists, getBinaryFilePath } from '../../../support/harness/index.cjs';
import { makePng } from '../../../support/simulator/png.cjs';
import { pngSize, runStepFun, sha256, useSimulator } from '../../../support/stepfun.cjs';

/** An execution context with these input items, whose store hands out ids of `storedAs`. */
function context(items: INodeExecutionData[], storedAs: string | undefined) {
	const stored: string[] = [];
	const ctx = {
		getInputData: () => items,
		helpers: {
			prepareBinaryData: async (_data: unknown, fileName?: string, mimeType?: string) => {
				stored.push(fileName ?? '');
				const id = storedAs === undefined ? undefined : `${storedAs}:${stored.length}`;
				return { id, fileName, mimeType, data: '' } as IBinaryData;
			},
		},
	} as unknown as IExecuteFunctions;
	return { ctx, stored };
}

const binary = (id?: string) => ({
	json: {},
	binary: { data: { id, data: '', mimeType: 'image/png' } },
});
const name = (extension: string, index: number) => `out-${index}.${extension}`;

describe('ImageStore: one decision per execution', () => {
	it('streams into storage when the input binaries live in files (filesystem mode)', () => {
		const { ctx } = context([{ json: {} }, binary('filesystem-v2:workflows/1/a')], 'filesystem-v2');
		expect(new ImageStore(ctx).sinks(name)(0, 0)).toBeInstanceOf(StorageSink);
	});

	it.each([
		['database mode', 'database:1'],
		['the in-memory mode (no id)', undefined],
	])('keeps images in one Buffer in %s', (_mode, id) => {
		const { ctx } = context([binary(id)], id?.split(':')[0]);
		expect(new ImageStore(ctx).sinks(name)(0, 0)).toBeInstanceOf(BufferSink);
	});

	it('without input binaries (Generate), learns the mode from the first image it stores', async () => {
		const { ctx, stored } = context([{ json: {} }], 'filesystem-v2');
		const store = new ImageStore(ctx);
		expect(store.sinks(name)(0, 0)).toBeInstanceOf(BufferSink);
		const png = makePng(8, 6);
		const sink = store.sinks(name)(0, png.length);
		await sink.write(png);
		const file = await sink.end();
		const kept = await store.store(file, name(file.info.extension, 0));
		expect(kept.id).toBe('filesystem-v2:1');
		expect(stored).toEqual(['out-0.png']);
		expect(store.sinks(name)(1, 0)).toBeInstanceOf(StorageSink);
		// An image stored while it arrived is not stored again.
		expect(await store.store({ ...file, binary: kept }, 'x.png')).toBe(kept);
		expect(stored).toHaveLength(1);
	});

	it('stays with Buffers when n8n keeps binaries in memory', async () => {
		const { ctx } = context([{ json: {} }], undefined);
		const store = new ImageStore(ctx);
		const sink = store.sinks(name)(0, 0);
		await sink.write(makePng(4, 4));
		await store.store(await sink.end(), 'a.png');
		expect(store.sinks(name)(0, 0)).toBeInstanceOf(BufferSink);
	});
});

describe('Generate in the filesystem binary mode, through n8n-core', () => {
	const sim = useSimulator({ apiKey: 'sk-generate-fs' });

	it('stores each image as a file, the exact bytes the API sent, named per item', async () => {
		const result = await runStepFun(
			sim(),
			{ operation: 'generate', prompt: '={{ $json.p }}', options: { concurrency: 1 } },
			{
				binaryMode: 'filesystem',
				items: [{ json: { p: 'one' } }, { json: { p: 'two' } }, { json: { p: 'three' } }],
			},
		);
		expect(result.error).toBeUndefined();
		const requests = sim().apiRequests();
		expect(result.items.map((i) => i.binary!.data.fileName)).toEqual([
			'stepfun-1.png',
			'stepfun-2.png',
			'stepfun-3.png',
		]);
		for (const [index, item] of result.items.entries()) {
			const out = item.binary!.data;
			expect(out.id!.startsWith('filesystem')).toBe(true);
			expect(fileExists(getBinaryFilePath(out.id!))).toBe(true);
			expect(sha256(out.buffer)).toBe(requests[index].outputSha256);
			expect(pngSize(out.buffer)).toEqual({ width: 1024, height: 1024 });
			expect(item.json).toMatchObject({
				prompt: ['one', 'two', 'three'][index],
				fileSize: out.buffer.length,
			});
		}
	});
});
