// The legible label in simulated images: what it says, that it really is drawn (ink on a band, the rest of
// the image untouched), determinism, and small and huge sizes.
import {
	decodePng,
	makePng,
	renderPattern,
	encodePngFromScanlines,
	type DecodedPng,
} from './png.cjs';
import {
	ADVANCE_X,
	ADVANCE_Y,
	layoutLabel,
	bandHeight,
	promptLines,
	BAND_RGB,
	TITLE_RGB,
	TEXT_RGB,
} from './label.cjs';
import { GLYPH_HEIGHT, GLYPH_ROWS, GLYPH_WIDTH, glyph } from './font.cjs';
import { FIXTURES } from '../fixtures.cjs';
import {
	sim,
	useSimulator,
	generate,
	editWithFormData,
	pngOf,
	edit2,
	fixture,
} from './sim-test-helpers';

const BY_BITMAP = new Map(GLYPH_ROWS.map(([ch]) => [glyph(ch).join(','), ch]));

/**
 * The label read back from decoded pixels (8-bit RGB or RGBA rows without filter bytes), for tests: each
 * character cell sampled at the centre of its font pixels and matched against the font ('\u0000' when
 * nothing matches), line by line while the left margin is band-coloured. Trailing spaces and empty
 * trailing lines are dropped.
 */
function readLabel(png: {
	width: number;
	height: number;
	channels?: number;
	pixels?: Buffer;
}): string[] {
	const { width, height, pixels } = png;
	const channels = png.channels ?? 3;
	if (!pixels) throw new Error('readLabel: no pixel data');
	const { scale, pad, cols, maxLines } = layoutLabel(width, height);
	const half = Math.floor(scale / 2);
	const isBand = (x: number, y: number) => {
		const o = (y * width + x) * channels;
		return (
			pixels[o] === BAND_RGB[0] && pixels[o + 1] === BAND_RGB[1] && pixels[o + 2] === BAND_RGB[2]
		);
	};
	const lines: string[] = [];
	for (let li = 0; li < maxLines; li++) {
		const top = pad + li * ADVANCE_Y * scale;
		let onBand = true; // the left margin of a drawn line is band colour all the way down
		for (let y = top; y < top + GLYPH_HEIGHT * scale; y++) onBand &&= isBand(0, y);
		if (!onBand) break;
		let text = '';
		for (let ci = 0; ci < cols; ci++) {
			const bits: number[] = [];
			for (let gy = 0; gy < GLYPH_HEIGHT; gy++) {
				let b = 0;
				for (let gx = 0; gx < GLYPH_WIDTH; gx++) {
					const x = pad + (ci * ADVANCE_X + gx) * scale + half;
					if (!isBand(x, top + gy * scale + half)) b |= 1 << (GLYPH_WIDTH - 1 - gx);
				}
				bits.push(b);
			}
			text += BY_BITMAP.get(bits.join(',')) ?? '\u0000';
		}
		lines.push(text.trimEnd());
	}
	while (lines.length && !lines[lines.length - 1]) lines.pop();
	return lines;
}

useSimulator();

const rgbAt = (png: DecodedPng, x: number, y: number) => {
	const o = (y * png.width + x) * 3;
	return [png.pixels![o], png.pixels![o + 1], png.pixels![o + 2]];
};
const same = (a: number[], b: Buffer) => a[0] === b[0] && a[1] === b[1] && a[2] === b[2];

