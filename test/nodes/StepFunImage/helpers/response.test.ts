import {
	decodeBase64Image,
	MalformedResponseError,
	parseImageResponse,
} from '../../../../nodes/StepFunImage/helpers/response';

describe('response parsing', () => {
	it('reads id, created, base64, finish_reason and seed', () => {
		const parsed = parseImageResponse({
			id: 'abc',
			created: 1723595647,
			data: [{ b64_json: 'iVBORw0=', finish_reason: 'success', seed: 1764275706 }],
		});
		expect(parsed).toEqual({
			id: 'abc',
			created: 1723595647,
			images: [{ b64: 'iVBORw0=', url: undefined, finishReason: 'success', seed: 1764275706 }],
		});
	});

	it('accepts the old "image" key for base64 and url results', () => {
		expect(parseImageResponse({ data: [{ image: 'AAAA' }] }).images[0].b64).toBe('AAAA');
		expect(parseImageResponse({ data: [{ url: 'https://x/y.png' }] }).images[0].url).toBe(
			'https://x/y.png',
		);
	});

	it('parses a JSON string body and rejects non-JSON, truncated JSON and missing data', () => {
		expect(parseImageResponse('{"data":[{"b64_json":"AA=="}]}').images).toHaveLength(1);
		expect(() => parseImageResponse('<html>Bad gateway</html>')).toThrow(/non-JSON content/);
		expect(() => parseImageResponse('{"data":[{"b64_')).toThrow(/invalid or truncated JSON/);
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
