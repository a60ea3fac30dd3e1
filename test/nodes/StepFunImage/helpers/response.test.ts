import {
	decodeBase64Image,
	MalformedResponseError,
	parseImageResponse,
	readImageResponse,
	readInto,
	readText,
	ResponseTooLargeError,
	TruncatedResponseError,
} from '../../../../nodes/StepFunImage/helpers/response';
import { BufferSink } from '../../../../nodes/StepFunImage/helpers/imageSink';
import { makePng } from '../../../support/simulator/png';

const LIMITS = { maxBytes: 1e6 };
const buffers = (_index: number, sizeHint: number) => new BufferSink(sizeHint);

describe('response parsing', () => {
	it('reads id, created, base64, finish_reason and seed', () => {
		const parsed = parseImageResponse({
			id: 'abc',
			created: 1723595647,
			data: [{ b64_json: 'aGVsbG8=', finish_reason: 'success', seed: 1764275706 }],
		});
		expect(parsed).toEqual({
			id: 'abc',
			created: 1723595647,
			images: [
				{ bytes: Buffer.from('hello'), url: undefined, finishReason: 'success', seed: 1764275706 },
			],
		});
	});

	it('accepts the old "image" key for base64 and url results', () => {
		expect(parseImageResponse({ data: [{ image: 'aGk=' }] }).images[0].bytes?.toString()).toBe(
			'hi',
		);
		expect(parseImageResponse({ data: [{ url: 'https://x/y.png' }] }).images[0].url).toBe(
			'https://x/y.png',
		);
	});

	it('parses a JSON string body and rejects non-JSON, truncated JSON and missing data', () => {
		expect(parseImageResponse('{"data":[{"b64_json":"AA=="}]}').images).toHaveLength(1);
		expect(() => parseImageResponse('<html>Bad gateway</html>')).toThrow(/non-JSON content/);
		expect(() => parseImageResponse('{"data":[{"b64_')).toThrow(TruncatedResponseError);
		expect(() => parseImageResponse('{"data":[]]')).toThrow(/invalid JSON \("\{"data":\[\]\]"\)/);
		expect(() => parseImageResponse('{"data":[]]')).not.toThrow(TruncatedResponseError);
		expect(() => parseImageResponse({ id: 'x' })).toThrow(/no "data" list/);
		expect(() => parseImageResponse({ data: [] })).toThrow(/contains no image/);
		expect(() => parseImageResponse(null)).toThrow(MalformedResponseError);
	});

	it('decodes base64 strictly', () => {
		expect(decodeBase64Image('aGVsbG8=', 0).toString()).toBe('hello');
		expect(decodeBase64Image('data:image/png;base64,aGVsbG8=', 0).toString()).toBe('hello');
		expect(() => decodeBase64Image('', 0)).toThrow(/empty base64/);
		expect(() => decodeBase64Image(undefined, 1)).toThrow(/image 2 .* empty base64/);
		expect(() => decodeBase64Image('not base64!!', 0)).toThrow(/not valid base64/);
	});
});

