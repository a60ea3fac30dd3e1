#!/usr/bin/env node
'use strict';
/**
 * npm run bench — throughput, rate-limit behaviour and memory of the StepFun Image node, side by side with a
 * sequential baseline and n8n's own HTTP Request node, in one real n8n (2.41.1) against the simulator.
 *
 *   node scripts/bench.js [--items 60] [--latency-ms 1500] [--limited-items 20] [--only a,b,...]
 *                         [--memory-only] [--memory-url] [--json out.json] [--n8n-version 2.41.1] [--list]
 *                         [--render out.json]   (re-print the table of an earlier --json run)
 *
 * --only takes scenario names (see --list) and the groups `unlimited`, `limited`, `memory`.
 * --memory-url adds two informational memory rows with Result Format "binaryFromUrl" (response_format=url).
 * Nothing leaves 127.0.0.1: the simulator (test/simulator, in a child process of its own) plays the API.
 * Needs a built node (npm run build); the dist folder is copied to bench-output/ first so that a rebuild
 * during the run cannot change the code under test.
 */
const { fork } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const n8n = require('../n8n');

const ROOT = path.resolve(__dirname, '../../..');
const OUT_DIR = path.join(ROOT, 'bench-output');
const PRELOAD = path.join(__dirname, 'hwm-preload.js');
const API_KEY = 'sk-bench-simulator';
const TARGET = 'Target';
const LIMIT = { maxConcurrent: 5, rpm: 10, rpmWindowMs: 60000 };

// ------------------------------------------------------------------ CLI
function parseArgs(argv) {
  const o = { items: 60, latencyMs: 1500, limitedItems: 20, only: null, memoryOnly: false, json: null, version: n8n.DEFAULT_VERSION, list: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const val = () => {
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    const key = a.split('=')[0];
    if (key === '--items') o.items = posInt(val(), key);
    else if (key === '--latency-ms') o.latencyMs = nonNegInt(val(), key);
    else if (key === '--limited-items') o.limitedItems = posInt(val(), key);
    else if (key === '--only') o.only = val().split(',').map((s) => s.trim()).filter(Boolean);
    else if (key === '--memory-only') o.memoryOnly = true;
    else if (key === '--memory-url') o.memoryUrl = true;
    else if (key === '--json') o.json = path.resolve(val());
    else if (key === '--n8n-version') o.version = val();
    else if (key === '--list') o.list = true;
    else if (key === '--render') o.render = path.resolve(val());
    else if (key === '--help' || key === '-h') {
      const src = fs.readFileSync(__filename, 'utf8').split('\n');
      process.stdout.write(src.slice(3, src.indexOf(' */')).join('\n').replace(/^ \*/gm, '') + '\n');
      process.exit(0);
    } else throw new Error(`unknown argument ${a} (try --help)`);
  }
  return o;
}
function posInt(v, k) {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${k} must be a positive integer`);
  return n;
}
function nonNegInt(v, k) {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${k} must be a whole number ≥ 0`);
  return n;
}

