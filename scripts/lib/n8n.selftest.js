#!/usr/bin/env node
'use strict';
/**
 * Self-check of scripts/lib/n8n.js against a real n8n:  node scripts/lib/n8n.selftest.js [version]
 * (default 2.41.1; also run it with 1.123.81). Builds a tiny JS community node package n8n-nodes-selftest in a
 * temp dir and proves, with timings:
 *   1. custom-extension loading (N8N_CUSTOM_EXTENSIONS, type CUSTOM.selftest) + credential import + execute
 *   2. server start + owner/login + activate a Webhook workflow + POST to its production URL
 *   3. n8n's REST credential test (POST /rest/credentials/test) → OK for a good key, Error for a bad one
 *   4. community package from an npm-packed tarball → type n8n-nodes-selftest.selftest executes, and the
 *      server lists the package under /rest/community-packages
 * Exit code 0 only when everything passed.
 */
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const http = require('node:http');
const os = require('node:os');
const path = require('node:path');
const n8n = require('./n8n');

const version = process.argv[2] || process.env.N8N_VERSION || n8n.DEFAULT_VERSION;
const GOOD_KEY = 'good-key-123';
const timings = [];
const t = async (label, fn) => {
  const t0 = Date.now();
  process.stderr.write(`[selftest ${version}] ${label} ...\n`);
  const r = await fn();
  const ms = Date.now() - t0;
  timings.push([label, ms]);
  process.stderr.write(`[selftest ${version}] ${label}: ok (${(ms / 1000).toFixed(1)} s)\n`);
  return r;
};

// ------------------------------------------------------------------ the temp package
function writePackage(root) {
  const files = {
    'package.json': JSON.stringify(
      {
        name: 'n8n-nodes-selftest',
        version: '0.1.0',
        description: 'harness self-test node',
        license: 'MIT',
        keywords: ['n8n-community-node-package'],
        author: { name: 'Selftest', email: 'selftest@example.com' },
        files: ['dist'],
        n8n: {
          n8nNodesApiVersion: 1,
          nodes: ['dist/nodes/Selftest/Selftest.node.js'],
          credentials: ['dist/credentials/SelftestApi.credentials.js'],
        },
        peerDependencies: { 'n8n-workflow': '*' },
      },
      null,
      2,
    ),
    'dist/nodes/Selftest/Selftest.node.js': `'use strict';
class Selftest {
  constructor() {
    this.description = {
      displayName: 'Selftest', name: 'selftest', group: ['transform'], version: 1,
      description: 'Harness self-test node', defaults: { name: 'Selftest' },
      inputs: ['main'], outputs: ['main'],
      credentials: [{ name: 'selftestApi', required: false }],
      properties: [
        { displayName: 'Field Name', name: 'fieldName', type: 'string', default: 'selftest' },
        { displayName: 'Call API', name: 'callApi', type: 'boolean', default: false },
      ],
    };
  }
  async execute() {
    const items = this.getInputData();
    const out = [];
    for (let i = 0; i < items.length; i++) {
      const fieldName = this.getNodeParameter('fieldName', i);
      const json = { ...items[i].json, [fieldName]: 'ok', itemIndex: i };
      if (this.getNodeParameter('callApi', i)) {
        const creds = await this.getCredentials('selftestApi');
        json.api = await this.helpers.httpRequestWithAuthentication.call(this, 'selftestApi', {
          method: 'GET', url: creds.baseUrl + '/echo', json: true,
        });
      }
      const data = await this.helpers.prepareBinaryData(Buffer.from('hello from selftest'), 'hello.txt', 'text/plain');
      out.push({ json, binary: { data }, pairedItem: { item: i } });
    }
    return [out];
  }
}
module.exports = { Selftest };
`,
    'dist/credentials/SelftestApi.credentials.js': `'use strict';
class SelftestApi {
  constructor() {
    this.name = 'selftestApi';
    this.displayName = 'Selftest API';
    this.documentationUrl = 'https://example.com';
    this.properties = [
      { displayName: 'API Key', name: 'apiKey', type: 'string', typeOptions: { password: true }, default: '' },
      { displayName: 'Base URL', name: 'baseUrl', type: 'string', default: '' },
    ];
    this.authenticate = { type: 'generic', properties: { headers: { Authorization: '=Bearer {{$credentials.apiKey}}' } } };
    this.test = { request: { baseURL: '={{$credentials.baseUrl}}', url: '/check', method: 'GET' } };
  }
}
module.exports = { SelftestApi };
`,
  };
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    fs.writeFileSync(path.join(root, rel), text);
  }
}