describe('streamed response decoding', () => {
	const image = makePng(40, 30, 'response test');
	const json = (b64: string) =>
		`{"id":"abc","created":1,"data":[{"b64_json":"${b64}","finish_reason":"success","seed":9}],"note":"采菊"}`;

	async function* chunked(text: string, size: number) {
		const bytes = Buffer.from(text);
		for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
	}

	it.each([1, 2, 3, 5, 7, 64, 100000])(
		'decodes the image whatever the chunk size (%i bytes)',
		async (size) => {
			const text = json(image.toString('base64'));
			for (const length of [Buffer.byteLength(text), undefined]) {
				const streamed = await readImageResponse(
					chunked(text, size),
					{ maxBytes: 1e6, sizeHint: length },
					buffers,
				);
				expect(streamed.images).toHaveLength(1);
				expect(streamed.images[0].bytes!.equals(image)).toBe(true);
				expect(streamed.images[0].info).toMatchObject({ format: 'png', width: 40, height: 30 });
				const parsed = parseImageResponse(streamed.text, streamed.images);
				expect(parsed).toMatchObject({ id: 'abc', created: 1 });
				expect(parsed.images[0]).toMatchObject({ finishReason: 'success', seed: 9 });
				expect(parsed.images[0].kept!.bytes!.equals(image)).toBe(true);
				expect(streamed.text).toContain('"note":"采菊"');
			}
		},
	);

	it('handles escaped slashes, line breaks, the old "image" key and several images', async () => {
		const b64 = image.toString('base64');
		const escaped = b64.replace(/\//g, '\\/').replace(/(.{76})/g, '$1\\n');
		const text = `{"data":[{"image":"${escaped}"},{"b64_json":"${b64}"}]}`;
		const streamed = await readImageResponse(chunked(text, 13), LIMITS, buffers);
		expect(streamed.images.map((b) => b.bytes!.equals(image))).toEqual([true, true]);
		expect(parseImageResponse(streamed.text, streamed.images).images).toHaveLength(2);
	});

	it('passes bodies without images through unchanged', async () => {
		const streamed = await readImageResponse(
			chunked('{"data":[{"url":"https://x/y.png"}]}', 4),
			LIMITS,
			buffers,
		);
		expect(streamed.images).toEqual([]);
		expect(JSON.parse(streamed.text)).toEqual({ data: [{ url: 'https://x/y.png' }] });
	});

	it('rejects empty and non-base64 image data, and reports a cut-off body as truncated', async () => {
		await expect(readImageResponse(chunked(json(''), 8), LIMITS, buffers)).rejects.toThrow(
			/empty base64 data/,
		);
		await expect(
			readImageResponse(chunked(json('!!not*base64**'), 8), LIMITS, buffers),
		).rejects.toThrow(/not valid base64/);
		const text = json(image.toString('base64'));
		const cut = text.slice(0, 2000);
		await expect(readImageResponse(chunked(cut, 100), LIMITS, buffers)).rejects.toThrow(
			/ended inside its image data after 2000 bytes/,
		);
		// Cut before the image: the text is parsed later and found incomplete, not invalid.
		const head = await readImageResponse(chunked(cut.slice(0, 20), 5), LIMITS, buffers);
		expect(() => parseImageResponse(head.text, head.images)).toThrow(TruncatedResponseError);
	});

	it('judges truncation on the decoded body: a wrong (compressed) Content-Length is only a hint', async () => {
		const text = json(image.toString('base64'));
		for (const sizeHint of [10, Buffer.byteLength(text) * 3]) {
			const limits = { maxBytes: 1e6, sizeHint };
			const streamed = await readImageResponse(chunked(text, 50), limits, buffers);
			expect(streamed.images[0].bytes!.equals(image)).toBe(true);
		}
	});

	it('checks the image while it arrives: a value that is not an image fails at once', async () => {
		const notImage = Buffer.from('this is plain text, not a picture');
		await expect(
			readImageResponse(chunked(json(notImage.toString('base64')), 8), LIMITS, buffers),
		).rejects.toThrow(/^not a PNG, JPEG or WebP image: found content of an unknown kind$/);
		const truncated = image.subarray(0, image.length - 12);
		await expect(
			readImageResponse(chunked(json(truncated.toString('base64')), 64), LIMITS, buffers),
		).rejects.toThrow(/PNG file is truncated: it ends before its IEND chunk/);
	});

	it('stops at the byte cap, counted after decompression, and caps the JSON text around images', async () => {
		const text = json(image.toString('base64'));
		await expect(
			readImageResponse(chunked(text, 1000), { maxBytes: text.length - 1 }, buffers),
		).rejects.toThrow(ResponseTooLargeError);
		const padding = `{"data":[{"url":"u"}],"pad":"${' '.repeat(5000)}"}`;
		await expect(
			readImageResponse(chunked(padding, 100), { maxBytes: 1e6, maxTextBytes: 4096 }, buffers),
		).rejects.toThrow(/JSON around the image is larger than 4 KiB/);
	});
});

describe('bounded body readers', () => {
	async function* chunks(...parts: Array<string | Buffer>) {
		for (const part of parts) yield Buffer.from(part);
	}
	const image = makePng(20, 10, 'download');
	const halves = [image.subarray(0, 100), image.subarray(100)];

	it('reads a download into its sink whatever Content-Length says, up to the cap', async () => {
		for (const sizeHint of [image.length, 50, image.length * 2, undefined]) {
			const kept = await readInto(chunks(...halves), { maxBytes: 1e4, sizeHint }, buffers);
			expect(kept.bytes!.equals(image)).toBe(true);
			expect(kept).toMatchObject({ size: image.length, info: { width: 20, height: 10 } });
		}
		await expect(readInto(chunks(...halves), { maxBytes: 100 }, buffers)).rejects.toThrow(
			/larger than 100 bytes/,
		);
	});

	it('refuses an announced size past the cap before allocating anything', async () => {
		await expect(
			readInto(chunks('tiny'), { maxBytes: 1024, sizeHint: 4 * 1024 ** 3 }, buffers),
		).rejects.toThrow(/announces 4096 MiB \(Content-Length\), more than the 1 KiB/);
	});

	it('reads only the first bytes of an error body', async () => {
		expect(await readText(chunks('héllo', ' world'), 4)).toBe('hél');
		expect(await readText(chunks('ab', 'cdef', 'gh'), 5)).toBe('abcde');
	});
});
