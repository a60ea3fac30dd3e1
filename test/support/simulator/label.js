// @ts-check
'use strict';
// The legible label drawn into every simulated image, so a generated file shows at a glance that it
// came from the simulator and from which request: "StepFun simulator", the operation and size, the seed
// and the prompt's first ASCII words, in the bitmap font of font.js on a dark band across the top.
//
// Layout (deterministic from width and height): the font is scaled by an integer `scale` so that about
// TARGET_COLS characters span the width, reduced until a full label (NOMINAL_LINES lines) takes at most
// MAX_BAND_FRACTION of the height; small images get scale 1 and as many lines and columns as fit (none
// in an image under 10 pixels high or 7 wide). Non-ASCII prompt characters are skipped.

const { GLYPH_WIDTH, GLYPH_HEIGHT, GLYPH_ROWS, glyph } = require('./font');

const ADVANCE_X = GLYPH_WIDTH + 1;
const ADVANCE_Y = GLYPH_HEIGHT + 1;
const TARGET_COLS = 30;
const NOMINAL_LINES = 5;
const MAX_BAND_FRACTION = 0.35;
const MAX_PROMPT_LINES = 2;

const BAND_RGB = Buffer.from([16, 18, 28]);
const TITLE_RGB = Buffer.from([255, 200, 40]);
const TEXT_RGB = Buffer.from([245, 245, 245]);

/**
 * What the label says.
 * @typedef {object} LabelSpec
 * @property {string} operation 'generate' or 'edit'
 * @property {number} seed
 * @property {string} prompt
 */

/**
 * @typedef {object} LabelLayout
 * @property {number} scale Image pixels per font pixel.
 * @property {number} pad Band margin around the text, in image pixels.
 * @property {number} cols Characters that fit on a line.
 * @property {number} maxLines Lines that fit in the image height.
 */

/** @param {number} scale */
const padOf = (scale) => (scale > 1 ? 2 * scale : 1);

/**
 * Height of a band holding `lines` lines.
 * @param {number} lines
 * @param {number} scale
 */
const bandHeight = (lines, scale) => 2 * padOf(scale) + lines * ADVANCE_Y * scale - scale;

/**
 * @param {number} width
 * @param {number} height
 * @returns {LabelLayout}
 */
function layoutLabel(width, height) {
	let scale = Math.max(1, Math.floor(width / (TARGET_COLS * ADVANCE_X)));
	while (scale > 1 && bandHeight(NOMINAL_LINES, scale) > height * MAX_BAND_FRACTION) scale--;
	const pad = padOf(scale);
	const cols = Math.max(0, Math.floor((width - 2 * pad + scale) / (ADVANCE_X * scale)));
	const maxLines = Math.max(0, Math.floor((height - 2 * pad + scale) / (ADVANCE_Y * scale)));
	return { scale, pad, cols, maxLines };
}

/**
 * The first alternative that fits in `cols`, else the last one cut to `cols`.
 * @param {string[]} alternatives
 * @param {number} cols
 */
function fit(alternatives, cols) {
	return (
		alternatives.find((s) => s.length <= cols) ??
		alternatives[alternatives.length - 1].slice(0, cols)
	);
}

/**
 * The prompt's ASCII words, quoted, wrapped into at most `maxLines` lines ("..." when cut short).
 * @param {string} prompt
 * @param {number} cols
 * @param {number} maxLines
 * @returns {string[]}
 */
