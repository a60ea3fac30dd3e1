// Hostile endpoints, part 4: a failure's message names its cause (an answer cut off, a redirect loop,
// a redirect to a file: URL, n8n's SSRF protection), while what is refused or retried stays as it was.
import { enableSsrfProtection } from '../../../support/harness/index.cjs';
import { useHostileServers } from '../../../support/hostile.cjs';
import type { HostileHandler } from '../../../support/hostile.cjs';
import { makePng } from '../../../support/simulator/png.cjs';
import { runStepFun, runStepFunAt, useSimulator } from '../../../support/stepfun.cjs';

const KEY = 'sk-hostile-causes-key';
const GEN = { operation: 'generate', prompt: 'a quiet harbour' };
const EDIT_URL = { operation: 'edit', imageSource: 'url', prompt: 'make it autumn' };
const IMAGE = makePng(40, 30);

const serve = useHostileServers();

// First in the file: n8n's SSRF service reads its allowed hostnames when the first request makes it.
describe("n8n's SSRF protection", () => {
	const sim = useSimulator({ apiKey: KEY });
	let restore: () => void = () => {};
	beforeAll(() => {
		restore = enableSsrfProtection({ allowedHostnames: ['localhost'] });
	});
	afterAll(() => restore());

	it('an image URL it blocks is named as such, with the setting to look at', async () => {
		const url = sim().hostFile(IMAGE, 'image/png');
		const result = await runStepFun(
			sim(),
			{ ...EDIT_URL, imageUrl: url, options: { maxRetries: 1 } },
			{ baseUrl: sim().stepPlanBaseUrl.replace('127.0.0.1', 'localhost') },
		);
		expect(result.error?.message).toMatch(
			/^Could not download the input image from 127\.0\.0\.1:\d+: blocked by n8n's SSRF protection \[item 0\]$/,
		);
		expect(result.error?.description).toMatch(/N8N_SSRF_PROTECTION_ENABLED/);
		expect(result.error?.description).toMatch(
			/N8N_SSRF_ALLOWED_HOSTNAMES or N8N_SSRF_ALLOWED_IP_RANGES/,
		);
		expect(result.error?.description).toMatch(/Gave up after 2 attempts/);
		// Blocked before connecting: the file host saw nothing, and no edit was requested.
		expect(sim().fileRequests()).toHaveLength(0);
		expect(sim().apiRequests()).toHaveLength(0);
	});

	it('a Base URL it blocks is named as such', async () => {
		const result = await runStepFun(sim(), { ...GEN, options: { maxRetries: 0 } });
		expect(result.error?.message).toBe(
			"Could not reach the StepFun API (blocked by n8n's SSRF protection) [item 0]",
		);
		expect(result.error?.description).toMatch(/N8N_SSRF_ALLOWED_HOSTNAMES/);
		expect(result.error?.description).toContain(sim().stepPlanBaseUrl);
		expect(sim().apiRequests()).toHaveLength(0);
	});
});

describe('an answer that is cut off', () => {
	const json = JSON.stringify({ data: [{ b64_json: IMAGE.toString('base64') }] });

	it.each<[string, HostileHandler, RegExp]>([
		[
			'a 200 whose JSON ends early (the body ends cleanly)',
			(_req, res) => {
				res.writeHead(200, { 'Content-Type': 'application/json' });
				res.end('{"id":"abc","data":[{"finish_reason":"success",');
			},
			/cut off: the API response ended in the middle of its JSON/,
		],
		[
			'a 200 that ends inside its image data',
			(_req, res) => {
				res.writeHead(200, { 'Content-Type': 'application/json' });
				res.end(json.slice(0, 200));
			},
			/cut off: the API response ended inside its image data after 200 bytes/,
		],
		[
			'a 200 whose connection drops before its Content-Length',
			(_req, res) => {
				res.writeHead(200, {
					'Content-Type': 'application/json',
					'Content-Length': String(json.length),
				});
				res.write(json.slice(0, 300), () => res.socket?.destroy());
			},
			/cut off: the connection broke while it arrived \(connection reset\)/,
		],
	])('%s says so, and is retried as before', async (_name, handler, cause) => {
		const server = await serve(handler);
		const result = await runStepFunAt(`${server.url}/v1`, KEY, {
			...GEN,
			options: { maxRetries: 1 },
		});
		expect(result.error?.message).toMatch(/^The answer from the StepFun API was cut off: /);
		expect(result.error?.message).toMatch(cause);
		expect(result.error?.message).toMatch(/ \[item 0\]$/);
		expect(result.error?.description).toMatch(/Gave up after 2 attempts/);
		expect(server.requests).toHaveLength(2);
	});
});

describe('an image URL that redirects badly', () => {
	const sim = useSimulator({ apiKey: KEY });

	it('in a loop: too many redirects, after the 5 it follows', async () => {
		let hops = 0;
		const server = await serve((_req, res) => {
			res.writeHead(302, { Location: `/loop-${++hops}.png` });
			res.end();
		});
		const result = await runStepFun(sim(), {
			...EDIT_URL,
			imageUrl: `${server.url}/photo.png`,
			options: { maxRetries: 1 },
		});
		expect(result.error?.message).toBe(
			`Could not download the input image from 127.0.0.1:${server.port}: too many redirects (more than 5) [item 0]`,
		);
		expect(result.error?.description).toMatch(/Gave up after 2 attempts/);
		// Each attempt: the URL and 5 redirects; never the key; no edit paid for.
		expect(server.requests).toHaveLength(12);
		expect(server.requests.every((r) => r.key === undefined)).toBe(true);
		expect(sim().apiRequests()).toHaveLength(0);
	});

	it('to a file: URL: refused, and said so', async () => {
		const server = await serve((_req, res) => {
			res.writeHead(302, { Location: 'file:///etc/passwd' });
			res.end();
		});
		const result = await runStepFun(sim(), {
			...EDIT_URL,
			imageUrl: `${server.url}/photo.png`,
			options: { maxRetries: 0 },
		});
		expect(result.error?.message).toBe(
			`Could not download the input image from 127.0.0.1:${server.port}: it redirected to a "file:" URL, which is refused: only http:// and https:// are followed [item 0]`,
		);
		expect(JSON.stringify(result.error)).not.toContain('/etc/passwd');
		expect(sim().apiRequests()).toHaveLength(0);
	});
});
