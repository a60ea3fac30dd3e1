#!/usr/bin/env node
'use strict';
/**
 * The node as a person sees it in the real n8n editor: starts the StepFun simulator and an n8n server with the
 * built package (dist/, via N8N_CUSTOM_EXTENSIONS), imports a "Step Plan API" credential and two workflows (a
 * StepFun Image node set to Generate, one set to Edit), signs in through the sign-in page of headless Chromium,
 * opens each node's panel by double-clicking it on the canvas, then the credential dialog from the panel's
 * credential pencil, and screenshots all three.
 *
 *   node scripts/editor-check.js [--out screenshots] [--version 2.41.1] [--extensions dist]   (npm run build first)
 *   const { runEditorCheck } = require('./scripts/editor-check');  await runEditorCheck({ outDir })
 *
 * Writes <outDir>/generate-panel.png, edit-panel.png, credential-dialog.png and prints / resolves a summary:
 *   { ok, problems[], n8nVersion, timingsMs, panels: { generate, edit }, credential }
 * where each panel has the visible parameter labels (read from the DOM), parameter paths, and every error
 * sign found (error notifications, node/parameter issue markers, banners, "Problem loading" / "Install this
 * node" texts). The CLI exits 1 when `ok` is false. Env: CHROMIUM_PATH (default /usr/bin/chromium),
 * EDITOR_CHECK_DEBUG=1 (also writes each page's HTML next to the screenshots).
 *
 * Selectors (n8n 2.41): canvas node [data-test-id="canvas-node"]; node panel [data-test-id="ndv"] with
 * [data-test-id="node-parameters"]; each parameter row [data-test-id="parameter-item"] with a
 * label.n8n-input-label and an input [data-parameter-path="parameters.<name>"]; issues
 * [data-test-id="parameter-issues"] (panel) / [data-test-id="node-issues"] (canvas); credential select
 * [data-test-id="node-credentials-select"] and its pencil [data-test-id="credential-edit-button"]; credential
 * dialog [data-test-id="editCredential-modal"].
 */
const fs = require('node:fs');
const path = require('node:path');

const ROOT = path.resolve(__dirname, '../../..');
const n8n = require('../n8n');

const DEFAULT_CHROMIUM = '/usr/bin/chromium';
const API_KEY = 'sk-editor-check';
const CREDENTIAL_NAME = 'Step Plan (simulator)';
const NODE_NAME = 'StepFun Image';
const VIEWPORT = { width: 1440, height: 900 };
const BROWSER_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];
const INSTALL_HINT =
  'Install it with `bash scripts/install-chromium.sh` (Debian: `apt-get update && apt-get install -y ' +
  '--no-install-recommends chromium fonts-liberation`), or set CHROMIUM_PATH to a Chromium binary.';
// Texts n8n shows when it cannot load a node or credential type.
const ERROR_TEXTS = [
  /problem loading/i,
  /install this node/i,
  /node is not currently installed/i,
  /unrecognized node type/i,
  /could not (?:find|load) (?:node|credential)/i,
  /unknown (?:node|credential) type/i,
];

function chromiumPath() {
  return process.env.CHROMIUM_PATH || DEFAULT_CHROMIUM;
}

/** Why the browser cannot be used (a message saying how to install it), or undefined when it is there. */
function chromiumProblem() {
  const p = chromiumPath();
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return undefined;
  } catch {
    return `Chromium not found at ${p}: the editor check needs a real browser. ${INSTALL_HINT}`;
  }
}

/** Throws a clear, actionable error when the browser is not installed. */
function assertChromium() {
  const problem = chromiumProblem();
  if (problem) throw new Error(problem);
  return chromiumPath();
}

function assertBuilt() {
  const nodeFile = path.join(ROOT, 'dist/nodes/StepFunImage/StepFunImage.node.js');
  const credFile = path.join(ROOT, 'dist/credentials/StepPlanApi.credentials.js');
  for (const f of [nodeFile, credFile]) {
    if (!fs.existsSync(f)) throw new Error(`${path.relative(ROOT, f)} is missing: run \`npm run build\` first`);
  }
}