// ------------------------------------------------------------------ scenarios
function scenarios(opts) {
  const N = opts.items;
  const M = opts.limitedItems;
  const list = [
    { name: 'baseline', group: 'unlimited', label: 'n8n + Code node only (memory reference)', kind: 'none', op: 'edit', n: N },
    { name: 'gen-c5', group: 'unlimited', label: 'StepFun node, Generate, c=5 (default)', kind: 'node', op: 'generate', n: N, conc: 5 },
    { name: 'gen-c10', group: 'unlimited', label: 'StepFun node, Generate, c=10', kind: 'node', op: 'generate', n: N, conc: 10 },
    { name: 'edit-c5', group: 'unlimited', label: 'StepFun node, Edit, c=5 (default)', kind: 'node', op: 'edit', n: N, conc: 5 },
    { name: 'edit-c10', group: 'unlimited', label: 'StepFun node, Edit, c=10', kind: 'node', op: 'edit', n: N, conc: 10 },
    { name: 'edit-seq', group: 'unlimited', label: 'Sequential baseline (node, Edit, c=1)', kind: 'node', op: 'edit', n: N, conc: 1 },
    { name: 'http-edit', group: 'unlimited', label: 'HTTP Request node, Edit (defaults)', kind: 'http', op: 'edit', n: N, conc: N },
    { name: 'lim-edit-c5', group: 'limited', label: 'StepFun node, Edit, c=5 (default)', kind: 'node', op: 'edit', n: M, conc: 5, limited: true },
    { name: 'lim-edit-c10', group: 'limited', label: 'StepFun node, Edit, c=10', kind: 'node', op: 'edit', n: M, conc: 10, limited: true },
    { name: 'lim-edit-seq', group: 'limited', label: 'Sequential baseline (node, Edit, c=1)', kind: 'node', op: 'edit', n: M, conc: 1, limited: true },
    { name: 'lim-http-edit', group: 'limited', label: 'HTTP Request node, Edit (defaults)', kind: 'http', op: 'edit', n: M, conc: M, limited: true },
    {
      name: 'lim-http-batched', group: 'limited', label: 'HTTP Request, batching 5 per 30 s (hand-tuned)', kind: 'http', op: 'edit', n: M, conc: 5, limited: true,
      batching: { batchSize: 5, batchInterval: 30000 },
    },
    {
      name: 'lim-edit-c5-ra', group: 'limited', label: 'StepFun node, Edit, c=5, API sends Retry-After', kind: 'node', op: 'edit', n: M, conc: 5, limited: true,
      retryAfter: true,
    },
  ];
  return list;
}

function selected(opts, all) {
  if (opts.memoryOnly) return { runs: [], memory: true };
  if (!opts.only) return { runs: all, memory: true };
  const want = new Set(opts.only);
  const known = new Set([...all.map((s) => s.name), 'unlimited', 'limited', 'memory']);
  for (const w of want) if (!known.has(w)) throw new Error(`--only: unknown scenario "${w}" (known: ${[...known].join(', ')})`);
  return { runs: all.filter((s) => want.has(s.name) || want.has(s.group)), memory: want.has('memory') };
}

/**
 * The fastest any client could finish: requests of fixed latency L, at most `conc` in flight, and at most
 * `rpm` accepted per sliding window (request k cannot start before request k-rpm + window).
 */
function idealMs({ n, latencyMs, conc, rpm = 0, windowMs = 60000 }) {
  const starts = [];
  for (let k = 0; k < n; k++) {
    let t = 0;
    if (k >= conc) t = Math.max(t, starts[k - conc] + latencyMs);
    if (rpm > 0 && k >= rpm) t = Math.max(t, starts[k - rpm] + windowMs);
    starts.push(t);
  }
  return n ? starts[n - 1] + latencyMs : 0;
}

// ------------------------------------------------------------------ workflows
/**
 * Nodes that build the N input items, wired Start → ... → 'Make Items'. Generate: one Code node with the prompts.
 * Edit: a Code node with one item carrying the PNG as base64 → Convert to File (stored once in the binary
 * store, like an upload) → a Code node fanning it out to N items that all reference the stored file. (Returning
 * N inline base64 copies from one Code node puts them all in the run data, and `n8n execute --rawOutput` then
 * prints more than it manages to flush before exiting.)
 */
function inputNodes(sc, inputB64) {
  const prompt = sc.op === 'generate' ? 'A lighthouse on a cliff at dusk, variation ' : 'Make the sky purple, variation ';
  if (sc.op === 'generate') {
    return [
      {
        name: 'Make Items', type: 'n8n-nodes-base.code', typeVersion: 2, position: [200, 0],
        parameters: { jsCode: `return Array.from({ length: ${sc.n} }, (_, i) => ({ json: { prompt: '${prompt}' + (i + 1) } }));` },
      },
    ];
  }
  return [
    { name: 'Image Base64', type: 'n8n-nodes-base.code', typeVersion: 2, position: [200, 0], parameters: { jsCode: `return [{ json: { b64: '${inputB64}' } }];` } },
    {
      name: 'To File', type: 'n8n-nodes-base.convertToFile', typeVersion: 1.1, position: [400, 0],
      parameters: { operation: 'toBinary', sourceProperty: 'b64', binaryPropertyName: 'data', options: { fileName: 'input.png', mimeType: 'image/png' } },
    },
    {
      name: 'Make Items', type: 'n8n-nodes-base.code', typeVersion: 2, position: [600, 0],
      parameters: {
        jsCode:
          `const binary = $input.first().binary;\n` +
          `return Array.from({ length: ${sc.n} }, (_, i) => ({ json: { prompt: '${prompt}' + (i + 1) }, binary }));`,
      },
    },
  ];
}

