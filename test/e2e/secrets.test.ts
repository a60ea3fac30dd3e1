// The API key in a real n8n against an endpoint that echoes it everywhere it can: error type, code
// and message, X-Trace-Id on errors, successes and content_filtered answers, ids, finish reasons,
// non-JSON bodies, redirect locations and result URLs. Afterwards neither the `n8n execute` output,
// n8n's log file nor the saved execution data (the database) holds the key, and neither redirect
// (one of them from the https Base URL down to plain http) was followed.
import { makePng } from '../support/simulator/png.cjs';
import { startHostileServer, type HostileHandler } from '../support/hostile.cjs';
import {
	CUSTOM_NODE_TYPE,
	createInstance,
	executeRaw,
	filesContaining,
	importWorkflows,
	readFile,
	removeTempDirs,
	tempDir,
	TLS_CERT,
	versions,
	type E2eInstance,
	type Workflow,
	type WorkflowNode,
} from './e2e-helpers.cjs';

const KEY = 'sk-dummy-e2e-echoed-key';
const CREDENTIAL = { id: 'e2eSecretsCred01', name: 'Step Plan (echoing endpoint)' };
const IMAGE = makePng(12, 8);

type Response = Parameters<HostileHandler>[1];
type Scenario = (
	answer: (status: number, body: unknown, headers?: object) => void,
	key: string,
) => void;

/** What the endpoint does for each prompt; every answer carries the key it was sent. */
function scenarios(plain: string): Record<string, Scenario> {
	return {
		'error fields': (answer, k) => answer(400, { error: { type: k, message: `invalid key ${k}` } }),
		'error code': (answer, k) =>
			answer(401, { error: { code: k, message: encodeURIComponent(k) } }),
		'server error text': (answer, k) => answer(500, `upstream said ${k}`),
		'content filtered': (answer) => answer(200, { data: [{ finish_reason: 'content_filtered' }] }),
		'non-JSON body': (answer, k) => answer(200, `<html>${k}</html>`),
		'invalid JSON body': (answer, k) => answer(200, `{"data":[] "${k}"}`),
		'redirect elsewhere': (answer, k) => answer(302, '', { Location: `${plain}/${k}?t=${k}` }),
		'downgrade to http': (answer) =>
			answer(307, '', { Location: `${plain}/v1/images/generations` }),
		'result URL': (answer, k) =>
			answer(200, { data: [{ url: `${plain}/missing/${k}.png?s=${k}` }] }),
		'echoed ids': (answer, k) =>
			answer(200, {
				id: `id-${k}`,
				data: [{ b64_json: IMAGE.toString('base64'), finish_reason: `success ${k}`, seed: 5 }],
			}),
	};
}

/** One StepFun node per scenario in a chain; all but the last continue on error, the last fails the run. */
function workflow(prompts: string[]): Workflow {
	const nodes: WorkflowNode[] = [
		{ name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} },
	];
	const connections: Workflow['connections'] = {};
	prompts.forEach((prompt, i) => {
		nodes.push({
			name: prompt,
			type: CUSTOM_NODE_TYPE,
			typeVersion: 1,
			parameters: {
				operation: 'generate',
				prompt,
				options: {
					maxRetries: 0,
					resultFormat: prompt === 'result URL' ? 'binaryFromUrl' : 'binary',
				},
			},
			credentials: { stepPlanApi: CREDENTIAL },
			...(i < prompts.length - 1 ? { onError: 'continueRegularOutput' as const } : {}),
		});
		connections[i === 0 ? 'Start' : prompts[i - 1]] = {
			main: [[{ node: prompt, type: 'main', index: 0 }]],
		};
	});
	return { name: 'e2e secrets', nodes, connections };
}

describe.each(versions())(
	'n8n %s: the API key never leaves its origin or reaches a log',
	(version) => {
		let inst: E2eInstance;
		let api: Awaited<ReturnType<typeof startHostileServer>>;
		let plain: Awaited<ReturnType<typeof startHostileServer>>;
		let logFile: string;
		let workflowId: string;
		// The run that fails for good goes last: its error is the execution's error.
		let prompts: string[];

		beforeAll(async () => {
			plain = await startHostileServer((_req, res) => {
				res.writeHead(404);
				res.end();
			});
			const table = scenarios(plain.url);
			prompts = [...Object.keys(table).filter((p) => p !== 'error fields'), 'error fields'];
			api = await startHostileServer(
				(_req, res: Response, request) => {
					const prompt = String(JSON.parse(request.body.toString() || '{}').prompt);
					table[prompt]((status, body, headers = {}) => {
						res.writeHead(status, {
							'Content-Type': 'application/json',
							'X-Trace-Id': `trace-${request.key}`,
							...headers,
						});
						res.end(typeof body === 'string' ? body : JSON.stringify(body));
					}, String(request.key));
				},
				{ tls: true },
			);
			logFile = `${tempDir('stepfun-e2e-log-')}/n8n.log`;
			inst = await createInstance(version, {
				env: {
					// n8n trusts the test certificate, so the https endpoint is reachable for real.
					NODE_EXTRA_CA_CERTS: TLS_CERT,
					N8N_LOG_LEVEL: 'debug',
					N8N_LOG_OUTPUT: 'console,file',
					N8N_LOG_FILE_LOCATION: logFile,
				},
			});
			await inst.importCredentials([
				{
					...CREDENTIAL,
					type: 'stepPlanApi',
					data: { apiKey: KEY, endpoint: 'custom', baseUrl: `${api.url}/v1` },
				},
			]);
			[workflowId] = await importWorkflows(inst, [workflow(prompts)]);
		}, 240000);

		afterAll(async () => {
			await inst?.cleanup();
			await api?.close();
			await plain?.close();
			removeTempDirs();
		});

		test('every echo is redacted in the output, the log file and the saved execution', async () => {
			const run = await executeRaw(inst, workflowId);
			// Every scenario reached the Base URL's origin, with the key.
			expect(api.requests.map((r) => JSON.parse(r.body.toString()).prompt)).toEqual(prompts);
			expect(new Set(api.requests.map((r) => r.key))).toEqual(new Set([KEY]));
			// Neither redirect was followed; the result URL was fetched, without the key.
			expect(
				plain.requests.map((r) => [
					r.method,
					r.path.startsWith('/missing/'),
					r.headers.authorization,
				]),
			).toEqual([['GET', true, undefined]]);

			// The run reported what it should (so the texts below are really there).
			expect(run.stdout).toContain('Blocked by StepFun content moderation');
			expect(run.stdout).toContain('The StepFun API answered with a redirect (HTTP 302)');
			expect(run.stdout).toMatch(
				/redirect \(HTTP 307\) to http:\/\/127\.0\.0\.1:\d+\/v1\/images\/generations/,
			);
			expect(run.stdout).toMatch(/"traceId":\s*"trace-\*\*\*"/);
			expect(run.stdout).toMatch(/"id":\s*"id-\*\*\*"/);
			expect(run.stdout).toContain('StepFun rejected the request as invalid (HTTP 400)');

			for (const text of [run.stdout, run.stderr, readFile(logFile).toString()]) {
				expect(text).not.toContain(KEY);
				expect(text).not.toContain(encodeURIComponent(KEY));
			}
			expect(readFile(logFile).length).toBeGreaterThan(0);
			// The saved execution is in the database under the user folder: it is there, without the key.
			expect(filesContaining(inst.userFolder, 'trace-***').length).toBeGreaterThan(0);
			expect(filesContaining(inst.userFolder, KEY)).toEqual([]);
		});
	},
);