// ------------------------------------------------------------------ a fake API for the credential
function startFakeApi() {
  const hits = [];
  const srv = http.createServer((req, res) => {
    const auth = req.headers.authorization || '';
    hits.push({ url: req.url, auth });
    const good = auth === `Bearer ${GOOD_KEY}`;
    res.writeHead(good ? 200 : 401, { 'content-type': 'application/json' });
    res.end(JSON.stringify(good ? { ok: true, path: req.url } : { error: 'invalid api key' }));
  });
  return new Promise((resolve) => srv.listen(0, '127.0.0.1', () => resolve({ srv, hits, url: `http://127.0.0.1:${srv.address().port}` })));
}

const manualWorkflow = (nodeType, credId, extra = {}) => ({
  name: `selftest ${nodeType}`,
  nodes: [
    { name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
    {
      name: 'Selftest',
      type: nodeType,
      typeVersion: 1,
      position: [200, 0],
      parameters: { fieldName: 'added', callApi: Boolean(credId), ...extra },
      ...(credId ? { credentials: { selftestApi: { id: credId, name: 'Selftest good' } } } : {}),
    },
  ],
  connections: { Start: { main: [[{ node: 'Selftest', type: 'main', index: 0 }]] } },
});

function checkSelftestOutput(items, { expectApi }) {
  assert.equal(items.length, 1, 'one item');
  assert.equal(items[0].json.added, 'ok', 'field added by the node');
  const bin = items[0].binary && items[0].binary.data;
  assert.ok(bin, 'binary output present');
  assert.equal(bin.mimeType, 'text/plain');
  assert.equal(bin.fileName, 'hello.txt');
  if (bin.data && !/^filesystem|^database/.test(bin.id || '')) {
    assert.equal(Buffer.from(bin.data, 'base64').toString(), 'hello from selftest');
  }
  if (expectApi) assert.deepEqual(items[0].json.api, { ok: true, path: '/echo' }, 'API called with the imported credential');
  return bin;
}

async function main() {
  const tStart = Date.now();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-selftest-'));
  const pkgDir = path.join(work, 'n8n-nodes-selftest');
  writePackage(pkgDir);
  const api = await startFakeApi();
  const results = {};
  let inst;
  let inst2;
  try {
    const bins = await t('ensureN8n', () => n8n.ensureN8n(version));
    results.node = execFileSync(path.join(bins.nodeBin, 'node'), ['--version']).toString().trim();

    // 1. custom extension + credentials + execute
    inst = await n8n.createInstance({ version, customExtensions: [pkgDir], binaryDataMode: 'default' });
    const [goodCred] = await t('importCredentials', () =>
      inst.importCredentials([{ name: 'Selftest good', type: 'selftestApi', data: { apiKey: GOOD_KEY, baseUrl: api.url } }]),
    );
    const wfId = await t('importWorkflow (CUSTOM.selftest)', () => inst.importWorkflow(manualWorkflow('CUSTOM.selftest', goodCred.id)));
    const run = await t('execute (custom extension, credential)', () => inst.execute(wfId));
    const bin = checkSelftestOutput(n8n.nodeOutput(run, 'Selftest'), { expectApi: true });
    results.binaryInRawOutputDefaultMode = bin.id ? { id: bin.id, data: bin.data } : 'inline base64 in binary.data.data';
    assert.ok(api.hits.some((h) => h.url === '/echo' && h.auth === `Bearer ${GOOD_KEY}`), 'fake API saw the credential');

    // 2. server + webhook
    const hookPath = `selftest-${n8n.randomId(8).toLowerCase()}`;
    const hookWfId = await t('importWorkflow (webhook)', () =>
      inst.importWorkflow({
        name: 'selftest webhook',
        nodes: [
          {
            name: 'Webhook',
            type: 'n8n-nodes-base.webhook',
            typeVersion: 2,
            position: [0, 0],
            webhookId: crypto.randomUUID(),
            parameters: { httpMethod: 'POST', path: hookPath, responseMode: 'lastNode', options: {} },
          },
          { name: 'Selftest', type: 'CUSTOM.selftest', typeVersion: 1, position: [200, 0], parameters: { fieldName: 'added' } },
        ],
        connections: { Webhook: { main: [[{ node: 'Selftest', type: 'main', index: 0 }]] } },
      }),
    );
    const srv = await t('startServer (ready + owner setup + login)', () => inst.startServer());
    results.serverReadyMs = srv.readyMs;
    await t('activateWorkflow (REST)', () => inst.activateWorkflow(hookWfId));
    const hook = await t('POST production webhook', async () => {
      // registration of the webhook can trail the activation answer by a moment
      for (let i = 0; ; i++) {
        const r = await n8n.httpRequest(srv.webhookUrl(hookPath), { method: 'POST', body: { hello: 'world' } });
        if (r.status !== 404 || i >= 20) return r;
        await new Promise((res) => setTimeout(res, 250));
      }
    });
    assert.equal(hook.status, 200, `webhook HTTP ${hook.status}: ${hook.text}`);
    assert.equal(hook.body.added, 'ok', 'webhook answered with the custom node output');
    assert.deepEqual(hook.body.body, { hello: 'world' });

    // 3. n8n's REST credential test
    const good = await t('REST credential test (good key)', () => inst.testCredential({ id: goodCred.id }));
    assert.equal(good.status, 'OK', `good key: ${JSON.stringify(good)}`);
    const bad = await t('REST credential test (bad key)', () =>
      inst.testCredential({ id: goodCred.id, data: { apiKey: 'bad-key', baseUrl: api.url } }),
    );
    assert.equal(bad.status, 'Error', `bad key: ${JSON.stringify(bad)}`);
    results.credentialTest = { good, bad };
    assert.ok(api.hits.some((h) => h.url === '/check' && h.auth === 'Bearer bad-key'), 'bad key reached the fake API');
    await srv.stop();

    // 4. community package from a tarball
    const tgz = await t('npm pack', () => {
      const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', work], { cwd: pkgDir }).toString().trim().split('\n').pop();
      return path.join(work, name);
    });
    inst2 = await n8n.createInstance({ version, binaryDataMode: 'filesystem' });
    const installed = await t('installCommunityPackageFromTarball', () => inst2.installCommunityPackageFromTarball(tgz));
    assert.deepEqual(installed.nodeTypes.map((n) => n.name), ['n8n-nodes-selftest.selftest']);
    const [cred2] = await inst2.importCredentials([{ name: 'Selftest good', type: 'selftestApi', data: { apiKey: GOOD_KEY, baseUrl: api.url } }]);
    const pkgWf = await inst2.importWorkflow(manualWorkflow('n8n-nodes-selftest.selftest', cred2.id));
    const run2 = await t('execute (n8n-nodes-selftest.selftest from tarball)', () => inst2.execute(pkgWf));
    const bin2 = checkSelftestOutput(n8n.nodeOutput(run2, 'Selftest'), { expectApi: true });
    results.binaryInRawOutputFilesystemMode = { id: bin2.id, data: bin2.data };
    const srv2 = await t('startServer (package instance)', () => inst2.startServer());
    const pkgs = await t('GET /rest/community-packages', () => srv2.api('GET', '/rest/community-packages'));
    const mine = pkgs.find((p) => p.packageName === 'n8n-nodes-selftest');
    assert.ok(mine, `package listed: ${JSON.stringify(pkgs)}`);
    assert.deepEqual(mine.installedNodes.map((n) => n.type), ['n8n-nodes-selftest.selftest']);
    results.communityPackagesListing = { packageName: mine.packageName, installedVersion: mine.installedVersion, nodes: mine.installedNodes.map((n) => n.type) };
    await srv2.stop();
  } finally {
    if (inst) await inst.cleanup();
    if (inst2) await inst2.cleanup();
    api.srv.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
  const total = Date.now() - tStart;
  console.log(`\nn8n ${version} (node ${results.node}): ALL CHECKS PASSED in ${(total / 1000).toFixed(1)} s`);
  for (const [label, ms] of timings) console.log(`  ${(ms / 1000).toFixed(1).padStart(6)} s  ${label}`);
  console.log(JSON.stringify(results, null, 2));
}

main().catch((e) => {
  console.error(`\nn8n ${version}: SELFTEST FAILED\n${e && e.stack ? e.stack : e}`);
  process.exit(1);
});
