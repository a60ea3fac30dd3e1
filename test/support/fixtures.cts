// The images in test/fixtures, and the Node built-ins .ts tests may not import themselves.
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

export { delay } from './system.cjs';

export const FIXTURES_DIR = path.join(__dirname, '..', 'fixtures');

export interface FixtureInfo {
	format: 'png' | 'jpeg' | 'webp';
	mimeType: string;
	width: number;
	height: number;
}

const info = (format: FixtureInfo['format'], width: number, height: number): FixtureInfo => ({
	format,
	mimeType: `image/${format}`,
	width,
	height,
});
export const FIXTURES: Record<string, FixtureInfo> = {
	'input-64x48.png': info('png', 64, 48),
	'input-80x60.jpg': info('jpeg', 80, 60),
	'progressive-120x90.jpg': info('jpeg', 120, 90),
	'input-96x72.webp': info('webp', 96, 72),
	'lossless-70x30.webp': info('webp', 70, 30),
	'extended-100x40.webp': info('webp', 100, 40),
};

export const readFixture = (name: string): Buffer => fs.readFileSync(path.join(FIXTURES_DIR, name));

/** zlib-compressed bytes (odd PNGs are built from them). */
export const deflate = (data: Buffer): Buffer => zlib.deflateSync(data);