describe('labels in generated images', () => {
	const request = {
		model: 'step-image-edit-2',
		prompt: 'a lighthouse at dusk',
		seed: 7,
		response_format: 'b64_json',
	};

	test('a generation says simulator, operation, size, seed and prompt', async () => {
		const r = await generate(request);
		expect(r.status).toBe(200);
		expect(readLabel(pngOf(r.json.data[0].b64_json))).toEqual([
			'StepFun simulator',
			'generate 1024x1024',
			'seed 7',
			'"a lighthouse at dusk"',
		]);
		const other = await generate({ ...request, seed: 8, size: '1360x768' });
		expect(readLabel(pngOf(other.json.data[0].b64_json)).slice(1, 3)).toEqual([
			'generate 1360x768',
			'seed 8',
		]);
	});

	test('the label is ink on a band; only the band differs from the unlabelled image', async () => {
		const r = await generate(request);
		const png = pngOf(r.json.data[0].b64_json);
		const key = `gen\0${request.model}\0${request.seed}\0${request.prompt}`;
		const plain = decodePng(makePng(1024, 1024, key));
		const { scale } = layoutLabel(1024, 1024);
		const band = bandHeight(4, scale);
		expect(band).toBeGreaterThan(100);
		expect(band).toBeLessThan(1024 * 0.35);
		let ink = 0;
		let background = 0;
		for (let y = 0; y < band; y++) {
			for (let x = 0; x < 1024; x++) {
				const p = rgbAt(png, x, y);
				if (same(p, BAND_RGB)) background++;
				else if (same(p, TITLE_RGB) || same(p, TEXT_RGB)) ink++;
			}
		}
		// every band pixel is band or ink colour, and there is plenty of both
		expect(ink + background).toBe(band * 1024);
		expect(ink).toBeGreaterThan(band * 1024 * 0.05);
		expect(background).toBeGreaterThan(band * 1024 * 0.5);
		const rowBytes = 1024 * 3;
		const bandBytes = band * rowBytes;
		expect(png.pixels!.subarray(bandBytes).equals(plain.pixels!.subarray(bandBytes))).toBe(true);
		expect(png.pixels!.subarray(0, bandBytes).equals(plain.pixels!.subarray(0, bandBytes))).toBe(
			false,
		);
	});

	test('deterministic: the same request gives the same bytes, as recorded', async () => {
		const a = await generate(request);
		const b = await generate(request);
		const c = await generate({ ...request, prompt: 'a lighthouse at dawn' });
		expect(b.json.data[0].b64_json).toBe(a.json.data[0].b64_json);
		expect(c.json.data[0].b64_json).not.toBe(a.json.data[0].b64_json);
		const [ra, rb, rc] = sim.requests;
		expect(ra.outputSha256).toMatch(/^[0-9a-f]{64}$/);
		expect(rb.outputSha256).toBe(ra.outputSha256);
		expect(rc.outputSha256).not.toBe(ra.outputSha256);
		const spec = { operation: 'edit', seed: 3, prompt: 'x y z' };
		expect(makePng(300, 200, 'k', 1, spec).equals(makePng(300, 200, 'k', 1, spec))).toBe(true);
	});

	test('non-ASCII prompt characters are skipped', async () => {
		const chinese = await generate({ ...request, prompt: '采菊东篱下，悠然见南山' });
		expect(readLabel(pngOf(chinese.json.data[0].b64_json))[3]).toBe('(non-ASCII prompt)');
		const mixed = await generate({ ...request, prompt: '画一只猫 a cat 在骑车 on a bike！' });
		expect(readLabel(pngOf(mixed.json.data[0].b64_json))[3]).toBe('"a cat on a bike"');
	});

	test('long prompts wrap onto two lines and end with "..."', () => {
		const prompt = 'a watercolor lighthouse at dusk, seagulls over a stormy sea, dramatic light';
		expect(promptLines(prompt, 33, 2)).toEqual([
			'"a watercolor lighthouse at dusk,',
			'seagulls over a stormy sea,...',
		]);
		expect(promptLines('supercalifragilistic', 10, 1)).toEqual(['"supercali']);
		expect(promptLines('one two three', 9, 1)).toEqual(['"one...']);
		expect(promptLines('   ', 10, 2)).toEqual([]);
	});
});

