export type HostileRequest = {
	method: string;
	path: string;
	url: string;
	headers: import('node:http').IncomingHttpHeaders;
	body: Buffer;
	key: string | undefined;
};
export type HostileHandler = (
	req: import('node:http').IncomingMessage,
	res: import('node:http').ServerResponse,
	request: HostileRequest,
) => void | Promise<void>;
/**
 * @typedef {{ method: string, path: string, url: string, headers: import('node:http').IncomingHttpHeaders, body: Buffer, key: string | undefined }} HostileRequest
 * @typedef {(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, request: HostileRequest) => void | Promise<void>} HostileHandler
 */
/**
 * Starts a server on 127.0.0.1 (a random port). Each request is recorded, with the Bearer key it
 * carried, before `handler` answers it. `close()` also stops any timer a handler started with
 * `server.every()` and destroys open sockets (so a never-ending body ends with the test).
 * @param {HostileHandler} handler
 * @param {{ tls?: boolean }} [options]
 */
export function startHostileServer(
	handler: HostileHandler,
	options?: {
		tls?: boolean;
	},
): Promise<{
	origin: string;
	port: number;
	requests: HostileRequest[];
	/** @param {HostileHandler} next */
	setHandler(next: HostileHandler): void;
	/**
	 * Calls `fn` every `ms` until it returns false or the server closes.
	 * @param {number} ms
	 * @param {() => boolean | void} fn
	 */
	every(ms: number, fn: () => boolean | void): void;
	close(): Promise<void>;
}>;
/**
 * A gzip body that decodes to `prefix`, then `unit` repeated to about `decodedBytes`, then
 * `suffix`, made of concatenated gzip members so a gigabyte costs a few kilobytes to build.
 * @param {string} prefix
 * @param {string} unit
 * @param {number} decodedBytes
 * @param {string} [suffix]
 */
export function gzipBomb(
	prefix: string,
	unit: string,
	decodedBytes: number,
	suffix?: string,
): Buffer<ArrayBuffer>;
/**
 * @param {Buffer} body
 * @param {'gzip' | 'deflate' | 'br'} encoding
 */
export function compress(body: Buffer, encoding: 'gzip' | 'deflate' | 'br'): NonSharedBuffer;
/**
 * Runs `run` while sampling the process's resident memory every 5 ms; reports the highest growth
 * over the level before it started, and the wall time.
 * @template T
 * @param {() => Promise<T>} run
 * @returns {Promise<{ result: T, peakGrowthBytes: number, ms: number }>}
 */
export function measurePeak<T>(run: () => Promise<T>): Promise<{
	result: T;
	peakGrowthBytes: number;
	ms: number;
}>;
/** Live timers in this process (setTimeout/setInterval handles not yet fired or cleared). */
export function activeTimers(): number;
/**
 * @param {number} ms
 * @returns {Promise<void>}
 */
export function sleep(ms: number): Promise<void>;
