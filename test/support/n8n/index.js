'use strict';
/**
 * Drive a real, headless n8n from Node scripts (CommonJS, Node built-ins only).
 *
 *   const n8n = require('./scripts/lib/n8n');
 *   const inst = await n8n.createInstance({ version: '2.41.1', customExtensions: ['/path/to/dist'] });
 *   await inst.importCredentials([{ id, name, type, data: { apiKey: '...' } }]);
 *   const wfId = await inst.importWorkflow(workflowJson);
 *   const run = await inst.execute(wfId);              // parsed `n8n execute --rawOutput` JSON
 *   const items = n8n.nodeOutput(run, 'My Node');       // [{ json, binary, pairedItem }, ...]
 *   const srv = await inst.startServer();               // owner set up + logged in
 *   await srv.activateWorkflow(wfId);                   // or inst.activateWorkflow(wfId)
 *   await inst.cleanup();
 *
 * Every n8n child runs in its own process group; all of them are killed when this process exits or gets
 * SIGINT/SIGTERM/SIGHUP, so no n8n stays behind.
 */
const { spawn } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const fsp = require('node:fs/promises');
const http = require('node:http');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const DEFAULT_VERSION = process.env.N8N_VERSION || '2.41.1';
const ENSURE_SCRIPT = path.join(__dirname, 'ensure-n8n.sh');
const ENCRYPTION_KEY = 'n8n-nodes-stepfun-test-encryption-key';
const OWNER = {
  email: 'owner@example.com',
  firstName: 'Test',
  lastName: 'Owner',
  password: 'Selftest-Passw0rd',
};
const BROWSER_ID = 'n8n-nodes-stepfun-harness';
const ALNUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

// ---------------------------------------------------------------- process bookkeeping
const liveChildren = new Set(); // ChildProcess, each leader of its own process group
const tempDirs = new Set();
let handlersInstalled = false;

function killGroup(child, signal) {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    try {
      child.kill(signal);
    } catch {
      /* gone */
    }
  }
}

function killAllSync() {
  for (const child of liveChildren) killGroup(child, 'SIGKILL');
  liveChildren.clear();
  if (!process.env.N8N_HARNESS_KEEP_TMP) {
    for (const dir of tempDirs) {
      try {
        fs.rmSync(dir, { recursive: true, force: true });
      } catch {
        /* best effort */
      }
    }
  }
  tempDirs.clear();
}

function installExitHandlers() {
  if (handlersInstalled) return;
  handlersInstalled = true;
  process.on('exit', killAllSync);
  const signals = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 };
  for (const [sig, code] of Object.entries(signals)) {
    process.on(sig, () => {
      killAllSync();
      // only decide the exit when nobody else listens for this signal
      if (process.listenerCount(sig) <= 1) process.exit(code);
    });
  }
}

function track(child) {
  installExitHandlers();
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
  return child;
}

/** Stop a child's whole process group: SIGTERM, then SIGKILL after `graceMs`. */
function stopChild(child, graceMs = 10000) {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    const timer = setTimeout(() => killGroup(child, 'SIGKILL'), graceMs);
    child.once('exit', () => {
      clearTimeout(timer);
      // leftovers in the group (task runners etc.)
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        /* group empty */
      }
      resolve();
    });
    killGroup(child, 'SIGTERM');
  });
}

// ---------------------------------------------------------------- small helpers
function randomId(len = 16) {
  const bytes = crypto.randomBytes(len);
  let s = '';
  for (let i = 0; i < len; i++) s += ALNUM[bytes[i] % ALNUM.length];
  return s;
}

function tail(text, n = 4000) {
  const s = String(text || '');
  return s.length > n ? '…' + s.slice(-n) : s;
}