function targetNode(sc, cred, baseUrl) {
  if (sc.kind === 'node') {
    const parameters =
      sc.op === 'generate'
        ? { operation: 'generate', prompt: '={{ $json.prompt }}', size: '1024x1024', options: { concurrency: sc.conc } }
        : { operation: 'edit', prompt: '={{ $json.prompt }}', binaryPropertyName: 'data', options: { concurrency: sc.conc } };
    return {
      name: TARGET, type: 'CUSTOM.stepFunImage', typeVersion: 1, position: [400, 0], parameters,
      credentials: { stepPlanApi: { id: cred.id, name: cred.name } }, onError: 'continueRegularOutput',
    };
  }
  return {
    name: TARGET, type: 'n8n-nodes-base.httpRequest', typeVersion: 4.2, position: [400, 0], onError: 'continueRegularOutput',
    parameters: {
      method: 'POST',
      url: `${baseUrl}/images/edits`,
      sendHeaders: true,
      headerParameters: { parameters: [{ name: 'Authorization', value: `Bearer ${API_KEY}` }] },
      sendBody: true,
      contentType: 'multipart-form-data',
      bodyParameters: {
        parameters: [
          { name: 'model', value: 'step-image-edit-2' },
          { parameterType: 'formBinaryData', name: 'image', inputDataFieldName: 'data' },
          { name: 'prompt', value: '={{ $json.prompt }}' },
          { name: 'response_format', value: 'b64_json' },
        ],
      },
      options: sc.batching ? { batching: { batch: sc.batching } } : {},
    },
  };
}

function workflowFor(sc, cred, baseUrl, inputB64) {
  const inputs = inputNodes(sc, inputB64);
  const nodes = [
    { name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
    ...inputs,
  ];
  const connections = {};
  let prev = 'Start';
  for (const n of inputs) {
    connections[prev] = { main: [[{ node: n.name, type: 'main', index: 0 }]] };
    prev = n.name;
  }
  if (sc.kind !== 'none') {
    nodes.push(targetNode(sc, cred, baseUrl));
    connections['Make Items'] = { main: [[{ node: TARGET, type: 'main', index: 0 }]] };
  }
  return {
    id: n8n.randomId(16), name: `bench ${sc.name}`, nodes, connections, active: false,
    settings: { executionOrder: 'v1' },
  };
}

async function importWorkflows(inst, workflows) {
  for (const w of workflows) for (const node of w.nodes) if (!node.id) node.id = crypto.randomUUID();
  const file = await inst.writeTemp('bench-workflows.json', workflows);
  await inst.runOk(['import:workflow', `--input=${file}`]);
}

// ------------------------------------------------------------------ simulator child
function startSimChild() {
  const child = fork(path.join(__dirname, 'sim-child.js'), [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pending = new Map();
  let nextId = 1;
  child.on('message', (m) => {
    const p = pending.get(m.id);
    if (!p) return;
    pending.delete(m.id);
    if (m.error) p.reject(new Error(`simulator: ${m.error}`));
    else p.resolve(m.result);
  });
  child.on('exit', (code) => {
    for (const p of pending.values()) p.reject(new Error(`simulator process exited (${code})`));
    pending.clear();
  });
  process.on('exit', () => {
    try {
      child.kill('SIGKILL');
    } catch {
      /* gone */
    }
  });
  const call = (cmd, args) =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      pending.set(id, { resolve, reject });
      child.send({ id, cmd, args });
    });
  return { child, call };
}

// ------------------------------------------------------------------ one scenario in n8n
function readStatusKb(pid, key) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = new RegExp(`${key}:\\s+(\\d+)\\s+kB`).exec(s);
    return m ? Number(m[1]) : null;
  } catch {
    return null;
  }
}