function promptLines(prompt, cols, maxLines) {
	if (maxLines < 1) return [];
	const words = prompt
		.replace(/[^\x21-\x7e]+/g, ' ')
		.split(' ')
		.filter((w) => /[A-Za-z0-9]/.test(w));
	if (!words.length) return prompt.trim() ? [fit(['(non-ASCII prompt)', '(non-ASCII)'], cols)] : [];
	words[0] = `"${words[0]}`;
	words[words.length - 1] += '"';
	/** @type {string[]} */
	const lines = [];
	let i = 0;
	while (i < words.length && lines.length < maxLines) {
		let line = '';
		while (i < words.length) {
			const next = line ? `${line} ${words[i]}` : words[i];
			if (next.length <= cols) {
				line = next;
				i++;
				continue;
			}
			if (!line) line = words[i++].slice(0, cols); // a word longer than a line: cut it
			break;
		}
		lines.push(line);
	}
	if (i < words.length) {
		// more words than fit: drop whole words from the last line to make room for "..."
		let last = /** @type {string} */ (lines.pop());
		const room = Math.max(0, cols - 3);
		while (last.length > room && last.includes(' ')) last = last.slice(0, last.lastIndexOf(' '));
		lines.push(`${last.slice(0, room)}...`.slice(0, cols));
	}
	return lines;
}

/**
 * The label's lines for an image of this size, as many as fit.
 * @param {LabelSpec} spec
 * @param {number} width
 * @param {number} height
 * @param {LabelLayout} layout
 * @returns {string[]}
 */
function labelLines(spec, width, height, layout) {
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

/**
 * Draw the label into RGB scanlines (each row: a filter byte, then width*3 bytes), in place. Returns the
 * lines drawn (none when the image is too small for one) and the layout.
 * @param {Buffer} scanlines
 * @param {number} width
 * @param {number} height
 * @param {LabelSpec} spec
 * @returns {{ lines: string[]; layout: LabelLayout }}
 */
function drawLabel(scanlines, width, height, spec) {
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
				if (!bits) continue;
				drawn = true;
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

/** @type {Map<string, string>} bitmap key → character */
const BY_BITMAP = new Map(GLYPH_ROWS.map(([ch]) => [glyph(ch).join(','), ch]));

/**
 * Read the label back from decoded pixels (8-bit RGB or RGBA rows without filter bytes), for tests:
 * each character cell is sampled at the centre of its font pixels and matched against the font
 * ('\u0000' for a cell that matches no glyph), line by line while the left margin is band-coloured.
 * Trailing spaces and empty trailing lines are dropped.
 * @param {{ width: number; height: number; channels: number | undefined; pixels: Buffer | undefined }} png
 * @returns {string[]}
 */
function readLabel(png) {
	const { width, height, pixels } = png;
	const channels = png.channels ?? 3;
	if (!pixels) throw new Error('readLabel: no pixel data');
	const { scale, pad, cols, maxLines } = layoutLabel(width, height);
	const half = Math.floor(scale / 2);
	/** @param {number} x @param {number} y */
	const isBand = (x, y) => {
		const o = (y * width + x) * channels;
		return (
			pixels[o] === BAND_RGB[0] && pixels[o + 1] === BAND_RGB[1] && pixels[o + 2] === BAND_RGB[2]
		);
	};
	/** @type {string[]} */
	const lines = [];
	for (let li = 0; li < maxLines; li++) {
		const top = pad + li * ADVANCE_Y * scale;
		let onBand = true; // the left margin of a drawn line is band colour all the way down
		for (let y = top; y < top + GLYPH_HEIGHT * scale; y++) onBand = onBand && isBand(0, y);
		if (!onBand) break;
		let text = '';
		for (let ci = 0; ci < cols; ci++) {
			const bits = [];
			for (let gy = 0; gy < GLYPH_HEIGHT; gy++) {
				let b = 0;
				for (let gx = 0; gx < GLYPH_WIDTH; gx++) {
					const x = pad + (ci * ADVANCE_X + gx) * scale + half;
					const y = top + gy * scale + half;
					if (!isBand(x, y)) b |= 1 << (GLYPH_WIDTH - 1 - gx);
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

module.exports = {
	BAND_RGB,
	TITLE_RGB,
	TEXT_RGB,
	layoutLabel,
	bandHeight,
	labelLines,
	promptLines,
	drawLabel,
	readLabel,
};
