// What the demo does in n8n: the credential (pointing at the simulator or the real API) and the three
// examples imported with fixed ids; then either the three run without a person, every image written under
// demo-output/ (marketing-batch writes its own files; form-generate runs as its headless twin;
// webhook-edit gets a real multipart upload), or the editor stays up with the examples active.
import fs from 'node:fs';
import path from 'node:path';

import { postForm } from '../http.cjs';
import { nodeOutput, randomId, type N8nInstance } from '../n8n/index.cjs';
import { imageInfo } from '../simulator/image-info.cjs';
import { ROOT } from '../system.cjs';
import { CUSTOM_NODE_TYPE, EXAMPLE_CREDENTIAL, type ExampleName } from './examples.cjs';
import { formTwinWorkflow, loadExample, marketingWorkflow } from './examples.cjs';

export const OUTPUT_DIR = path.join(ROOT, 'demo-output');
export const MARKETING_DIR = path.join(OUTPUT_DIR, 'marketing-batch');
/** The image uploaded to webhook-edit. */
const UPLOAD = path.join(ROOT, 'test', 'fixtures', 'input-96x72.webp');
// prettier-ignore
const IDS: Record<string, string> = { 'webhook-edit': 'stepfunDemoEdit1', 'marketing-batch': 'stepfunDemoBatch', 'form-generate': 'stepfunDemoForm1' };

/** Where the demo's credential points: the simulator, or the real API. */
export type Backend = { label: string; data: Record<string, string>; close(): Promise<void> };
/** `image`: e.g. "1360x768 png". */
export type ImageRow = Record<'workflow' | 'file' | 'image' | 'time', string> & { seed?: unknown };

/** An error whose message says it all (printed without a stack). */
export const fail = (message: string) => Object.assign(new Error(message), { demo: true });
export const log = (message: string) => void process.stderr.write(`[demo] ${message}\n`);
export const secs = (ms: unknown) => (ms == null ? '' : `${(Number(ms) / 1000).toFixed(1)} s`);

/** "<width>x<height> <format>" of an image's bytes. */
function dims(buf: Buffer): string {
	try {
		const info = imageInfo(buf);
		return info ? `${info.width}x${info.height} ${info.format}` : 'not an image';
	} catch (error) {
		return `unreadable (${(error as Error).message})`;
	}
}

const credential = EXAMPLE_CREDENTIAL;
const options = (name: ExampleName) => ({ nodeType: CUSTOM_NODE_TYPE, credential, id: IDS[name] });

async function importEverything(inst: N8nInstance, backend: Backend) {
	fs.mkdirSync(MARKETING_DIR, { recursive: true });
	log('importing the credential and the example workflows ...');
	await inst.importCredentials([{ ...credential, type: 'stepPlanApi', data: backend.data }]);
	const [webhook, marketing, form] = await inst.importWorkflows([
		loadExample('webhook-edit', options('webhook-edit')),
		marketingWorkflow(options('marketing-batch'), MARKETING_DIR),
		loadExample('form-generate', options('form-generate')),
	]);
	return { webhook, marketing, form };
}