describe('labels in edited images (the input size)', () => {
	test.each(Object.keys(FIXTURES))('%s: what fits of the label', async (name) => {
		const { width, height } = FIXTURES[name];
		const r = await editWithFormData({ ...edit2, seed: '5' }, fixture(name));
		const lines = readLabel(pngOf(r.json.data[0].b64_json));
		expect(lines[0]).toMatch(/^StepFun/);
		expect(lines[1]).toBe(`edit ${width}x${height}`);
		expect(lines.length).toBeGreaterThanOrEqual(3);
		expect(lines[2]).toBe('seed 5');
	});

	test('64x48 and 70x30 exactly', async () => {
		const small = await editWithFormData({ ...edit2, seed: '5' }, fixture('input-64x48.png'));
		expect(readLabel(pngOf(small.json.data[0].b64_json))).toEqual([
			'StepFun',
			'edit 64x48',
			'seed 5',
			'"a cat"',
		]);
		const flat = await editWithFormData({ ...edit2, seed: '1' }, fixture('lossless-70x30.webp'));
		expect(readLabel(pngOf(flat.json.data[0].b64_json))).toEqual([
			'StepFun sim',
			'edit 70x30',
			'seed 1',
		]);
	});
});

describe('label layout at the extremes', () => {
	const spec = { operation: 'edit', seed: 2147483647, prompt: 'a cat' };

	test.each([
		[1, 1],
		[5, 5],
		[8, 6],
		[12, 8],
		[7, 40],
		[4096, 1],
		[1, 4096],
		[4096, 10],
		[40, 4096],
	])('%ix%i: no crash, the pattern where no label fits', (width, height) => {
		const png = decodePng(makePng(width, height, 'k', 1, spec));
		expect([png.width, png.height]).toEqual([width, height]);
		const lines = readLabel(png);
		const { cols, maxLines } = layoutLabel(width, height);
		expect(lines.length).toBeLessThanOrEqual(maxLines);
		for (const line of lines) expect(line.length).toBeLessThanOrEqual(cols);
		if (width < 7 || height < 10) {
			expect(lines).toEqual([]);
			const plain = decodePng(
				encodePngFromScanlines(width, height, renderPattern(width, height, 'k')),
			);
			expect(png.pixels!.equals(plain.pixels!)).toBe(true);
		}
	});

	test('4096x4096: large type, a band of at most 35% of the height', () => {
		const { scale, cols } = layoutLabel(4096, 4096);
		expect(scale).toBe(22);
		expect(cols).toBeGreaterThanOrEqual(30);
		expect(bandHeight(5, scale)).toBeLessThanOrEqual(4096 * 0.35);
		const png = decodePng(makePng(4096, 4096, 'k', 1, spec));
		expect(readLabel(png)).toEqual([
			'StepFun simulator',
			'edit 4096x4096',
			'seed 2147483647',
			'"a cat"',
		]);
	});

	test('without a label, makePng is the plain pattern (test inputs unchanged)', () => {
		const plain = encodePngFromScanlines(64, 48, renderPattern(64, 48, 'x'));
		expect(makePng(64, 48, 'x').equals(plain)).toBe(true);
	});
});

describe('the bitmap font', () => {
	test('every printable ASCII character, each a distinct bitmap of 5x7 (+ descender row)', () => {
		const chars = GLYPH_ROWS.map(([ch]) => ch).join('');
		let ascii = '';
		for (let c = 0x20; c <= 0x7e; c++) ascii += String.fromCharCode(c);
		expect(chars).toBe(ascii);
		for (const [ch, rows] of GLYPH_ROWS) {
			const r = rows.split(' ');
			expect({
				ch,
				ok: [7, 8].includes(r.length) && r.every((row) => /^[.#]{5}$/.test(row)),
			}).toEqual({ ch, ok: true });
		}
		const bitmaps = new Set(GLYPH_ROWS.map(([ch]) => glyph(ch).join(',')));
		expect(bitmaps.size).toBe(95);
		expect(glyph('山')).toBe(glyph('?'));
	});
});
