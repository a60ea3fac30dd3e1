import FormDataReference from 'form-data';

import { makePng } from '../../../../support/simulator';
import { readFixture } from '../../../../support/fixtures';
import {
	STEP_PLAN_EDIT,
	imageItem,
	pngSize,
	runStepFun,
	sha256,
	useSimulator,
} from '../../../../support/stepfun';

const EDIT = STEP_PLAN_EDIT;

describe('Edit, through n8n-core against the simulator', () => {
	const sim = useSimulator({ apiKey: 'sk-edit-test' });

	it.each([
		['input-64x48.png', 'image/png', 64, 48],
		['input-80x60.jpg', 'image/jpeg', 80, 60],
		['progressive-120x90.jpg', 'image/jpeg', 120, 90],
		['input-96x72.webp', 'image/webp', 96, 72],
		['lossless-70x30.webp', 'image/webp', 70, 30],
	])(
		'edits %s: exact bytes uploaded, output has the input size',
		async (name, mimeType, width, height) => {
			const bytes = readFixture(name);
			const result = await runStepFun(sim(), EDIT, { items: [imageItem(name, bytes, mimeType)] });
			expect(result.error).toBeUndefined();
			const [request] = sim().apiRequests();
			expect(request.path).toBe('/step_plan/v1/images/edits');
			expect(request.contentType).toMatch(/^multipart\/form-data; boundary=/);
			expect(request.files).toHaveLength(1);
			expect(request.files[0]).toMatchObject({
				field: 'image',
				filename: name,
				contentType: mimeType,
			});
			expect(request.files[0].sha256).toBe(sha256(bytes));
			const [item] = result.items;
			expect(pngSize(item.binary!.data.buffer)).toEqual({ width, height });
			expect(item.json).toMatchObject({
				operation: 'edit',
				inputFileName: name,
				inputWidth: width,
				inputHeight: height,
				inputMimeType: mimeType,
				width,
				height,
				seed: 1,
				traceId: request.traceId,
			});
			expect(item.binary!.data.fileName).toBe(`${name.replace(/\.[^.]+$/, '')}-edited.png`);
		},
	);

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

	it('keeps Chinese instruction text intact (UTF-8) in the multipart body', async () => {
		await runStepFun(
			sim(),
			{ ...EDIT, prompt: '把背景换成夜晚的上海外滩，保留人物😀' },
			{
				items: [imageItem('a.png', readFixture('input-64x48.png'), 'image/png')],
			},
		);
		expect(sim().apiRequests()[0].fields.prompt).toBe('把背景换成夜晚的上海外滩，保留人物😀');
	});

	it('sends only the fields that were set: no size, no n', async () => {
		await runStepFun(
			sim(),
			{ operation: 'edit', prompt: 'sepia' },
			{
				items: [imageItem('a.png', readFixture('input-64x48.png'), 'image/png')],
			},
		);
		expect(sim().apiRequests()[0].fields).toEqual({
			model: 'step-image-edit-2',
			prompt: 'sepia',
			response_format: 'b64_json',
		});
	});

	it('reads the image from a custom binary field and trusts bytes over a wrong mime type', async () => {
		const bytes = readFixture('input-64x48.png');
		const result = await runStepFun(
			sim(),
			{ ...EDIT, binaryPropertyName: 'upload', options: { binaryPropertyOutput: 'edited' } },
			{
				items: [
					{
						json: {},
						binary: {
							upload: { data: bytes, mimeType: 'application/octet-stream', fileName: 'x.bin' },
						},
					},
				],
			},
		);
		expect(result.error).toBeUndefined();
		expect(sim().apiRequests()[0].files[0].contentType).toBe('image/png');
		expect(pngSize(result.items[0].binary!.edited.buffer)).toEqual({ width: 64, height: 48 });
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
