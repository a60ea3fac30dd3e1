export const PNG_SIGNATURE: Buffer;
export function crc32(buf: Buffer, start?: number, end?: number): number;
export function encodePngFromScanlines(width: number, height: number, scanlines: Buffer, level?: number): Buffer;
export function renderPattern(width: number, height: number, key: string): Buffer;
export function makePng(width: number, height: number, key?: string, level?: number): Buffer;
export interface DecodedPng {
	width: number;
	height: number;
	bitDepth: number;
	colorType: number;
	interlace: number;
	channels: number | undefined;
	/** Unfiltered scanlines (no filter bytes); undefined for unsupported bit depths/interlace. */
	pixels: Buffer | undefined;
}
/** Full decode with CRC checks (8-bit, non-interlaced). Throws on a corrupt PNG. */
export function decodePng(buf: Buffer | Uint8Array): DecodedPng;
