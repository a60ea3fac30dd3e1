export const FIXTURES_DIR: string;
export const FIXTURES: Record<string, { format: 'png' | 'jpeg' | 'webp'; mimeType: string; width: number; height: number }>;
/** Bytes of a file in test/fixtures. */
export function readFixture(name: string): Buffer;
/** Resolve after ms milliseconds. */
export function delay(ms: number): Promise<void>;
export function deflate(buf: Buffer): Buffer;
