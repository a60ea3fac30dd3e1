// The label drawn into every simulated image, so a generated file shows at a glance that it came from
// the simulator and from which request: "StepFun simulator", the operation and size, the seed and the
// prompt's first ASCII words, in the bitmap font of font.cts on a dark band across the top.
//
// Layout (from width and height alone): the font is scaled by an integer `scale` so that about
// TARGET_COLS characters span the width, reduced until a full label (NOMINAL_LINES lines) takes at most
// MAX_BAND_FRACTION of the height; small images get scale 1 and as many lines and columns as fit (none
// under 10 pixels high or 7 wide). Non-ASCII prompt characters are skipped.
import { GLYPH_HEIGHT, GLYPH_WIDTH, glyph } from './font.cjs';

export const ADVANCE_X = GLYPH_WIDTH + 1;
export const ADVANCE_Y = GLYPH_HEIGHT + 1;
const TARGET_COLS = 30;
const NOMINAL_LINES = 5;
const MAX_BAND_FRACTION = 0.35;
const MAX_PROMPT_LINES = 2;

export const BAND_RGB = Buffer.from([16, 18, 28]);
export const TITLE_RGB = Buffer.from([255, 200, 40]);
export const TEXT_RGB = Buffer.from([245, 245, 245]);

export interface LabelSpec {
	operation: string;
	seed: number;
	prompt: string;
}
export interface LabelLayout {
	/** Image pixels per font pixel. */
	scale: number;
	/** The band's margin around the text, in image pixels. */
	pad: number;
	/** Characters that fit on a line. */
	cols: number;
	/** Lines that fit in the image's height. */
	maxLines: number;
}

const padOf = (scale: number) => (scale > 1 ? 2 * scale : 1);

/** The height of a band holding `lines` lines. */
export const bandHeight = (lines: number, scale: number) =>
	2 * padOf(scale) + lines * ADVANCE_Y * scale - scale;

export function layoutLabel(width: number, height: number): LabelLayout {
	let scale = Math.max(1, Math.floor(width / (TARGET_COLS * ADVANCE_X)));
	while (scale > 1 && bandHeight(NOMINAL_LINES, scale) > height * MAX_BAND_FRACTION) scale--;
	const pad = padOf(scale);
	const cols = Math.max(0, Math.floor((width - 2 * pad + scale) / (ADVANCE_X * scale)));
	const maxLines = Math.max(0, Math.floor((height - 2 * pad + scale) / (ADVANCE_Y * scale)));
	return { scale, pad, cols, maxLines };
}

/** The first alternative that fits in `cols`, else the last one cut to `cols`. */
const fit = (alternatives: string[], cols: number) =>
	alternatives.find((s) => s.length <= cols) ??
	alternatives[alternatives.length - 1].slice(0, cols);

/** The prompt's ASCII words, quoted, wrapped into at most `maxLines` lines ("..." when cut short). */
export function promptLines(prompt: string, cols: number, maxLines: number): string[] {
	if (maxLines < 1) return [];
	const words = prompt
		.replace(/[^\x21-\x7e]+/g, ' ')
		.split(' ')
		.filter((w) => /[A-Za-z0-9]/.test(w));
	if (!words.length) return prompt.trim() ? [fit(['(non-ASCII prompt)', '(non-ASCII)'], cols)] : [];
	words[0] = `"${words[0]}`;
	words[words.length - 1] += '"';
	const lines: string[] = [];
	let i = 0;
	while (i < words.length && lines.length < maxLines) {
		let line = '';
		while (i < words.length) {
			const next = line ? `${line} ${words[i]}` : words[i];
			if (next.length > cols) {
				if (!line) line = words[i++].slice(0, cols); // a word longer than a line: cut it
				break;
			}
			line = next;
			i++;
		}
		lines.push(line);
	}
	if (i < words.length) {
		// more words than fit: drop whole words from the last line to make room for "..."
		let last = lines.pop()!;
		const room = Math.max(0, cols - 3);
		while (last.length > room && last.includes(' ')) last = last.slice(0, last.lastIndexOf(' '));
		lines.push(`${last.slice(0, room)}...`.slice(0, cols));
	}
	return lines;
}

/** The label's lines for an image of this size, as many as fit. */
export function labelLines(
	spec: LabelSpec,
	width: number,
	height: number,
	layout: LabelLayout,
): string[] {
	const { cols, maxLines } = layout;
	if (cols < 1) return [];
	const size = `${width}x${height}`;
	const lines = [
		fit(['StepFun simulator', 'StepFun sim', 'StepFun'], cols),
		fit([`${spec.operation} ${size}`, size], cols),
		fit([`seed ${spec.seed}`, `${spec.seed}`], cols),
	];
	lines.push(
		...promptLines(spec.prompt, cols, Math.min(MAX_PROMPT_LINES, maxLines - lines.length)),
	);
	return lines.slice(0, maxLines);
}

/** Draws the label into RGB scanlines (each row: a filter byte, then width*3 bytes), in place. */
export function drawLabel(scanlines: Buffer, width: number, height: number, spec: LabelSpec) {
	const layout = layoutLabel(width, height);
	const lines = labelLines(spec, width, height, layout);
	if (!lines.length) return { lines, layout };
	const { scale, pad } = layout;
	const stride = 1 + width * 3;
	const band = Math.min(height, bandHeight(lines.length, scale));
	for (let y = 0; y < band; y++) scanlines.fill(BAND_RGB, y * stride + 1, (y + 1) * stride);
	lines.forEach((text, li) => {
		const ink = li === 0 ? TITLE_RGB : TEXT_RGB;
		for (let gy = 0; gy < GLYPH_HEIGHT; gy++) {
			const row = (pad + li * ADVANCE_Y * scale + gy * scale) * stride;
			let drawn = false;
			for (let ci = 0; ci < text.length; ci++) {
				const bits = glyph(text[ci])[gy];
				drawn ||= bits !== 0;
				for (let gx = 0; gx < GLYPH_WIDTH; gx++) {
					if (!(bits & (1 << (GLYPH_WIDTH - 1 - gx)))) continue;
					const x = pad + (ci * ADVANCE_X + gx) * scale;
					scanlines.fill(ink, row + 1 + x * 3, row + 1 + (x + scale) * 3);
				}
			}
			// the other rows of this font row are copies of the first
			for (let k = 1; drawn && k < scale; k++)
				scanlines.copy(scanlines, row + k * stride, row, row + stride);
		}
	});
	return { lines, layout };
}