async function runScenario(inst, sim, sc, wfId, opts) {
  await sim.call('reset');
  const faults = { latencyMs: opts.latencyMs };
  if (sc.limited) Object.assign(faults, LIMIT, { retryAfter: Boolean(sc.retryAfter) });
  await sim.call('setFaults', faults);

  const hwmDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepfun-bench-hwm-'));
  const env = {
    N8N_RUNNERS_BROKER_PORT: String(await n8n.freePort()),
    NODE_OPTIONS: `--require ${PRELOAD}`,
    BENCH_HWM_DIR: hwmDir,
  };
  const before = new Set(inst.children);
  const t0 = Date.now();
  const pending = inst.execute(wfId, { timeoutMs: 15 * 60 * 1000, env });
  const child = [...inst.children].find((c) => !before.has(c));
  let polledKb = 0;
  const poll = setInterval(() => {
    if (child) polledKb = Math.max(polledKb, readStatusKb(child.pid, 'VmHWM') || 0);
  }, 100);
  let run;
  let failure;
  try {
    run = await pending;
  } catch (e) {
    failure = e;
    run = e.run;
  } finally {
    clearInterval(poll);
  }
  const processMs = Date.now() - t0;
  let hwmKb = polledKb;
  try {
    const f = child && path.join(hwmDir, `${child.pid}.json`);
    if (f && fs.existsSync(f)) hwmKb = Math.max(hwmKb, JSON.parse(fs.readFileSync(f, 'utf8')).hwmKb || 0);
  } catch {
    /* keep the polled value */
  }
  fs.rmSync(hwmDir, { recursive: true, force: true });
  const stats = await sim.call('stats');

  const res = {
    name: sc.name, group: sc.group, label: sc.label, kind: sc.kind, op: sc.op, items: sc.n, concurrency: sc.kind === 'none' ? null : sc.conc,
    limited: Boolean(sc.limited), retryAfter: Boolean(sc.retryAfter), latencyMs: opts.latencyMs,
    processMs, peakMemMb: hwmKb ? hwmKb / 1024 : null, loadAvg1AtEnd: os.loadavg()[0],
    requests: stats.received, accepted: stats.accepted, rejected429: stats.rejected429, byStatus: stats.byStatus, maxInFlight: stats.maxInFlight,
  };
  const runData = run && run.data && run.data.resultData && run.data.resultData.runData;
  const target = runData && runData[sc.kind === 'none' ? 'Make Items' : TARGET];
  if (!target || !target[0]) {
    res.error = failure ? String(failure.message).split('\n')[0] : 'node did not run';
    return res;
  }
  const r0 = target[0];
  if (r0.error) res.error = r0.error.message;
  res.wallMs = r0.executionTime;
  if (sc.kind === 'none') return res;
  const out = (r0.data && r0.data.main && r0.data.main[0]) || [];
  const ok =
    sc.kind === 'node'
      ? out.filter((it) => it.binary && Object.keys(it.binary).length > 0 && !(it.json && it.json.error)).length
      : out.filter((it) => {
          const d = it.json && it.json.data;
          return Array.isArray(d) && d[0] && typeof d[0].b64_json === 'string' && d[0].b64_json.length > 0;
        }).length;
  res.delivered = ok;
  res.lost = sc.n - ok;
  const firstErr = out.find((it) => it.json && it.json.error);
  if (firstErr) res.sampleError = String(firstErr.json.error.message || firstErr.json.error).slice(0, 160);
  const serverConc = sc.limited ? Math.min(sc.conc, LIMIT.maxConcurrent) : sc.conc;
  res.idealMs = idealMs({ n: sc.n, latencyMs: opts.latencyMs, conc: serverConc, rpm: sc.limited ? LIMIT.rpm : 0, windowMs: LIMIT.rpmWindowMs });
  res.ratio = res.wallMs / res.idealMs;
  res.itemsPerSec = ok / (res.wallMs / 1000);
  res.overheadMsPerItem = (res.wallMs - res.idealMs) / sc.n;
  if (sc.limited && res.lost === 0) res.pctOfAllowedRate = (100 * res.idealMs) / res.wallMs;
  if (res.lost > 0) res.overheadMsPerItem = undefined; // not comparable: the lost items did not wait
  return res;
}