/** Imports everything and runs the three examples; one row per image written. */
export async function runHeadless(inst: N8nInstance, backend: Backend): Promise<ImageRow[]> {
	const ids = await importEverything(inst, backend);
	const rows: ImageRow[] = [];
	log('running "marketing-batch" (n8n execute) ...');
	const batch = await inst.execute(ids.marketing);
	const generated = nodeOutput(batch, 'Generate Images');
	const saved = nodeOutput(batch, 'Save to Disk');
	const lost = `marketing-batch: ${generated.length} images generated but ${saved.length} saved`;
	if (saved.length !== generated.length || !generated.length) throw fail(lost);
	const row = (workflow: string, file: string, buf: Buffer, seed: unknown, ms: unknown) =>
		rows.push({ workflow, file, image: dims(buf), seed, time: secs(ms) });
	for (const { json } of generated) {
		const file = path.join(MARKETING_DIR, json.fileName);
		if (!fs.existsSync(file)) throw fail(`marketing-batch: n8n did not write ${file}`);
		row('marketing-batch', file, fs.readFileSync(file), json.seed, json.durationMs);
	}

	const twin = formTwinWorkflow({ ...options('form-generate'), id: randomId() });
	const [twinId] = await inst.importWorkflows([twin]);
	log('running "form-generate" (headless twin, n8n execute) ...');
	const formDir = path.join(OUTPUT_DIR, 'form-generate');
	fs.mkdirSync(formDir, { recursive: true });
	for (const item of nodeOutput(await inst.execute(twinId), 'Generate Image')) {
		const data = item.binary?.data?.data;
		if (!data) throw fail('form-generate: no inline image data in the run output');
		const buf = Buffer.from(data, 'base64');
		const file = path.join(formDir, item.json.fileName ?? 'image.png');
		fs.writeFileSync(file, buf);
		row('form-generate', file, buf, item.json.seed, item.json.durationMs);
	}

	log('starting the n8n server for "webhook-edit" ...');
	const server = await inst.startServer();
	try {
		await inst.activateWorkflow(ids.webhook);
		const upload = fs.readFileSync(UPLOAD);
		const url = server.webhookUrl('stepfun-edit');
		log(`POST ${url} (multipart: data=${path.basename(UPLOAD)} ${dims(upload)}, prompt) ...`);
		const started = Date.now();
		const image = { filename: path.basename(UPLOAD), contentType: 'image/webp', data: upload };
		const prompt = { name: 'prompt', value: 'Make it look like a watercolor painting' };
		const res = await postForm(url, [prompt, { name: 'data', ...image }]);
		const ms = Date.now() - started;
		const why = `webhook-edit: HTTP ${res.status}: ${res.text.slice(0, 1000)}`;
		if (res.status !== 200) throw fail(why);
		const dir = path.join(OUTPUT_DIR, 'webhook-edit');
		fs.mkdirSync(dir, { recursive: true });
		const disposition = /filename="?([^";]+)"?/.exec(String(res.headers['content-disposition']));
		const file = path.join(dir, disposition ? path.basename(disposition[1]) : 'edited.png');
		fs.writeFileSync(file, res.buffer);
		row('webhook-edit', file, res.buffer, res.headers['x-stepfun-seed'], ms);
	} finally {
		await server.stop();
	}
	return rows;
}

/** `--editor`: the editor on 127.0.0.1:<DEMO_PORT, 5678> with the webhook and form examples active until Ctrl-C. */
export async function runEditor(inst: N8nInstance, backend: Backend): Promise<never> {
	const ids = await importEverything(inst, backend);
	const port = Number(process.env.DEMO_PORT || 5678);
	log(`starting the n8n ${inst.version} editor on 127.0.0.1:${port} ...`);
	const server = await inst.startServer({ port }).catch((error: unknown) => {
		const why = String((error as Error).message).split('\n')[0];
		const busy = 'is something else using it? set DEMO_PORT';
		throw fail(`could not start n8n on port ${port} (${busy}): ${why}`);
	});
	for (const id of [ids.webhook, ids.form]) await inst.activateWorkflow(id);
	const rel = (p: string) => path.relative(process.cwd(), p);
	console.log(`
n8n ${inst.version} editor with the StepFun node: ${server.url}
  login:     ${server.owner.email}  /  ${server.owner.password}
  API:       ${backend.label}
  workflows: "${loadExample('webhook-edit').name}" (active), "${loadExample('marketing-batch').name}",
             "${loadExample('form-generate').name}" (active)
  form:      ${server.url}/form/stepfun-generate
  webhook:   curl -F data=@${rel(UPLOAD)} -F prompt="Make it a watercolor" \\
               ${server.webhookUrl('stepfun-edit')} -o edited.png
  marketing images are written to ${rel(MARKETING_DIR)}/

Press Ctrl-C to stop (n8n and the simulator stop with it).`);
	const exit = await server.proc.done;
	log(`n8n exited (${exit.code ?? exit.signal})`);
	throw fail('the n8n editor stopped unexpectedly');
}