function workflow(operation, cred) {
  const parameters =
    operation === 'edit'
      ? { operation: 'edit', binaryPropertyName: 'data', prompt: 'Make the sky a warm sunset orange' }
      : { operation: 'generate', prompt: 'A red bicycle leaning on a white wall, morning light' };
  return {
    name: `StepFun Image — ${operation === 'edit' ? 'Edit' : 'Generate'} (editor check)`,
    nodes: [
      { name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
      {
        name: NODE_NAME,
        type: 'CUSTOM.stepFunImage',
        typeVersion: 1,
        position: [260, 0],
        parameters,
        credentials: { stepPlanApi: { id: cred.id, name: cred.name } },
      },
    ],
    connections: { Start: { main: [[{ node: NODE_NAME, type: 'main', index: 0 }]] } },
  };
}

// ------------------------------------------------------------------ in-page probes (run in the browser)
function probePage({ rootSelector, labelSelector, errorTexts }) {
  const visible = (el) => {
    if (!el) return false;
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.height === 0) return false;
    const cs = getComputedStyle(el);
    return cs.visibility !== 'hidden' && cs.display !== 'none' && Number(cs.opacity) !== 0;
  };
  const text = (el) => (el.innerText || el.textContent || '').replace(/\s+/g, ' ').trim();
  const root = rootSelector ? document.querySelector(rootSelector) : document.body;
  const out = { found: Boolean(root && visible(root)), labels: [], required: [], parameterPaths: [], errors: [], notifications: [] };
  const labelRoot = labelSelector ? document.querySelector(labelSelector) : root;
  if (labelRoot) {
    for (const label of labelRoot.querySelectorAll('label.n8n-input-label')) {
      if (!visible(label)) continue;
      const title = label.querySelector('.n8n-text') || label;
      // required fields carry a trailing "*"
      const t = text(title).replace(/\s*\*$/, '');
      if (t) out.labels.push(t);
      if (/\*$/.test(text(title))) out.required.push(t);
    }
    for (const el of labelRoot.querySelectorAll('[data-parameter-path]')) {
      if (visible(el)) out.parameterPaths.push(el.getAttribute('data-parameter-path'));
    }
  }
  if (root) {
    for (const el of root.querySelectorAll('[data-test-id="parameter-issues"]')) {
      if (!visible(el)) continue;
      const row = el.closest('[data-test-id="parameter-item"]');
      const label = row && row.querySelector('label.n8n-input-label');
      out.errors.push(`parameter issue marker on "${label ? text(label) : '?'}"`);
    }
    for (const el of root.querySelectorAll('.n8n-callout--danger, .n8n-callout.danger, [class*="callout"][class*="danger"], [role="alert"]')) {
      if (visible(el) && text(el)) out.errors.push(`error callout: ${text(el)}`);
    }
    const rootText = text(root);
    for (const src of errorTexts) {
      const re = new RegExp(src, 'i');
      const m = re.exec(rootText);
      if (m) out.errors.push(`text "${m[0]}" on the page`);
    }
  }
  for (const el of document.querySelectorAll('.el-notification')) {
    if (!visible(el)) continue;
    const isError = el.classList.contains('el-notification--error') || Boolean(el.querySelector('.el-notification--error, .el-icon-error, [class*="error"]'));
    out.notifications.push({ error: isError, text: text(el) });
    if (isError) out.errors.push(`error notification: ${text(el)}`);
  }
  for (const el of document.querySelectorAll('[data-test-id="banner-stack"] > *')) {
    if (visible(el) && text(el)) out.errors.push(`banner: ${text(el)}`);
  }
  return out;
}

async function probe(page, rootSelector, labelSelector) {
  return await page.evaluate(probePage, { rootSelector, labelSelector, errorTexts: ERROR_TEXTS.map((r) => r.source) });
}

