// The node with n8n's "database" binary data mode (the default in queue mode): input and output images
// are rows of the binary_data table (ids `database:<uuid>`), read and written through n8n-core.
import { readFixture } from '../../../../support/fixtures.cjs';
import {
	fileExists,
	getBinaryFilePath,
	useBinaryDataMode,
} from '../../../../support/harness/index.cjs';
import { pngSize, runStepFun, sha256, useSimulator } from '../../../../support/stepfun.cjs';

const DATABASE_ID =
	/^database:[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('binary data mode "database", through n8n-core against the simulator', () => {
	const sim = useSimulator({ apiKey: 'sk-database-mode-test' });

	it('Edit reads the input row and uploads its exact bytes; the result is a new row', async () => {
		const bytes = readFixture('input-80x60.jpg');
		const result = await runStepFun(
			sim(),
			{ operation: 'edit', prompt: 'Make it brighter' },
			{
				binaryMode: 'database',
				items: [
					{
						json: {},
						binary: { data: { data: bytes, mimeType: 'image/jpeg', fileName: 'p.jpg' } },
					},
				],
			},
		);
		expect(result.error).toBeUndefined();
		const input =
			result.raw.data.resultData.runData['Harness Input'][0].data!.main[0]![0].binary!.data;
		expect(input.id).toMatch(DATABASE_ID);
		expect(sim().apiRequests()[0].files[0].sha256).toBe(sha256(bytes));

		const out = result.items[0].binary!.data;
		expect(out.id).toMatch(DATABASE_ID);
		expect(out.id).not.toBe(input.id);
		expect(out.data).toBe('database');
		expect(fileExists(getBinaryFilePath(out.id!))).toBe(true);
		expect(pngSize(out.buffer)).toEqual({ width: 80, height: 60 });
		const service = await useBinaryDataMode('database');
		expect(await service.getMetadata(out.id!)).toEqual({
			fileName: out.fileName,
			mimeType: 'image/png',
			fileSize: out.buffer.length,
		});
	});

	it('Generate stores each image as a row', async () => {
		const result = await runStepFun(
			sim(),
			{ operation: 'generate', prompt: '={{ $json.prompt }}', size: '1024x1024' },
			{
				binaryMode: 'database',
				items: [{ json: { prompt: 'a red fox' } }, { json: { prompt: 'a blue jay' } }],
			},
		);
		expect(result.error).toBeUndefined();
		expect(result.items).toHaveLength(2);
		const ids = result.items.map((item) => item.binary!.data.id!);
		for (const id of ids) expect(id).toMatch(DATABASE_ID);
		expect(new Set(ids).size).toBe(2);
		for (const item of result.items) {
			expect(pngSize(item.binary!.data.buffer)).toEqual({ width: 1024, height: 1024 });
			expect(item.binary!.data.bytes).toBe(item.binary!.data.buffer.length);
		}
	});
});
