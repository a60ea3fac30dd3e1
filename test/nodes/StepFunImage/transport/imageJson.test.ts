import { BufferSink } from '../../../../nodes/StepFunImage/image/sinks';
import {
	MalformedResponseError,
	ResponseTooLargeError,
	TruncatedResponseError,
} from '../../../../nodes/StepFunImage/transport/limits';
import { readImageJson } from '../../../../nodes/StepFunImage/transport/imageJson';
import { makePng } from '../../../support/simulator/png.cjs';

const LIMITS = { maxBytes: 1e6 };
const buffers = (_index: number, sizeHint: number) => new BufferSink(sizeHint);

async function* chunked(text: string, size: number) {
	const bytes = Buffer.from(text);
	for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** The one reader on a whole body, as an API answer's text. */
const read = async (body: unknown) =>
	await readImageJson(
		chunked(typeof body === 'string' ? body : JSON.stringify(body), 7),
		LIMITS,
		buffers,
	);

describe('response parsing', () => {
	const png = makePng(4, 3, 'parse');
	const b64 = png.toString('base64');

	it('reads id, created, base64, finish_reason and seed', async () => {
		const parsed = await read({
			id: 'abc',
			created: 1723595647,
			data: [{ b64_json: b64, finish_reason: 'success', seed: 1764275706 }],
		});
		expect(parsed).toMatchObject({
			id: 'abc',
			created: 1723595647,
			images: [{ url: undefined, finishReason: 'success', seed: 1764275706 }],
		});
		expect(parsed.images[0].file!.bytes!.equals(png)).toBe(true);
	});

	it('accepts the old "image" key for base64 and url results', async () => {
		expect((await read({ data: [{ image: b64 }] })).images[0].file!.bytes!.equals(png)).toBe(true);
		expect((await read({ data: [{ url: 'https://x/y.png' }] })).images[0].url).toBe(
			'https://x/y.png',
		);
	});

	it('parses a JSON string body and rejects non-JSON, truncated JSON and missing data', async () => {
		expect((await read(`{"data":[{"b64_json":"${b64}"}]}`)).images).toHaveLength(1);
		await expect(read('<html>Bad gateway</html>')).rejects.toThrow(/non-JSON content/);
		await expect(read('{"data":[{"b64_')).rejects.toThrow(TruncatedResponseError);
		await expect(read('{"data":[]]')).rejects.toThrow(/invalid JSON \("\{"data":\[\]\]"\)/);
		await expect(read('{"data":[]]')).rejects.not.toThrow(TruncatedResponseError);
		await expect(read({ id: 'x' })).rejects.toThrow(/no "data" list/);
		await expect(read({ data: [] })).rejects.toThrow(/contains no image/);
		await expect(read(null)).rejects.toThrow(MalformedResponseError);
	});

	it('decodes base64 strictly', async () => {
		const first = async (value: string) => (await read({ data: [{ b64_json: value }] })).images[0];
		expect((await first(b64)).file!.bytes!.equals(png)).toBe(true);
		expect((await first(`data:image/png;base64,${b64}`)).file!.bytes!.equals(png)).toBe(true);
		await expect(first('')).rejects.toThrow(/empty base64/);
		await expect(read({ data: [{ b64_json: b64 }, { b64_json: '' }] })).rejects.toThrow(
			/image 2 .* empty base64/,
		);
		await expect(first('not base64!!')).rejects.toThrow(/not valid base64/);
	});
});

describe('streamed response decoding', () => {
	const image = makePng(40, 30, 'response test');
	// Chinese text in the JSON around the image: UTF-8 split across chunks must survive.
	const json = (b64: string) =>
		`{"id":"abc采菊","created":1,"data":[{"b64_json":"${b64}","finish_reason":"success","seed":9}],"note":"采菊"}`;

	it.each([1, 2, 3, 5, 7, 64, 100000])(
		'decodes the image whatever the chunk size (%i bytes)',
		async (size) => {
			const text = json(image.toString('base64'));
			for (const length of [Buffer.byteLength(text), undefined]) {
				const answer = await readImageJson(
					chunked(text, size),
					{ maxBytes: 1e6, sizeHint: length },
					buffers,
				);
				expect(answer.images).toHaveLength(1);
				const [first] = answer.images;
				expect(first.file!.bytes!.equals(image)).toBe(true);
				expect(first.file!.info).toMatchObject({ format: 'png', width: 40, height: 30 });
				expect(answer).toMatchObject({ id: 'abc采菊', created: 1 });
				expect(first).toMatchObject({ finishReason: 'success', seed: 9 });
			}
		},
	);

	it('handles escaped slashes, line breaks, the old "image" key and several images', async () => {
		const b64 = image.toString('base64');
		const escaped = b64.replace(/\//g, '\\/').replace(/(.{76})/g, '$1\\n');
		const text = `{"data":[{"image":"${escaped}"},{"b64_json":"${b64}"}]}`;
		const answer = await readImageJson(chunked(text, 13), LIMITS, buffers);
		expect(answer.images.map((i) => i.file!.bytes!.equals(image))).toEqual([true, true]);
	});

	it('passes bodies without images through unchanged', async () => {
		const answer = await readImageJson(
			chunked('{"data":[{"url":"https://x/y.png"}]}', 4),
			LIMITS,
			buffers,
		);
		expect(answer.images).toEqual([
			{ file: undefined, url: 'https://x/y.png', finishReason: 'success', seed: undefined },
		]);
	});

	it('rejects empty and non-base64 image data, and reports a cut-off body as truncated', async () => {
		await expect(readImageJson(chunked(json(''), 8), LIMITS, buffers)).rejects.toThrow(
			/empty base64 data/,
		);
		await expect(
			readImageJson(chunked(json('!!not*base64**'), 8), LIMITS, buffers),
		).rejects.toThrow(/not valid base64/);
		const text = json(image.toString('base64'));
		const cut = text.slice(0, 2000);
		await expect(readImageJson(chunked(cut, 100), LIMITS, buffers)).rejects.toThrow(
			`ended inside its image data after ${Buffer.byteLength(cut)} bytes`,
		);
		// Cut before the image: the text is parsed at its end and found incomplete, not invalid.
		await expect(readImageJson(chunked(cut.slice(0, 20), 5), LIMITS, buffers)).rejects.toThrow(
			TruncatedResponseError,
		);
	});

	it('judges truncation on the decoded body: a wrong (compressed) Content-Length is only a hint', async () => {
		const text = json(image.toString('base64'));
		for (const sizeHint of [10, Buffer.byteLength(text) * 3]) {
			const limits = { maxBytes: 1e6, sizeHint };
			const answer = await readImageJson(chunked(text, 50), limits, buffers);
			expect(answer.images[0].file!.bytes!.equals(image)).toBe(true);
		}
	});

	it('checks the image while it arrives: a value that is not an image fails at once', async () => {
		const notImage = Buffer.from('this is plain text, not a picture');
		await expect(
			readImageJson(chunked(json(notImage.toString('base64')), 8), LIMITS, buffers),
		).rejects.toThrow(/^not a PNG, JPEG or WebP image: found content of an unknown kind$/);
		const truncated = image.subarray(0, image.length - 12);
		await expect(
			readImageJson(chunked(json(truncated.toString('base64')), 64), LIMITS, buffers),
		).rejects.toThrow(/PNG file is truncated: it ends before its IEND chunk/);
	});

	it('stops at the byte cap, counted after decompression, and caps the JSON text around images', async () => {
		const text = json(image.toString('base64'));
		await expect(
			readImageJson(chunked(text, 1000), { maxBytes: text.length - 1 }, buffers),
		).rejects.toThrow(ResponseTooLargeError);
		const padding = `{"data":[{"url":"u"}],"pad":"${' '.repeat(5000)}"}`;
		await expect(
			readImageJson(chunked(padding, 100), { maxBytes: 1e6, maxTextBytes: 4096 }, buffers),
		).rejects.toThrow(/JSON around the image is larger than 4 KiB/);
	});
});
