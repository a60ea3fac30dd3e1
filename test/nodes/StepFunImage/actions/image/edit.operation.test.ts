import FormDataReference from 'form-data';

import { makePng } from '../../../../support/simulator/index.cjs';
import { readFixture } from '../../../../support/fixtures.cjs';
import {
	STEP_PLAN_EDIT,
	imageItem,
	pngSize,
	runStepFun,
	sha256,
	useSimulator,
} from '../../../../support/stepfun.cjs';

const EDIT = STEP_PLAN_EDIT;

describe('Edit, through n8n-core against the simulator', () => {
	const sim = useSimulator({ apiKey: 'sk-edit-test' });

	it('sends the same multipart fields as curl -F (form-data as the reference client)', async () => {
		const bytes = readFixture('input-96x72.webp');
		await runStepFun(sim(), EDIT, { items: [imageItem('input.webp', bytes, 'image/webp')] });
		const fromNode = sim().apiRequests()[0];

		// The seed's curl example, field for field.
		const reference = new FormDataReference();
		reference.append('model', 'step-image-edit-2');
		reference.append('image', bytes, { filename: 'input.webp', contentType: 'image/webp' });
		reference.append('prompt', EDIT.prompt);
		reference.append('response_format', 'b64_json');
		reference.append('cfg_scale', '1');
		reference.append('steps', '8');
		reference.append('seed', '1');
		reference.append('text_mode', 'true');
		const response = await fetch(`${sim().stepPlanBaseUrl}/images/edits`, {
			method: 'POST',
			headers: { ...reference.getHeaders(), Authorization: 'Bearer sk-edit-test' },
			body: new Uint8Array(reference.getBuffer()),
		});
		expect(response.status).toBe(200);
		const fromReference = sim().apiRequests()[1];

		expect(fromNode.fields).toEqual(fromReference.fields);
		expect(fromNode.fields).toEqual({
			model: 'step-image-edit-2',
			prompt: EDIT.prompt,
			response_format: 'b64_json',
			cfg_scale: '1',
			steps: '8',
			seed: '1',
			text_mode: 'true',
		});
		const strip = (f: (typeof fromNode.files)[number]) => ({
			field: f.field,
			filename: f.filename,
			contentType: f.contentType,
			sha256: f.sha256,
		});
		expect(fromNode.files.map(strip)).toEqual(fromReference.files.map(strip));
		// Same input, seed and prompt: the simulator derives the same output from both clients.
		expect(fromNode.outputSha256).toBe(fromReference.outputSha256);
	});

	it('edits a 4096×4096 image; refuses 4097 pixels wide before sending', async () => {
		const big = makePng(4096, 4096, 'big');
		const ok = await runStepFun(sim(), EDIT, { items: [imageItem('big.png', big, 'image/png')] });
		expect(ok.error).toBeUndefined();
		expect(pngSize(ok.items[0].binary!.data.buffer)).toEqual({ width: 4096, height: 4096 });
		expect(sim().apiRequests()[0].files[0].sha256).toBe(sha256(big));

		sim().reset();
		const tooWide = await runStepFun(sim(), EDIT, {
			items: [imageItem('wide.png', makePng(4097, 8, 'wide'), 'image/png')],
		});
		expect(tooWide.error?.message).toMatch(
			/wide\.png is 4097×8 pixels; StepFun edits images up to 4096×4096 \[item 0\]/,
		);
		expect(sim().apiRequests()).toHaveLength(0);
	});
});

describe('Edit: bad input gets a clear error before any request', () => {
	const sim = useSimulator();

	const png = readFixture('input-64x48.png');
	const cases: Array<
		[
			string,
			Parameters<typeof imageItem>[] | null,
			{
				json: object;
				binary?: Record<string, { data: Buffer; mimeType: string; fileName: string }>;
			},
			RegExp,
		]
	> = [
		[
			'missing field (lists the others)',
			null,
			{ json: {}, binary: { photo: { data: png, mimeType: 'image/png', fileName: 'p.png' } } },
			/No binary field "data" on the input item \[item 0\]/,
		],
		['no binary at all', null, { json: { a: 1 } }, /No binary field "data"/],
		[
			'not an image',
			null,
			imageItem('report.pdf', Buffer.from('%PDF-1.7 ...'), 'image/png'),
			/report\.pdf\) is not a usable image: not a PNG, JPEG or WebP image: found a PDF document/,
		],
		[
			'empty file',
			null,
			imageItem('empty.png', Buffer.alloc(0), 'image/png'),
			/found an empty file \(0 bytes\)/,
		],
		[
			'truncated header',
			null,
			imageItem('cut.png', png.subarray(0, 20), 'image/png'),
			/PNG file is truncated/,
		],
		[
			'zero dimensions',
			null,
			imageItem(
				'zero.png',
				(() => {
					const b = Buffer.from(png);
					b.writeUInt32BE(0, 16);
					return b;
				})(),
				'image/png',
			),
			/zero dimensions \(0×48\)/,
		],
	];

	it.each(cases)('%s', async (_name, _unused, item, message) => {
		const result = await runStepFun(sim(), EDIT, { items: [item as never] });
		expect(result.error?.message).toMatch(message);
		expect(sim().apiRequests()).toHaveLength(0);
	});

	it('says which binary fields the item does have', async () => {
		const result = await runStepFun(sim(), EDIT, {
			items: [
				{ json: {}, binary: { photo: { data: png, mimeType: 'image/png', fileName: 'p.png' } } },
			],
		});
		expect((result.error as { description?: string }).description).toMatch(
			/binary fields: "photo"/,
		);
	});

	it('with Continue On Fail, bad items become paired error items and the others are still edited, in order', async () => {
		const items = [
			imageItem('a.png', png, 'image/png', { n: 0 }),
			imageItem('bad.pdf', Buffer.from('%PDF-1.4'), 'application/pdf', { n: 1 }),
			imageItem('b.webp', readFixture('input-96x72.webp'), 'image/webp', { n: 2 }),
			{ json: { n: 3 } },
			imageItem('huge.png', makePng(5000, 4, 'huge'), 'image/png', { n: 4 }),
			imageItem('c.jpg', readFixture('input-80x60.jpg'), 'image/jpeg', { n: 5 }),
		];
		const result = await runStepFun(sim(), EDIT, { items, continueOnFail: true });
		expect(result.error).toBeUndefined();
		expect(result.items.map((i) => i.pairedItem)).toEqual(items.map((_, item) => ({ item })));
		const errors = result.items.map((i) => (i.json.error as string | undefined) ?? null);
		expect(errors[0]).toBeNull();
		expect(errors[1]).toMatch(/not a usable image.*PDF document \(8 bytes\) \[item 1\]/);
		expect(errors[2]).toBeNull();
		expect(errors[3]).toMatch(/No binary field "data" on the input item \[item 3\]/);
		expect(errors[4]).toMatch(/5000×4 pixels.*\[item 4\]/);
		expect(errors[5]).toBeNull();
		expect(result.items.map((i) => i.json.width ?? null)).toEqual([64, null, 96, null, null, 80]);
		expect(sim().apiRequests()).toHaveLength(3);
	});
});