// ------------------------------------------------------------------ browser steps
async function signIn(page, srv) {
  await page.goto(`${srv.url}/signin`, { waitUntil: 'domcontentloaded' });
  const email = page.locator('input[type="email"], input[name="emailOrLdapLoginId"], input[name="email"]').first();
  await email.waitFor({ state: 'visible', timeout: 60000 });
  await email.fill(srv.owner.email);
  await page.locator('input[type="password"]').first().fill(srv.owner.password);
  await page.keyboard.press('Enter');
  await page.waitForURL((u) => !/\/signin/.test(u.pathname), { timeout: 60000 });
}

async function waitQuiet(page, ms = 800) {
  await page.waitForLoadState('networkidle', { timeout: 15000 }).catch(() => {});
  await page.waitForTimeout(ms);
}

async function openNodePanel(page, srv, workflowId) {
  await page.goto(`${srv.url}/workflow/${workflowId}`, { waitUntil: 'domcontentloaded' });
  const node = page.locator('[data-test-id="canvas-node"]').filter({ hasText: NODE_NAME }).first();
  await node.waitFor({ state: 'visible', timeout: 60000 });
  await waitQuiet(page);
  // Canvas state before the panel covers it: is the node marked with issues, or drawn as "not installed"?
  const canvas = await page.evaluate((name) => {
    const el = [...document.querySelectorAll('[data-test-id="canvas-node"]')].find((n) => (n.innerText || '').includes(name));
    if (!el) return { found: false };
    const issues = el.querySelector('[data-test-id="node-issues"]');
    return {
      found: true,
      text: (el.innerText || '').replace(/\s+/g, ' ').trim(),
      hasIssues: Boolean(issues && issues.getBoundingClientRect().width > 0),
      hasIcon: Boolean(el.querySelector('img, svg')),
    };
  }, NODE_NAME);
  await node.dblclick();
  const ndv = page.locator('[data-test-id="ndv"]');
  await ndv.waitFor({ state: 'visible', timeout: 30000 });
  // A node that did not load has no parameters (n8n shows "Install this node" instead): the probe reports it.
  await page
    .locator('[data-test-id="ndv"] [data-parameter-path="parameters.prompt"]')
    .or(page.locator('[data-test-id="ndv"]').getByText(/install this node/i))
    .first()
    .waitFor({ state: 'visible', timeout: 30000 })
    .catch(() => {});
  await waitQuiet(page);
  return canvas;
}

async function dumpHtml(page, file) {
  if (process.env.EDITOR_CHECK_DEBUG) fs.writeFileSync(file, await page.content());
}

/**
 * Opens each collection's "Add …" list (Image Settings, Options) the way a person would, reads the offered
 * entries, screenshots the open list as <operation>-<collection>.png and closes it again.
 */
async function readCollectionOptions(page, operation, outDir) {
  const result = {};
  const adders = page.locator('[data-test-id="ndv"] [data-test-id="node-parameters"] [data-test-id="parameter-item"]', {
    has: page.locator('[data-test-id="collection-parameter-add"]'),
  });
  const n = await adders.count();
  for (let i = 0; i < n; i++) {
    const row = adders.nth(i);
    const name = (await row.locator('label.n8n-input-label').first().innerText()).replace(/\s+/g, ' ').trim();
    await row.locator('[data-test-id="collection-parameter-add"]').click();
    const options = page.locator('[data-test-id="collection-parameter-option"]:visible');
    await options.first().waitFor({ state: 'visible', timeout: 10000 }).catch(() => {});
    await page.waitForTimeout(300);
    result[name] = (await options.allInnerTexts()).map((t) => t.replace(/\s+/g, ' ').trim());
    const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');
    await page.screenshot({ path: path.join(outDir, `${operation}-${slug}.png`) });
    // Close the list by clicking a neutral spot (Escape would close the whole panel).
    await page.locator('[data-test-id="ndv"] [data-test-id="tab-params"]').first().click();
    await options.first().waitFor({ state: 'hidden', timeout: 5000 }).catch(() => {});
  }
  return result;
}