function isDir(p) {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/**
 * Find the JSON document n8n printed after its log lines. Tries each line that starts a JSON value
 * (`{` or `[` at column 0), last candidates first for a complete parse to the end of the text.
 */
function extractJson(stdout) {
  const text = String(stdout || '');
  const lines = text.split('\n');
  const starts = [];
  for (let i = 0; i < lines.length; i++) {
    if (/^[[{]\s*$/.test(lines[i]) || /^\{"/.test(lines[i]) || /^\[\{/.test(lines[i])) starts.push(i);
  }
  // The document usually runs to the end of stdout; sometimes log lines follow it.
  for (const i of starts) {
    const rest = lines.slice(i);
    for (let end = rest.length; end > 0; end--) {
      const last = rest[end - 1].trim();
      if (!(last.endsWith('}') || last.endsWith(']'))) continue;
      try {
        return JSON.parse(rest.slice(0, end).join('\n'));
      } catch {
        /* try a shorter slice */
      }
    }
  }
  return undefined;
}

/** Items a node produced in a parsed run (default: the last node executed). */
function nodeOutput(run, nodeName, { runIndex = 0, outputIndex = 0 } = {}) {
  const resultData = run && run.data && run.data.resultData;
  if (!resultData) throw new Error('not an n8n run result');
  const name = nodeName || resultData.lastNodeExecuted;
  const runs = resultData.runData && resultData.runData[name];
  if (!runs) throw new Error(`node "${name}" did not run (ran: ${Object.keys(resultData.runData || {}).join(', ')})`);
  const r = runs[runIndex];
  if (r && r.error) {
    const e = new Error(`node "${name}" failed: ${r.error.message}`);
    e.nodeError = r.error;
    throw e;
  }
  return (r && r.data && r.data.main && r.data.main[outputIndex]) || [];
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Plain HTTP request with a JSON or raw body. Resolves { status, headers, body, text }. */
function httpRequest(url, { method = 'GET', headers = {}, body, timeoutMs = 30000 } = {}) {
  return new Promise((resolve, reject) => {
    const u = new URL(url);
    let payload;
    const h = { ...headers };
    if (body !== undefined && body !== null) {
      if (Buffer.isBuffer(body) || typeof body === 'string') payload = body;
      else {
        payload = JSON.stringify(body);
        if (!Object.keys(h).some((k) => k.toLowerCase() === 'content-type')) h['content-type'] = 'application/json';
      }
      h['content-length'] = Buffer.byteLength(payload);
    }
    const req = http.request(
      { hostname: u.hostname, port: u.port, path: u.pathname + u.search, method, headers: h, timeout: timeoutMs },
      (res) => {
        const chunks = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const buf = Buffer.concat(chunks);
          const text = buf.toString('utf8');
          let parsed = text;
          if (/json/.test(res.headers['content-type'] || '')) {
            try {
              parsed = JSON.parse(text);
            } catch {
              /* keep text */
            }
          }
          resolve({ status: res.statusCode, headers: res.headers, body: parsed, text, buffer: buf });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms: ${method} ${url}`)));
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

// ---------------------------------------------------------------- ensureN8n
const ensured = new Map();

/**
 * Install (first time) or locate n8n `version` via scripts/ensure-n8n.sh; progress goes to stderr.
 * Resolves { nodeBin /* dir with the node binary to use *\/, n8nBin /* path of bin/n8n *\/, version }.
 */
function ensureN8n(version = DEFAULT_VERSION) {
  if (ensured.has(version)) return ensured.get(version);
  const p = new Promise((resolve, reject) => {
    const child = track(
      spawn('bash', [ENSURE_SCRIPT, version], { stdio: ['ignore', 'pipe', 'inherit'], detached: true }),
    );
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.on('error', reject);
    child.on('exit', (code) => {
      const nodeBin = /^NODE_BIN=(.*)$/m.exec(out);
      const n8nBin = /^N8N_BIN=(.*)$/m.exec(out);
      if (code !== 0 || !nodeBin || !n8nBin) {
        return reject(new Error(`ensure-n8n.sh ${version} failed (exit ${code}):\n${tail(out)}`));
      }
      resolve({ nodeBin: nodeBin[1].trim(), n8nBin: n8nBin[1].trim(), version });
    });
  });
  p.catch(() => ensured.delete(version));
  ensured.set(version, p);
  return p;
}

// ---------------------------------------------------------------- instance
class N8nInstance {
  constructor(opts) {
    this.version = opts.version;
    this.nodeBin = opts.nodeBin;
    this.n8nBin = opts.n8nBin;
    this.userFolder = opts.userFolder;
    this.ownsUserFolder = opts.ownsUserFolder;
    this.customExtensions = opts.customExtensions || [];
    this.dataDir = path.join(this.userFolder, '.n8n');
    this.nodesDir = path.join(this.dataDir, 'nodes');
    this.extraEnv = opts.env || {};
    this.binaryDataMode = opts.binaryDataMode;
    this.restrictFileAccessTo = opts.restrictFileAccessTo;
    this.log = opts.log || (() => {});
    this.server = null;
    this.children = new Set();
  }

  get major() {
    return Number(this.version.split('.')[0]);
  }

  /** Environment for every n8n process of this instance. */
  env(extra = {}) {
    const base = {
      ...process.env,
      PATH: `${this.nodeBin}${path.delimiter}${process.env.PATH || ''}`,
      N8N_USER_FOLDER: this.userFolder,
      N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
      // 2.41's default `vm` expression engine (isolated-vm) sometimes segfaults at exit after a good run.
      N8N_EXPRESSION_ENGINE: 'legacy',
      N8N_DIAGNOSTICS_ENABLED: 'false',
      N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
      N8N_TEMPLATES_ENABLED: 'false',
      N8N_PERSONALIZATION_ENABLED: 'false',
      N8N_HIRING_BANNER_ENABLED: 'false',
      N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
      N8N_LOG_LEVEL: 'info', // lower levels suppress the --rawOutput JSON of `n8n execute`
      N8N_LOG_OUTPUT: 'console',
      N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
      N8N_RUNNERS_ENABLED: 'true',
      DB_TYPE: 'sqlite',
      DB_SQLITE_POOL_SIZE: '2',
      NODE_ENV: 'production',
      NODE_OPTIONS: '',
      N8N_SECURE_COOKIE: 'false',
      N8N_GIT_NODE_DISABLE_BARE_REPOS: 'true',
    };
    // keep the machine's npm config / node headers from leaking into n8n's own npm calls
    delete base.npm_config_nodedir;
    delete base.N8N_CUSTOM_EXTENSIONS;
    if (this.customExtensions.length) base.N8N_CUSTOM_EXTENSIONS = this.customExtensions.join(';');
    if (this.binaryDataMode) base.N8N_DEFAULT_BINARY_DATA_MODE = this.binaryDataMode;
    if (this.restrictFileAccessTo) {
      const dirs = [].concat(this.restrictFileAccessTo);
      base.N8N_RESTRICT_FILE_ACCESS_TO = dirs.join(';');
    }
    return { ...base, ...this.extraEnv, ...extra };
  }

  /**
   * Run `n8n <args>` to completion. Resolves { code, signal, stdout, stderr, ms }; never rejects on a
   * non-zero exit (callers decide). Rejects on timeout (the process group is killed).
   * `stdoutToFile: true` collects stdout through a temp file instead of a pipe (complete even when n8n exits
   * right after a large write; `execute` uses it).
   */
  run(args, { timeoutMs = 180000, env = {}, cwd, stdoutToFile = false } = {}) {
    return new Promise((resolve, reject) => {
      const t0 = Date.now();
      // stdoutToFile: n8n (seen with 1.123.81) can exit before a large stdout write to a pipe is flushed, cutting
      // `execute --rawOutput` JSON short (~1 MB); writes to a regular file are synchronous and always complete.
      let outFile;
      let outFd;
      if (stdoutToFile) {
        const dir = path.join(this.userFolder, 'harness-tmp');
        fs.mkdirSync(dir, { recursive: true });
        outFile = path.join(dir, `${Date.now()}-${randomId(6)}-stdout.txt`);
        outFd = fs.openSync(outFile, 'w');
      }
      const child = track(
        spawn(path.join(this.nodeBin, 'node'), [this.n8nBin, ...args], {
          env: this.env(env),
          cwd: cwd || this.userFolder,
          stdio: ['ignore', outFd === undefined ? 'pipe' : outFd, 'pipe'],
          detached: true,
        }),
      );
      if (outFd !== undefined) fs.closeSync(outFd);
      this.children.add(child);
      let stdout = '';
      let stderr = '';
      if (child.stdout) child.stdout.on('data', (d) => (stdout += d));
      child.stderr.on('data', (d) => (stderr += d));
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        killGroup(child, 'SIGKILL');
      }, timeoutMs);
      child.on('error', (e) => {
        clearTimeout(timer);
        reject(e);
      });
      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        this.children.delete(child);
        try {
          process.kill(-child.pid, 'SIGKILL'); // leftovers (task runner) of a finished command
        } catch {
          /* group already empty */
        }
        if (outFile) {
          try {
            stdout = fs.readFileSync(outFile, 'utf8');
            fs.rmSync(outFile, { force: true });
          } catch {
            /* keep what we have */
          }
        }
        const res = { code, signal, stdout, stderr, ms: Date.now() - t0 };
        if (timedOut) {
          const e = new Error(
            `n8n ${args.join(' ')} timed out after ${timeoutMs} ms\n--- stdout ---\n${tail(stdout)}\n--- stderr ---\n${tail(stderr)}`,
          );
          e.result = res;
          return reject(e);
        }
        resolve(res);
      });
    });
  }

  async runOk(args, opts) {
    const res = await this.run(args, opts);
    if (res.code !== 0) {
      const e = new Error(
        `n8n ${args.join(' ')} failed (exit ${res.code}${res.signal ? ', ' + res.signal : ''})\n` +
          `--- stdout ---\n${tail(res.stdout)}\n--- stderr ---\n${tail(res.stderr)}`,
      );
      e.result = res;
      throw e;
    }
    return res;
  }

  async writeTemp(name, data) {
    const dir = path.join(this.userFolder, 'harness-tmp');
    await fsp.mkdir(dir, { recursive: true });
    const file = path.join(dir, `${Date.now()}-${randomId(6)}-${name}`);
    await fsp.writeFile(file, typeof data === 'string' ? data : JSON.stringify(data, null, 2));
    return file;
  }

  /**
   * Import credentials (`n8n import:credentials`). Each entry: { id?, name?, type, data: {plaintext} }.
   * Plaintext `data` objects are encrypted by n8n on import. Returns the list with ids filled in.
   */
  async importCredentials(creds) {
    const list = (Array.isArray(creds) ? creds : [creds]).map((c) => ({
      id: c.id || randomId(16),
      name: c.name || `${c.type} ${randomId(4)}`,
      type: c.type,
      data: c.data || {},
      ...(c.isManaged !== undefined ? { isManaged: c.isManaged } : {}),
    }));
    const file = await this.writeTemp('credentials.json', list);
    try {
      await this.runOk(['import:credentials', `--input=${file}`]);
    } finally {
      // n8n keeps its own encrypted copy; the plaintext file must not outlive the import.
      await fsp.rm(file, { force: true });
    }
    return list;
  }

  /** Import one workflow object (`n8n import:workflow`). Gives it a 16-char alphanumeric id if needed. */
  async importWorkflow(wf) {
    const w = { ...wf };
    if (!w.id || !/^[A-Za-z0-9]{16}$/.test(String(w.id))) w.id = randomId(16);
    if (!w.name) w.name = `harness ${w.id}`;
    if (!w.connections) w.connections = {};
    if (!w.settings) w.settings = { executionOrder: 'v1' };
    if (w.active === undefined) w.active = false;
    for (const n of w.nodes || []) {
      if (!n.id) n.id = crypto.randomUUID();
      if (!n.position) n.position = [0, 0];
      if (n.parameters === undefined) n.parameters = {};
    }
    const file = await this.writeTemp('workflow.json', w);
    await this.runOk(['import:workflow', `--input=${file}`]);
    return w.id;
  }

  /**
   * `n8n execute --id=<id> --rawOutput`, returning the parsed run ({ data: { resultData: { runData,
   * lastNodeExecuted, error? } }, ... }). Throws when the run fails, with n8n's error and output tails
   * (`err.run` holds the parsed run when n8n printed one, `err.result` the raw process result).
   */
  async execute(workflowId, { timeoutMs = 300000, env } = {}) {
    const res = await this.run(['execute', `--id=${workflowId}`, '--rawOutput'], { timeoutMs, env, stdoutToFile: true });
    const run = extractJson(res.stdout);
    const runError = run && run.data && run.data.resultData && run.data.resultData.error;
    const ok = res.code === 0 && run && !runError;
    // 2.41 + isolated-vm: segfault (139/SIGSEGV) after a complete, successful result. Accept it, loudly.
    const crashedAfterSuccess =
      !ok && run && !runError && (res.code === 139 || res.signal === 'SIGSEGV') && run.finished !== false;
    if (ok || crashedAfterSuccess) {
      if (crashedAfterSuccess) process.stderr.write(`[n8n harness] warning: n8n execute crashed at exit (${res.code || res.signal}) after a successful run\n`);
      Object.defineProperty(run, '_process', { value: res, enumerable: false });
      return run;
    }
    let reason;
    if (runError) reason = `${runError.name || 'Error'}: ${runError.message}${runError.description ? ' — ' + runError.description : ''}${runError.node ? ` (node "${runError.node.name}")` : ''}`;
    else if (!run) reason = res.code === 0 ? 'no JSON result in stdout (is N8N_LOG_LEVEL at least info?)' : 'no JSON result in stdout';
    else reason = 'non-zero exit';
    const e = new Error(
      `n8n execute --id=${workflowId} failed (exit ${res.code}${res.signal ? ', ' + res.signal : ''}): ${reason}\n` +
        `--- stdout (tail) ---\n${tail(res.stdout, 3000)}\n--- stderr (tail) ---\n${tail(res.stderr, 3000)}`,
    );
    e.run = run;
    e.result = res;
    throw e;
  }

  /**
   * Install an npm-packed community node package (a .tgz) the way n8n documents for manual installs:
   * into `<N8N_USER_FOLDER>/.n8n/nodes/node_modules/<name>`, without its peer/dev dependencies (like n8n's
   * own installer, so the package resolves n8n-workflow from n8n). n8n scans that folder at startup
   * (`n8n-nodes-*` and `@scope/n8n-nodes-*`) and loads the nodes as `<packageName>.<nodeName>`.
   * A running server does not pick it up until restarted: call this before startServer()/execute().
   * With { register: true } (default) the package is also recorded in n8n's installed_packages/installed_nodes
   * tables so Settings > Community nodes lists it (needs a started-once database; done here via a no-op import).
   * Returns { packageName, version, dir, nodeTypes }.
   */
  async installCommunityPackageFromTarball(tgzPath, { register = true } = {}) {
    const tgz = path.resolve(tgzPath);
    await fsp.mkdir(this.nodesDir, { recursive: true });
    const pkgJsonPath = path.join(this.nodesDir, 'package.json');
    if (!fs.existsSync(pkgJsonPath)) {
      await fsp.writeFile(pkgJsonPath, JSON.stringify({ name: 'installed-nodes', private: true, dependencies: {} }, null, 2));
    }
    const npmEnv = { ...process.env, PATH: `${this.nodeBin}${path.delimiter}${process.env.PATH || ''}` };
    delete npmEnv.npm_config_nodedir;
    await new Promise((resolve, reject) => {
      const child = track(
        spawn(
          'npm',
          ['install', tgz, '--omit=dev', '--omit=peer', '--legacy-peer-deps', '--ignore-scripts', '--no-audit', '--no-fund',
            '--package-lock=false', '--install-strategy=shallow', '--loglevel=error'],
          { cwd: this.nodesDir, env: npmEnv, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
        ),
      );
      let out = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (out += d));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`npm install ${tgz} failed (${code}):\n${tail(out)}`))));
    });
    // npm recorded "file:<tgz>"; n8n's own installer records the plain version. Do the same.
    const rootPkg = JSON.parse(await fsp.readFile(pkgJsonPath, 'utf8'));
    let packageName;
    for (const [name, spec] of Object.entries(rootPkg.dependencies || {})) {
      if (String(spec).startsWith('file:') && path.resolve(this.nodesDir, String(spec).slice(5)) === tgz) packageName = name;
    }
    if (!packageName) throw new Error(`could not find the package installed from ${tgz} in ${pkgJsonPath}`);
    const dir = path.join(this.nodesDir, 'node_modules', packageName);
    const pkg = JSON.parse(await fsp.readFile(path.join(dir, 'package.json'), 'utf8'));
    rootPkg.dependencies[packageName] = pkg.version;
    await fsp.writeFile(pkgJsonPath, JSON.stringify(rootPkg, null, 2));
    if (fs.existsSync(path.join(dir, 'node_modules', 'n8n-workflow'))) {
      throw new Error(`${packageName} brought its own n8n-workflow into ${dir}/node_modules; it must be a peer dependency only`);
    }
    const nodeTypes = await this.describePackageNodes(dir, pkg);
    if (register) await this.registerCommunityPackage(pkg, nodeTypes);
    return { packageName, version: pkg.version, dir, nodeTypes };
  }

  /** [{ name: 'pkg.nodeName', displayName, version }] of a package's nodes, read with n8n's node binary. */
  async describePackageNodes(dir, pkg) {
    const files = ((pkg.n8n && pkg.n8n.nodes) || []).map((f) => path.join(dir, f));
    const script = `
      const path = require('path'); const out = [];
      for (const f of JSON.parse(process.argv[1])) {
        const m = require(f);
        const base = path.basename(f).replace(/\\.node\\.js$/, '');
        const Cls = m[base] || Object.values(m).find((v) => typeof v === 'function');
        const inst = new Cls();
        const d = inst.description || (inst.nodeVersions && Object.values(inst.nodeVersions).pop().description) || {};
        const v = inst.description ? d.version : (inst.currentVersion || inst.defaultVersion);
        out.push({ name: d.name, displayName: d.displayName, version: Array.isArray(v) ? Math.max(...v) : (v || 1) });
      }
      process.stdout.write(JSON.stringify(out));`;
    const res = await new Promise((resolve, reject) => {
      const n8nModules = path.resolve(path.dirname(this.n8nBin), '..', '..'); // <prefix>/node_modules
      const child = spawn(path.join(this.nodeBin, 'node'), ['-e', script, JSON.stringify(files)], {
        env: { ...process.env, NODE_PATH: `${path.join(n8nModules, 'n8n', 'node_modules')}${path.delimiter}${n8nModules}` },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (d) => (out += d));
      child.stderr.on('data', (d) => (err += d));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`reading ${pkg.name}'s nodes failed:\n${tail(err)}`))));
    });
    return JSON.parse(res).map((n) => ({ ...n, name: `${pkg.name}.${n.name}` }));
  }

  /**
   * Record a manually installed package in installed_packages / installed_nodes (what n8n's own installer
   * writes), using n8n's sqlite3 module. The database must exist: a no-op `n8n import:credentials` creates
   * and migrates it when needed.
   */
  async registerCommunityPackage(pkg, nodeTypes) {
    const dbFile = path.join(this.dataDir, 'database.sqlite');
    if (!fs.existsSync(dbFile)) {
      const f = await this.writeTemp('empty.json', []);
      await this.runOk(['import:credentials', `--input=${f}`]);
    }
    const prefixModules = path.resolve(path.dirname(this.n8nBin), '..', '..');
    const script = `
      const sqlite3 = require(${JSON.stringify(path.join(prefixModules, 'sqlite3'))});
      const [dbFile, pkgJson, nodesJson] = process.argv.slice(1);
      const pkg = JSON.parse(pkgJson); const nodes = JSON.parse(nodesJson);
      const db = new sqlite3.Database(dbFile);
      const run = (sql, p) => new Promise((res, rej) => db.run(sql, p, (e) => (e ? rej(e) : res())));
      (async () => {
        await run('PRAGMA foreign_keys = ON');
        await run('DELETE FROM installed_nodes WHERE package = ?', [pkg.name]);
        await run('DELETE FROM installed_packages WHERE packageName = ?', [pkg.name]);
        await run('INSERT INTO installed_packages (packageName, installedVersion, authorName, authorEmail) VALUES (?, ?, ?, ?)',
          [pkg.name, pkg.version, (pkg.author && pkg.author.name) || null, (pkg.author && pkg.author.email) || null]);
        for (const n of nodes) await run('INSERT INTO installed_nodes (name, type, latestVersion, package) VALUES (?, ?, ?, ?)',
          [n.displayName, n.name, n.version, pkg.name]);
        db.close();
      })().catch((e) => { console.error(e); process.exit(1); });`;
    await new Promise((resolve, reject) => {
      const child = spawn(path.join(this.nodeBin, 'node'), ['-e', script, dbFile, JSON.stringify(pkg), JSON.stringify(nodeTypes)], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let err = '';
      child.stderr.on('data', (d) => (err += d));
      child.on('error', reject);
      child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`registering ${pkg.name} in ${dbFile} failed:\n${tail(err)}`))));
    });
  }

  /**
   * Start `n8n start` on 127.0.0.1:<port> (a free one by default), wait for /healthz/readiness, set up the
   * owner and log in. Returns { url, port, webhookUrl(path), request(method, path, body, {headers}),
   * api(method, path, body), activateWorkflow(id), testCredential(...), stop(), logs() }.
   * `request` is authenticated (cookie + browser-id) and resolves { status, headers, body, text };
   * `api` throws on HTTP >= 400 and returns body.data (n8n wraps REST answers in { data }).
   */
  async startServer({ port, timeoutMs = 180000, env = {} } = {}) {
    if (this.server) return this.server;
    const p = port || (await freePort());
    const url = `http://127.0.0.1:${p}`;
    const child = track(
      spawn(path.join(this.nodeBin, 'node'), [this.n8nBin, 'start'], {
        env: this.env({
          N8N_PORT: String(p),
          N8N_LISTEN_ADDRESS: '127.0.0.1',
          N8N_HOST: '127.0.0.1',
          N8N_PROTOCOL: 'http',
          WEBHOOK_URL: `${url}/`,
          N8N_EDITOR_BASE_URL: `${url}/`,
          N8N_SECURE_COOKIE: 'false',
          N8N_RUNNERS_BROKER_PORT: String(await freePort()),
          ...env,
        }),
        cwd: this.userFolder,
        stdio: ['ignore', 'pipe', 'pipe'],
        detached: true,
      }),
    );
    this.children.add(child);
    let logs = '';
    const onData = (d) => {
      logs += d;
      if (logs.length > 2e6) logs = logs.slice(-1e6);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    let exited = null;
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      this.children.delete(child);
    });

    const t0 = Date.now();
    for (;;) {
      if (exited) throw new Error(`n8n start exited early (${exited.code ?? exited.signal})\n${tail(logs)}`);
      if (Date.now() - t0 > timeoutMs) {
        await stopChild(child);
        throw new Error(`n8n start: /healthz/readiness not OK after ${timeoutMs} ms\n${tail(logs)}`);
      }
      try {
        const r = await httpRequest(`${url}/healthz/readiness`, { timeoutMs: 2000 });
        if (r.status === 200) break;
      } catch {
        /* not listening yet */
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    // n8n 1.x answers /healthz/readiness before its REST controllers are mounted (404 "Cannot POST
    // /rest/owner/setup" for a moment): wait for /rest/settings too.
    for (;;) {
      if (exited) throw new Error(`n8n start exited early (${exited.code ?? exited.signal})\n${tail(logs)}`);
      let st = 0;
      try {
        st = (await httpRequest(`${url}/rest/settings`, { timeoutMs: 5000, headers: { 'browser-id': BROWSER_ID } })).status;
      } catch {
        /* retry */
      }
      if (st === 200) break;
      if (Date.now() - t0 > timeoutMs) {
        await stopChild(child);
        throw new Error(`n8n start: /rest/settings not OK (${st}) after ${timeoutMs} ms\n${tail(logs)}`);
      }
      await new Promise((r) => setTimeout(r, 300));
    }
    const readyMs = Date.now() - t0;

    let cookie = '';
    const baseHeaders = () => ({ 'browser-id': BROWSER_ID, ...(cookie ? { cookie } : {}) });
    const takeCookie = (res) => {
      const set = res.headers['set-cookie'] || [];
      for (const c of set) {
        const m = /^(n8n-auth)=([^;]*)/.exec(c);
        if (m && m[2]) cookie = `${m[1]}=${m[2]}`;
      }
    };
    const request = async (method, p2, body, { headers = {}, timeoutMs: t = 60000 } = {}) => {
      const res = await httpRequest(url + p2, { method, body, headers: { ...baseHeaders(), ...headers }, timeoutMs: t });
      takeCookie(res);
      return res;
    };
    const api = async (method, p2, body, opts) => {
      const res = await request(method, p2, body, opts);
      if (res.status >= 400) {
        const e = new Error(`${method} ${p2} → HTTP ${res.status}: ${tail(res.text, 2000)}`);
        e.response = res;
        throw e;
      }
      return res.body && typeof res.body === 'object' && 'data' in res.body ? res.body.data : res.body;
    };

    // owner setup (first start of this user folder) + login
    const setup = await request('POST', '/rest/owner/setup', OWNER);
    if (setup.status >= 400 && !/already|setup/i.test(setup.text)) {
      this.log(`owner setup answered ${setup.status}: ${tail(setup.text, 300)}`);
    }
    const login = await request('POST', '/rest/login', {
      emailOrLdapLoginId: OWNER.email,
      email: OWNER.email,
      password: OWNER.password,
    });
    if (login.status >= 400 || !cookie) {
      await stopChild(child);
      throw new Error(`login failed: HTTP ${login.status} ${tail(login.text, 500)} (owner setup: ${setup.status} ${tail(setup.text, 300)})`);
    }

    const server = {
      url,
      port: p,
      readyMs,
      child,
      owner: { ...OWNER },
      logs: () => logs,
      request,
      api,
      webhookUrl: (webhookPath) => `${url}/webhook/${String(webhookPath).replace(/^\//, '')}`,
      activateWorkflow: (id) => this.activateWorkflow(id),
      testCredential: (...a) => this.testCredential(...a),
      stop: async () => {
        await stopChild(child);
        if (this.server === server) this.server = null;
      },
    };
    this.server = server;
    return server;
  }

  requireServer() {
    if (!this.server) throw new Error('start the server first: await instance.startServer()');
    return this.server;
  }

  /**
   * Activate (2.x: publish) a workflow over REST. 2.x: POST /rest/workflows/:id/activate {versionId};
   * 1.x: PATCH /rest/workflows/:id {active: true, versionId}. Resolves the updated workflow.
   */
  async activateWorkflow(id) {
    const srv = this.requireServer();
    const wf = await srv.api('GET', `/rest/workflows/${id}`);
    if (this.major >= 2) {
      const res = await srv.request('POST', `/rest/workflows/${id}/activate`, { versionId: wf.versionId });
      if (res.status < 400) return res.body.data ?? res.body;
      if (res.status !== 404) throw new Error(`activate ${id}: HTTP ${res.status} ${tail(res.text, 2000)}`);
    }
    return await srv.api('PATCH', `/rest/workflows/${id}`, { active: true, versionId: wf.versionId });
  }

  /**
   * n8n's own credential test (what the editor's "Test" / auto-test on save does):
   * POST /rest/credentials/test { credentials: { id, name, type, data } }. The credential must exist
   * (import it first); `data` fields override the stored values (the harness sends the redacted stored data
   * merged with `data`; n8n un-redacts placeholders). Resolves { status: 'OK' | 'Error', message }.
   */
  async testCredential({ id, type, name, data } = {}) {
    const srv = this.requireServer();
    const stored = await srv.api('GET', `/rest/credentials/${id}?includeData=true`);
    const body = {
      credentials: {
        id,
        name: name || stored.name,
        type: type || stored.type,
        // stored (redacted) values + overrides; n8n swaps redaction placeholders back for the stored secrets
        data: { ...(stored.data || {}), ...(data || {}) },
      },
    };
    return await srv.api('POST', '/rest/credentials/test', body);
  }

  /** Stop the server and any running command; remove the temp user folder (unless N8N_HARNESS_KEEP_TMP). */
  async cleanup() {
    if (this.server) await this.server.stop();
    await Promise.all([...this.children].map((c) => stopChild(c, 3000)));
    if (this.ownsUserFolder && !process.env.N8N_HARNESS_KEEP_TMP) {
      await fsp.rm(this.userFolder, { recursive: true, force: true });
      tempDirs.delete(this.userFolder);
    }
  }
}

/**
 * createInstance({ version = '2.41.1', userFolder?, customExtensions?: string[], env?: {},
 *   binaryDataMode?: 'filesystem'|'default'|'database', restrictFileAccessTo?: string|string[], log? })
 * → N8nInstance. Without userFolder a temp folder is created (and removed by cleanup()/exit).
 */
async function createInstance(opts = {}) {
  const version = opts.version || DEFAULT_VERSION;
  const { nodeBin, n8nBin } = opts.nodeBin && opts.n8nBin ? opts : await ensureN8n(version);
  let userFolder = opts.userFolder;
  let ownsUserFolder = false;
  if (!userFolder) {
    userFolder = await fsp.mkdtemp(path.join(os.tmpdir(), `n8n-${version}-`));
    ownsUserFolder = true;
    tempDirs.add(userFolder);
    installExitHandlers();
  }
  await fsp.mkdir(path.join(userFolder, '.n8n'), { recursive: true });
  const customExtensions = (opts.customExtensions || []).map((d) => path.resolve(d));
  for (const d of customExtensions) if (!isDir(d)) throw new Error(`custom extension folder not found: ${d}`);
  return new N8nInstance({ ...opts, version, nodeBin, n8nBin, userFolder, ownsUserFolder, customExtensions });
}

module.exports = {
  DEFAULT_VERSION,
  ENCRYPTION_KEY,
  OWNER,
  ensureN8n,
  createInstance,
  N8nInstance,
  nodeOutput,
  extractJson,
  randomId,
  freePort,
  httpRequest,
  killAllSync,
};
