// Edit with the input and the result in n8n's filesystem and database binary data modes.

import { readFixture } from '../../../../support/fixtures.cjs';
import { fileExists, getBinaryFilePath } from '../../../../support/harness/index.cjs';
import {
	STEP_PLAN_EDIT,
	imageItem,
	pngSize,
	runStepFun,
	sha256,
	useSimulator,
} from '../../../../support/stepfun.cjs';

const EDIT = STEP_PLAN_EDIT;

describe("Edit in n8n's binary data modes", () => {
	const sim = useSimulator({ apiKey: 'sk-edit-test' });

	it('reads a binary stored on disk (filesystem mode) and uploads it exactly', async () => {
		const bytes = readFixture('input-80x60.jpg');
		const result = await runStepFun(sim(), EDIT, {
			binaryMode: 'filesystem',
			items: [imageItem('photo.jpg', bytes, 'image/jpeg')],
		});
		expect(result.error).toBeUndefined();
		expect(sim().apiRequests()[0].files[0].sha256).toBe(sha256(bytes));
		const out = result.items[0].binary!.data;
		// The output is stored the n8n way too: by reference to a file, not inline.
		expect(out.id).toBeDefined();
		expect(fileExists(getBinaryFilePath(out.id!))).toBe(true);
		expect(pngSize(out.buffer)).toEqual({ width: 80, height: 60 });
		// Streamed into the file as it arrived: the same bytes the API sent, named and sized.
		expect(sha256(out.buffer)).toBe(sim().apiRequests()[0].outputSha256);
		expect(out.fileName).toBe('photo-edited.png');
		expect(out.mimeType).toBe('image/png');
		expect(result.items[0].json).toMatchObject({
			fileName: 'photo-edited.png',
			fileSize: out.buffer.length,
			width: 80,
			height: 60,
		});
	});

	it.each(['filesystem', 'database'] as const)(
		'in %s mode a downloaded result (Binary, Download From URL) is stored and checked the same way',
		async (binaryMode) => {
			const bytes = readFixture('input-96x72.webp');
			const result = await runStepFun(
				sim(),
				{ ...EDIT, options: { resultFormat: 'binaryFromUrl', fileName: 'variant' } },
				{ binaryMode, items: [imageItem('in.webp', bytes, 'image/webp')] },
			);
			expect(result.error).toBeUndefined();
			const out = result.items[0].binary!.data;
			expect(out.id!.startsWith(binaryMode)).toBe(true);
			expect(out.fileName).toBe('variant.png');
			expect(sha256(out.buffer)).toBe(sim().apiRequests()[0].outputSha256);
			expect(sim().fileRequests()).toHaveLength(1);
		},
	);

	it('in database mode the input is read from the store and the result stored back', async () => {
		const bytes = readFixture('progressive-120x90.jpg');
		const result = await runStepFun(sim(), EDIT, {
			binaryMode: 'database',
			items: [imageItem('p.jpg', bytes, 'image/jpeg')],
		});
		expect(result.error).toBeUndefined();
		expect(sim().apiRequests()[0].files[0].sha256).toBe(sha256(bytes));
		const out = result.items[0].binary!.data;
		expect(out.id!.startsWith('database:')).toBe(true);
		expect(sha256(out.buffer)).toBe(sim().apiRequests()[0].outputSha256);
	});
});