async function checkPanel(page, srv, operation, workflowId, outDir) {
  const canvas = await openNodePanel(page, srv, workflowId);
  // Errors anywhere in the panel; labels only from its parameter list.
  const p = await probe(page, '[data-test-id="ndv"]', '[data-test-id="ndv"] [data-test-id="node-parameters"]');
  const quick = { timeout: 2000 };
  const header = await page
    .locator('[data-test-id="ndv"] [data-test-id="node-title-container"]')
    .first()
    .innerText(quick)
    .catch(() => '');
  const operationValue = await page
    .locator('[data-test-id="ndv"] [data-test-id="parameter-input-operation"] input')
    .first()
    .inputValue(quick)
    .catch(() => '');
  const credentialValue = await page
    .locator('[data-test-id="ndv"] [data-test-id="node-credentials-select"] input')
    .first()
    .inputValue(quick)
    .catch(() => '');
  // Keep the pointer off the parameters (hover shows their Fixed/Expression toggles).
  await page.mouse.move(VIEWPORT.width / 2, 20);
  await page.waitForTimeout(300);
  const screenshot = path.join(outDir, `${operation}-panel.png`);
  await page.screenshot({ path: screenshot });
  await dumpHtml(page, screenshot.replace(/\.png$/, '.html'));
  const collections = await readCollectionOptions(page, operation, outDir);
  const errors = [...p.errors];
  if (!canvas.found) errors.push(`no "${NODE_NAME}" node on the canvas`);
  else if (canvas.hasIssues) errors.push('the canvas node shows an issues marker');
  return {
    title: header.replace(/\s+/g, ' ').trim(),
    operation: operationValue,
    credential: credentialValue,
    labels: p.labels,
    required: p.required,
    parameters: p.parameterPaths.map((s) => s.replace(/^parameters\./, '')),
    collections,
    canvasNode: canvas,
    notifications: p.notifications,
    errors,
    screenshot,
  };
}

/** Opens the credential's Endpoint list, reads its entries and screenshots it (credential-endpoint-options.png). */
async function readEndpointOptions(page, outDir) {
  const select = page.locator('[data-test-id="editCredential-modal"] [data-test-id="parameter-input-endpoint"] input').first();
  if (!(await select.isVisible().catch(() => false))) return [];
  await select.click();
  const items = page.locator('.el-select-dropdown__item:visible');
  await items.first().waitFor({ state: 'visible', timeout: 10000 }).catch(() => {});
  await page.waitForTimeout(300);
  // Each entry shows the option's name, then its description on the next line.
  const texts = (await items.allInnerTexts()).map((t) => {
    const [name, ...rest] = t.split('\n').map((l) => l.trim()).filter(Boolean);
    return { name: name || '', description: rest.join(' ') };
  });
  await page.screenshot({ path: path.join(outDir, 'credential-endpoint-options.png') });
  await page.keyboard.press('Escape');
  return texts;
}

