// A local HTTP(S) server for tests (127.0.0.1, a random port) whose every answer the test scripts, and
// that records every request (with the Bearer key it carried) before its handler answers it. close()
// also stops the timers a handler started with every() and drops open sockets (an endless body ends).
import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type net from 'node:net';
import path from 'node:path';

export interface RecordedRequest {
	method: string;
	url: string;
	path: string;
	headers: http.IncomingHttpHeaders;
	body: Buffer;
	key: string | undefined;
}
export type TestServerHandler = (
	req: http.IncomingMessage,
	res: http.ServerResponse,
	request: RecordedRequest,
) => void | Promise<void>;
export type TestServer = Awaited<ReturnType<typeof startTestServer>>;

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
	const payload = Buffer.from(JSON.stringify(body));
	res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': payload.length });
	res.end(payload);
}

/** The default handler answers 200 `{ ok: true }`; a handler that throws drops the connection. */
export async function startTestServer(
	handler?: TestServerHandler,
	options: { tls?: boolean } = {},
) {
	const requests: RecordedRequest[] = [];
	const sockets = new Set<net.Socket>();
	const timers = new Set<NodeJS.Timeout>();
	let current: TestServerHandler = handler ?? ((_req, res) => sendJson(res, 200, { ok: true }));
	const listener: http.RequestListener = (req, res) => {
		const chunks: Buffer[] = [];
		req.on('data', (chunk: Buffer) => chunks.push(chunk));
		req.on('end', () => {
			const [url, auth] = [String(req.url), String(req.headers.authorization ?? '')];
			const key = auth.startsWith('Bearer ') ? auth.slice(7) : undefined;
			const { headers, method = '' } = req;
			const record = {
				method,
				url,
				path: url.split('?')[0],
				headers,
				body: Buffer.concat(chunks),
				key,
			};
			requests.push(record);
			Promise.resolve()
				.then(() => current(req, res, record))
				.catch(() => res.destroy());
		});
	};
	const tls = path.join(__dirname, '..', 'fixtures', 'tls');
	const read = (name: string) => fs.readFileSync(path.join(tls, name));
	const server = options.tls
		? https.createServer(
				{ key: read('localhost-key.pem'), cert: read('localhost-cert.pem') },
				listener,
			)
		: http.createServer(listener);
	server.on(options.tls ? 'secureConnection' : 'connection', (socket: net.Socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as net.AddressInfo;
	return {
		/** e.g. http://127.0.0.1:34567 */
		url: `${options.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
		port,
		requests,
		setHandler: (next: TestServerHandler) => void (current = next),
		/** Calls `fn` every `ms` until it returns false or the server closes. */
		every(ms: number, fn: () => boolean | void) {
			const timer = setInterval(() => fn() === false && clearInterval(timer), ms);
			timers.add(timer);
		},
		async close() {
			for (const timer of timers) clearInterval(timer);
			for (const socket of sockets) socket.destroy();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}