// ------------------------------------------------------------------ 4096×4096 memory
function noisePng(width, height) {
  // Random RGB pixels, filter 0: what a photo's noise looks like to deflate (close to incompressible).
  const stride = 1 + width * 3;
  const raw = crypto.randomBytes(stride * height);
  for (let y = 0; y < height; y++) raw[y * stride] = 0;
  const { encodePngFromScanlines } = require('../simulator/png.js');
  return encodePngFromScanlines(width, height, raw, 1);
}

function memoryChild(distDir, baseUrl, mode, bigPath, smallPath, resultFormat) {
  return new Promise((resolve, reject) => {
    const args = [distDir, baseUrl, API_KEY, mode, bigPath, smallPath, ...(resultFormat ? [resultFormat] : [])];
    const child = fork(path.join(__dirname, 'memory-child.js'), args, {
      execArgv: ['--expose-gc'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      cwd: ROOT,
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`memory child (${mode}) failed (${code}):\n${err.slice(-3000)}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop()));
      } catch (e) {
        reject(new Error(`memory child (${mode}): bad output ${out.slice(-500)} ${err.slice(-1000)}`));
      }
    });
  });
}

// ------------------------------------------------------------------ output
const MB = 1024 * 1024;
function fmt(v, digits = 1) {
  return v === null || v === undefined || Number.isNaN(v) ? '—' : Number(v).toFixed(digits);
}
function table(rows, columns) {
  const cells = rows.map((r) => columns.map((c) => String(c.get(r))));
  const widths = columns.map((c, i) => Math.max(c.title.length, ...cells.map((row) => row[i].length)));
  const line = (vals) => vals.map((v, i) => (columns[i].left ? v.padEnd(widths[i]) : v.padStart(widths[i]))).join('  ');
  return [line(columns.map((c) => c.title)), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.map(line)].join('\n');
}

function report(results, memory, opts, env) {
  const lines = [];
  lines.push(`StepFun Image node benchmark — n8n ${opts.version} (Node ${env.n8nNode}), bench/harness Node ${process.version}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM`);
  lines.push(`Simulator latency L = ${opts.latencyMs} ms per request; N = ${opts.items} items (no limit), ${opts.limitedItems} items under the new-account limit (${LIMIT.maxConcurrent} concurrent, ${LIMIT.rpm} RPM sliding 60 s window, 429 beyond it, no Retry-After unless noted)`);
  lines.push('wall = the node\'s own executionTime from n8n\'s run data; ideal = ceil(N/c)·L, or the rate limit\'s floor; overhead/item = (wall − ideal)/N;');
  lines.push('peak = VmHWM of the `n8n execute` process (includes n8n itself: see the baseline row); requests = API requests the simulator received (429s in brackets).');
  if (env.loadStart) lines.push(`Machine load (1-min load average): ${env.loadStart.toFixed(2)} at start, ${(env.loadEnd ?? os.loadavg()[0]).toFixed(2)} at the end — other processes on the machine compete for the 2 cores.`);
  lines.push('');
  const cols = [
    { title: 'scenario', left: true, get: (r) => r.name },
    { title: 'what', left: true, get: (r) => r.label },
    { title: 'N', get: (r) => r.items },
    { title: 'wall s', get: (r) => (r.wallMs !== undefined ? fmt(r.wallMs / 1000, 2) : 'ERR') },
    { title: 'items/s', get: (r) => fmt(r.itemsPerSec, 2) },
    { title: 'ideal s', get: (r) => (r.idealMs !== undefined ? fmt(r.idealMs / 1000, 1) : '—') },
    { title: 'ratio', get: (r) => (r.ratio !== undefined ? fmt(r.ratio, 2) + '×' : '—') },
    { title: '% rate', get: (r) => (r.pctOfAllowedRate !== undefined ? fmt(r.pctOfAllowedRate, 0) + '%' : '') },
    { title: 'lost', get: (r) => (r.lost !== undefined ? r.lost : '—') },
    { title: 'requests', get: (r) => (r.kind === 'none' ? '—' : `${r.requests} (${r.rejected429})`) },
    { title: 'peak MB', get: (r) => fmt(r.peakMemMb, 0) },
    { title: 'ovh ms/item', get: (r) => fmt(r.overheadMsPerItem, 1) },
  ];
  const un = results.filter((r) => r.group === 'unlimited');
  const lim = results.filter((r) => r.group === 'limited');
  if (un.length) lines.push(`No rate limit, L = ${opts.latencyMs} ms`, table(un, cols), '');
  if (lim.length) lines.push(`New-account limit (${LIMIT.maxConcurrent} concurrent, ${LIMIT.rpm} RPM), L = ${opts.latencyMs} ms`, table(lim, cols), '');
  for (const r of results) {
    if (r.error || r.sampleError) lines.push(`note ${r.name}: ${[r.error, r.sampleError && `first failed item: ${r.sampleError}`].filter(Boolean).join('; ')}`);
  }
  if (results.some((r) => r.error || r.sampleError)) lines.push('');
  if (memory && memory.length) {
    lines.push('One 4096×4096 edit round trip (n8n-core harness, simulator in another process, noise PNG)');
    lines.push(
      table(memory, [
        { title: 'binary mode', left: true, get: (m) => m.binaryMode },
        { title: 'result format', left: true, get: (m) => m.resultFormat || 'binary' },
        { title: 'image MB', get: (m) => fmt(m.imageBytes / MB, 1) },
        { title: 'output MB', get: (m) => fmt((m.outputBytes || 0) / MB, 1) },
        { title: 'RSS before MB', get: (m) => fmt(m.rssBeforeBytes / MB, 0) },
        { title: 'peak MB', get: (m) => fmt(m.peakBytes / MB, 0) },
        { title: 'growth MB', get: (m) => fmt(m.growthBytes / MB, 0) },
        { title: 'growth ÷ image', get: (m) => fmt(m.growthRatio, 2) + '×' },
        { title: 'execute s', get: (m) => fmt(m.executeMs / 1000, 1) },
      ]),
      '',
    );
  }
  const targets = evaluateTargets(results, memory);
  lines.push('Targets');
  for (const t of targets) lines.push(`  ${t.status.padEnd(7)} ${t.text}`);
  return { text: lines.join('\n'), targets };
}

function evaluateTargets(results, memory) {
  const by = Object.fromEntries(results.map((r) => [r.name, r]));
  const t = [];
  const ok = (r) => r && r.wallMs !== undefined && !r.error;
  for (const name of ['gen-c10', 'edit-c10']) {
    const r = by[name];
    if (!ok(r)) t.push({ status: 'NOT RUN', text: `${name}: wall ≤ 1.15× ideal at concurrency 10` });
    else t.push({ status: r.ratio <= 1.15 && r.lost === 0 ? 'PASS' : 'MISS', text: `${name}: wall ${fmt(r.wallMs / 1000, 2)} s = ${fmt(r.ratio, 3)}× ideal ${fmt(r.idealMs / 1000, 1)} s (target ≤ 1.15×), ${r.lost} lost` });
  }
  for (const name of ['lim-edit-c5', 'lim-edit-c10']) {
    const r = by[name];
    if (!ok(r)) t.push({ status: 'NOT RUN', text: `${name}: ≥ 90% of the allowed rate, 0 lost, under the new-account limit` });
    else
      t.push({
        status: r.pctOfAllowedRate >= 90 && r.lost === 0 ? 'PASS' : 'MISS',
        text: `${name}: ${fmt(r.pctOfAllowedRate, 1)}% of the allowed rate (floor ${fmt(r.idealMs / 1000, 1)} s, wall ${fmt(r.wallMs / 1000, 1)} s), ${r.lost} lost, ${r.rejected429} × 429 (target ≥ 90%, 0 lost)`,
      });
  }
  {
    const a = by['edit-c10'];
    const b = by['http-edit'];
    if (!ok(a) || !ok(b)) t.push({ status: 'NOT RUN', text: 'node overhead per item < HTTP Request node overhead per item (edit-c10 vs http-edit)' });
    else
      t.push({
        status: a.overheadMsPerItem < b.overheadMsPerItem ? 'PASS' : 'MISS',
        text: `overhead per item: node (edit-c10) ${fmt(a.overheadMsPerItem, 1)} ms vs HTTP Request (http-edit) ${fmt(b.overheadMsPerItem, 1)} ms (target: node lower)`,
      });
  }
  const plain = (m) => !m.resultFormat || m.resultFormat === 'binary';
  const fsm = memory && memory.find((m) => m.binaryMode === 'filesystem' && plain(m));
  const dfm = memory && memory.find((m) => m.binaryMode === 'default' && plain(m));
  if (!fsm) t.push({ status: 'NOT RUN', text: '4096×4096 edit: peak memory growth ≤ 4× image size' });
  else {
    t.push({
      status: fsm.growthRatio <= 4 ? 'PASS' : 'MISS',
      text: `4096×4096 edit, filesystem binary mode: growth ${fmt(fsm.growthBytes / MB, 0)} MB = ${fmt(fsm.growthRatio, 2)}× the ${fmt(fsm.imageBytes / MB, 1)} MB image (target ≤ 4×)`,
    });
    if (dfm)
      t.push({
        status: dfm.growthRatio <= 4 ? 'PASS' : 'MISS',
        text: `4096×4096 edit, default (in-memory) binary mode: growth ${fmt(dfm.growthBytes / MB, 0)} MB = ${fmt(dfm.growthRatio, 2)}× the image (same target, informational)`,
      });
  }
  return t;
}

// ------------------------------------------------------------------ main
function snapshotDist() {
  const dist = path.join(ROOT, 'dist');
  const entry = path.join(dist, 'nodes', 'StepFunImage', 'StepFunImage.node.js');
  if (!fs.existsSync(entry)) throw new Error('dist/ has no built node: run `npm run build` first');
  const snap = path.join(OUT_DIR, `dist-snapshot-${process.pid}`);
  fs.rmSync(snap, { recursive: true, force: true });
  fs.mkdirSync(OUT_DIR, { recursive: true });
  fs.cpSync(dist, snap, { recursive: true });
  return snap;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const all = scenarios(opts);
  if (opts.list) {
    for (const s of all) process.stdout.write(`${s.name.padEnd(18)} ${s.group.padEnd(10)} ${s.label}\n`);
    process.stdout.write(`${'memory'.padEnd(18)} ${'memory'.padEnd(10)} one 4096×4096 edit, peak memory growth (also --memory-only)\n`);
    return;
  }
  if (opts.render) {
    // Re-print the table of an earlier --json run.
    const j = JSON.parse(fs.readFileSync(opts.render, 'utf8'));
    for (const r of j.results) {
      if (r.lost > 0) {
        delete r.pctOfAllowedRate;
        delete r.overheadMsPerItem;
      }
    }
    const o = { ...opts, version: j.n8nVersion, latencyMs: j.latencyMs, items: j.items, limitedItems: j.limitedItems };
    const { text } = report(j.results, j.memory, o, { n8nNode: j.machine.n8nNode, loadStart: j.loadAvg1 && j.loadAvg1.start, loadEnd: j.loadAvg1 && j.loadAvg1.end });
    process.stdout.write(`${text}\n\nCommand: ${j.command}\n`);
    return;
  }
  const sel = selected(opts, all);
  const log = (m) => process.stderr.write(`[bench] ${m}\n`);
  const snap = snapshotDist();
  const cleanupSnap = () => fs.rmSync(snap, { recursive: true, force: true });
  process.on('exit', cleanupSnap);

  const sim = startSimChild();
  const simInfo = await sim.call('start', { apiKey: API_KEY, latencyMs: opts.latencyMs, randomSeed: 7 });
  opts.simBaseUrl = simInfo.stepPlanBaseUrl;
  await sim.call('prewarm', [[256, 256], [1024, 1024]]);
  const env = { n8nNode: '?', loadStart: os.loadavg()[0] };

  let memory = null;
  if (sel.memory) {
    memory = [];
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'stepfun-bench-mem-'));
    try {
      const bigPath = path.join(dir, 'big-4096.png');
      const smallPath = path.join(dir, 'small-256.png');
      log('memory: encoding a 4096×4096 noise PNG ...');
      fs.writeFileSync(bigPath, noisePng(4096, 4096));
      const { makePng } = require('../simulator/png.js');
      fs.writeFileSync(smallPath, makePng(256, 256, 'bench-small'));
      await sim.call('reset');
      await sim.call('setFaults', { latencyMs: 0 });
      await sim.call('prewarm', [[4096, 4096]]);
      const runs = [['filesystem'], ['default']];
      // Informational: the same edit with Result Format "binaryFromUrl" (response_format=url + download).
      if (opts.memoryUrl) runs.push(['filesystem', 'binaryFromUrl'], ['default', 'binaryFromUrl']);
      for (const [mode, resultFormat] of runs) {
        log(`memory: one 4096×4096 edit through the n8n-core harness, binary mode "${mode}"${resultFormat ? `, result format ${resultFormat}` : ''} ...`);
        memory.push(await memoryChild(snap, opts.simBaseUrl, mode, bigPath, smallPath, resultFormat));
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  const results = [];
  if (sel.runs.length) {
    const { nodeBin } = await n8n.ensureN8n(opts.version);
    env.n8nNode = require('node:child_process').execFileSync(path.join(nodeBin, 'node'), ['-v']).toString().trim();
    log(`n8n ${opts.version}: creating an instance (filesystem binary mode) ...`);
    const inst = await n8n.createInstance({ version: opts.version, customExtensions: [snap], binaryDataMode: 'filesystem' });
    try {
      const [cred] = await inst.importCredentials([
        { name: 'StepFun simulator', type: 'stepPlanApi', data: { apiKey: API_KEY, endpoint: 'custom', baseUrl: opts.simBaseUrl } },
      ]);
      const { makePng } = require('../simulator/png.js');
      const inputB64 = makePng(256, 256, 'bench-input').toString('base64');
      const wfs = sel.runs.map((sc) => workflowFor(sc, cred, opts.simBaseUrl, inputB64));
      log(`importing ${wfs.length} workflows ...`);
      await importWorkflows(inst, wfs);
      for (let i = 0; i < sel.runs.length; i++) {
        const sc = sel.runs[i];
        const ideal = idealMs({
          n: sc.n, latencyMs: opts.latencyMs, conc: sc.limited ? Math.min(sc.conc || 1, LIMIT.maxConcurrent) : sc.conc || 1,
          rpm: sc.limited ? LIMIT.rpm : 0,
        });
        log(`${sc.name}: ${sc.label}, N=${sc.n} (ideal ${(ideal / 1000).toFixed(1)} s) ...`);
        const r = await runScenario(inst, sim, sc, wfs[i].id, opts);
        results.push(r);
        log(
          `${sc.name}: wall ${r.wallMs !== undefined ? (r.wallMs / 1000).toFixed(2) : '?'} s` +
            (r.ratio !== undefined ? `, ${r.ratio.toFixed(2)}× ideal` : '') +
            (r.lost !== undefined ? `, lost ${r.lost}` : '') +
            `, ${r.requests} requests (${r.rejected429} × 429), peak ${r.peakMemMb ? r.peakMemMb.toFixed(0) : '?'} MB` +
            (r.error ? `, error: ${r.error}` : ''),
        );
      }
    } finally {
      await inst.cleanup();
    }
  }
  await sim.call('close').catch(() => {});

  const { text, targets } = report(results, memory, opts, env);
  process.stdout.write(`\n${text}\n\nCommand: node scripts/bench.js ${process.argv.slice(2).join(' ')}\n`);
  if (opts.json) {
    fs.mkdirSync(path.dirname(opts.json), { recursive: true });
    fs.writeFileSync(
      opts.json,
      JSON.stringify(
        {
          date: new Date().toISOString(),
          command: `node scripts/bench.js ${process.argv.slice(2).join(' ')}`.trim(),
          loadAvg1: { start: env.loadStart, end: os.loadavg()[0] },
          machine: { cores: os.cpus().length, cpu: os.cpus()[0] && os.cpus()[0].model, totalMemGiB: os.totalmem() / 2 ** 30, benchNode: process.version, n8nNode: env.n8nNode },
          n8nVersion: opts.version,
          latencyMs: opts.latencyMs,
          items: opts.items,
          limitedItems: opts.limitedItems,
          limit: LIMIT,
          results,
          memory,
          targets,
          table: text,
        },
        null,
        2,
      ),
    );
    log(`wrote ${opts.json}`);
  }
}

/** The `npm run bench` command line (scripts/bench.js). */
function cli() {
  main().then(
    () => process.exit(0),
    (e) => {
      process.stderr.write(`[bench] failed: ${(e && e.stack) || e}\n`);
      process.exit(1);
    },
  );
}

module.exports = { cli, idealMs, parseArgs, scenarios };
