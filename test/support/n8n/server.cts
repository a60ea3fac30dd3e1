// `n8n start` for an instance: a free port (by default), readiness, the owner set up and logged in, and
// the REST session the tests use (./rest.cts), with the server's webhook URLs, logs and stop.
import { httpRequest } from '../http.cjs';
import { freePort, type EnvVars, type Proc } from '../system.cjs';
import { BROWSER_ID, OWNER, RestSession } from './rest.cjs';

/** What a server needs of its instance (instance.cts). */
type Start = (args: string[], options: { env?: EnvVars }) => Proc;
export type ServerHost = { major: number; server: N8nServer | null; start: Start };
/** `port`: default a free one; `timeoutMs`: until ready, default 180000. */
export type ServerOptions = { port?: number; timeoutMs?: number; env?: EnvVars };

export class N8nServer extends RestSession {
	readonly owner = { ...OWNER };

	/** From spawn until the REST API answered. */
	readonly readyMs: number;
	readonly port: number;
	readonly proc: Proc;
	private readonly inst: ServerHost;
	constructor(url: string, port: number, proc: Proc, readyMs: number, inst: ServerHost) {
		super(url, inst.major);
		[this.port, this.proc, this.readyMs, this.inst] = [port, proc, readyMs, inst];
	}

	get child() {
		return this.proc.child;
	}

	logs(): string {
		return this.proc.logs();
	}

	/** The production URL of a webhook path. */
	webhookUrl(path: string): string {
		return `${this.url}/webhook/${path.replace(/^\//, '')}`;
	}

	async stop(): Promise<void> {
		await this.proc.stop();
		if (this.inst.server === this) this.inst.server = null;
	}
}

/** Readiness: /healthz/readiness, then /rest/settings (1.x answers the first before its REST is mounted). */
export async function startServer(inst: ServerHost, options: ServerOptions = {}) {
	const { timeoutMs = 180000 } = options;
	const port = options.port ?? (await freePort());
	const url = `http://127.0.0.1:${port}`;
	const address = { N8N_LISTEN_ADDRESS: '127.0.0.1', N8N_HOST: '127.0.0.1', N8N_PROTOCOL: 'http' };
	const urls = { WEBHOOK_URL: `${url}/`, N8N_EDITOR_BASE_URL: `${url}/` };
	const broker = { N8N_RUNNERS_BROKER_PORT: String(await freePort()) };
	const env = { N8N_PORT: String(port), ...address, ...urls, ...broker, ...options.env };
	const proc = inst.start(['start'], { env });
	const since = Date.now();
	const answers = async (route: string) => {
		const headers = { 'browser-id': BROWSER_ID };
		const res = await httpRequest(url + route, { headers, timeoutMs: 5000 }).catch(() => undefined);
		return res?.status === 200;
	};
	for (const route of ['/healthz/readiness', '/rest/settings']) {
		await proc.waitFor(() => answers(route), { since, timeoutMs, what: () => `${route} not OK` });
	}
	const server = new N8nServer(url, port, proc, Date.now() - since, inst);
	try {
		await server.ownerLogin();
	} catch (error) {
		await proc.stop();
		throw error;
	}
	return server;
}