async function checkCredentialDialog(page, outDir) {
  // From the (still open) node panel: the pencil next to the credential select.
  const pencil = page.locator('[data-test-id="ndv"] [data-test-id="credential-edit-button"]').first();
  if (!(await pencil.isVisible().catch(() => false))) {
    const screenshot = path.join(outDir, 'credential-dialog.png');
    await page.screenshot({ path: screenshot });
    return {
      title: '',
      labels: [],
      required: [],
      parameters: [],
      connectionTest: 'none shown',
      endpointOptions: [],
      notifications: [],
      errors: ['the node panel has no credential edit button (credential type not loaded?)'],
      screenshot,
    };
  }
  await pencil.click();
  const modal = page.locator('[data-test-id="editCredential-modal"]');
  await modal.waitFor({ state: 'visible', timeout: 30000 });
  await modal.locator('label.n8n-input-label').first().waitFor({ state: 'visible', timeout: 30000 });
  // An existing credential is tested when its dialog opens: wait for the verdict (or give up quietly).
  const verdict = modal.getByText(/connection tested successfully|couldn.t connect|could not connect|connection test failed/i).first();
  await verdict.waitFor({ state: 'visible', timeout: 20000 }).catch(() => {});
  await waitQuiet(page, 500);
  const p = await probe(page, '[data-test-id="editCredential-modal"]');
  const info = await page.evaluate(() => {
    const m = document.querySelector('[data-test-id="editCredential-modal"]');
    const t = (el) => (el ? (el.innerText || '').replace(/\s+/g, ' ').trim() : '');
    const text = t(m);
    const ok = /connection tested successfully/i.exec(text);
    const bad = /(couldn.t connect[^.]*|could not connect[^.]*|connection test failed[^.]*)/i.exec(text);
    return {
      title: t(m && m.querySelector('[data-test-id="credential-name"], .el-dialog__header, header')).slice(0, 200),
      connectionTest: ok ? 'success' : bad ? `failed: ${bad[0]}` : 'none shown',
    };
  });
  const screenshot = path.join(outDir, 'credential-dialog.png');
  await page.screenshot({ path: screenshot });
  await dumpHtml(page, screenshot.replace(/\.png$/, '.html'));
  const endpointOptions = await readEndpointOptions(page, outDir);
  const errors = [...p.errors];
  if (info.connectionTest.startsWith('failed')) errors.push(`credential test ${info.connectionTest}`);
  return {
    title: info.title,
    labels: p.labels,
    required: p.required,
    parameters: p.parameterPaths.map((s) => s.replace(/^parameters\./, '')),
    connectionTest: info.connectionTest,
    endpointOptions,
    notifications: p.notifications,
    errors,
    screenshot,
  };
}

/**
 * { exists, bytes, png, width, height } of a file, read from its PNG header (for tests, which may not use
 * Node built-ins themselves).
 */
function pngInfo(file) {
  let buf;
  try {
    buf = fs.readFileSync(file);
  } catch {
    return { exists: false, bytes: 0, png: false, width: 0, height: 0 };
  }
  const sig = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  const png = buf.length >= 24 && buf.subarray(0, 8).equals(sig) && buf.toString('latin1', 12, 16) === 'IHDR';
  return {
    exists: true,
    bytes: buf.length,
    png,
    width: png ? buf.readUInt32BE(16) : 0,
    height: png ? buf.readUInt32BE(20) : 0,
  };
}

// ------------------------------------------------------------------ main
/**
 * runEditorCheck({ outDir = <repo>/screenshots, version = '2.41.1', extensionDir = <repo>/dist, log }) → summary
 * (see top of file). Rejects when Chromium is missing, the package is not built, or the editor never shows the
 * node's panel; a panel with missing fields or error signs resolves with ok: false and the problems listed.
 * (extensionDir: the N8N_CUSTOM_EXTENSIONS folder; an empty one shows what a missing node looks like.)
 */
async function runEditorCheck({
  outDir = path.join(ROOT, 'screenshots'),
  version = '2.41.1',
  extensionDir = path.join(ROOT, 'dist'),
  log = () => {},
} = {}) {
  const executablePath = assertChromium();
  if (extensionDir === path.join(ROOT, 'dist')) assertBuilt();
  const { chromium } = require('playwright-core');
  const { startSimulator } = require('../simulator');
  fs.mkdirSync(outDir, { recursive: true });

  const timingsMs = {};
  const t0 = Date.now();
  let last = t0;
  const lap = (name) => {
    const now = Date.now();
    timingsMs[name] = now - last;
    last = now;
    log(`${name}: ${((now - t0) / 1000).toFixed(1)} s`);
  };

  let sim;
  let inst;
  let browser;
  const consoleErrors = [];
  try {
    sim = await startSimulator({ apiKey: API_KEY });
    inst = await n8n.createInstance({ version, customExtensions: [extensionDir] });
    const [cred] = await inst.importCredentials([
      {
        name: CREDENTIAL_NAME,
        type: 'stepPlanApi',
        data: { apiKey: API_KEY, endpoint: 'custom', baseUrl: sim.stepPlanBaseUrl },
      },
    ]);
    const generateId = await inst.importWorkflow(workflow('generate', cred));
    const editId = await inst.importWorkflow(workflow('edit', cred));
    lap('import');
    const srv = await inst.startServer();
    lap('serverStart');

    browser = await chromium.launch({ executablePath, args: BROWSER_ARGS, headless: true });
    const context = await browser.newContext({ viewport: VIEWPORT, deviceScaleFactor: 1 });
    const page = await context.newPage();
    page.setDefaultTimeout(30000);
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text().slice(0, 500));
    });
    page.on('pageerror', (e) => consoleErrors.push(`pageerror: ${String(e && e.message).slice(0, 500)}`));
    await signIn(page, srv);
    lap('signIn');

    const generate = await checkPanel(page, srv, 'generate', generateId, outDir);
    lap('generatePanel');
    const edit = await checkPanel(page, srv, 'edit', editId, outDir);
    lap('editPanel');
    const credential = await checkCredentialDialog(page, outDir);
    lap('credentialDialog');

    const problems = [
      ...generate.errors.map((e) => `generate panel: ${e}`),
      ...edit.errors.map((e) => `edit panel: ${e}`),
      ...credential.errors.map((e) => `credential dialog: ${e}`),
    ];
    const expect = (panel, name, labels, absent) => {
      for (const l of labels) if (!panel.labels.includes(l)) problems.push(`${name}: label "${l}" not shown`);
      for (const l of absent) if (panel.labels.includes(l)) problems.push(`${name}: label "${l}" shown but should not be`);
    };
    expect(generate, 'generate panel', ['Model', 'Prompt', 'Size', 'Image Settings', 'Options'], ['Input Binary Field']);
    expect(edit, 'edit panel', ['Model', 'Input Binary Field', 'Prompt', 'Image Settings', 'Options'], ['Size']);
    expect(credential, 'credential dialog', ['API Key', 'Endpoint', 'Base URL'], []);
    timingsMs.total = Date.now() - t0;
    return {
      ok: problems.length === 0,
      problems,
      n8nVersion: version,
      timingsMs,
      panels: { generate, edit },
      credential,
      consoleErrors,
    };
  } finally {
    if (browser) await browser.close().catch(() => {});
    if (inst) await inst.cleanup().catch(() => {});
    if (sim) await sim.close().catch(() => {});
  }
}

/** The editor check's command line (scripts/editor-check.js). */
function cli() {
  const args = process.argv.slice(2);
  const opt = (name, def) => {
    const i = args.indexOf(name);
    return i >= 0 && args[i + 1] ? args[i + 1] : def;
  };
  const outDir = path.resolve(opt('--out', path.join(ROOT, 'screenshots')));
  const version = opt('--version', process.env.N8N_VERSION || '2.41.1');
  const extensionDir = path.resolve(opt('--extensions', path.join(ROOT, 'dist')));
  runEditorCheck({ outDir, version, extensionDir, log: (m) => process.stderr.write(`[editor-check] ${m}\n`) })
    .then((summary) => {
      process.stdout.write(JSON.stringify(summary, null, 2) + '\n');
      if (!summary.ok) process.stderr.write(`[editor-check] problems:\n  ${summary.problems.join('\n  ')}\n`);
      process.exit(summary.ok ? 0 : 1);
    })
    .catch((e) => {
      process.stderr.write(`[editor-check] ${e && e.stack ? e.stack : e}\n`);
      process.exit(1);
    });
}

module.exports = { cli, runEditorCheck, assertChromium, chromiumProblem, chromiumPath, pngInfo, INSTALL_HINT };
