'use strict';
/**
 * The StepFun simulator in its own process, driven over IPC by scripts/bench.js, so its CPU and memory are
 * not counted in the benchmark process or in n8n's.
 *
 * The simulator renders a fresh PNG for every answer (makePng: ~60 ms for 256×256, ~110 ms for 1024×1024 on
 * this machine). A real API does that work on its own servers, within its latency; here it would run on the
 * same 2 cores, one answer after the other, and add up to a second per round of 10 answers. So makePng is
 * memoized per size before the simulator loads: every answer of a given size carries the same (realistic,
 * poorly compressible) PNG and the per-request latency is the configured one. Above 1024×1024 (the 4096×4096
 * memory measurement) the answer is a noise PNG, so the edited image is as large as the input, as with a photo.
 *
 * Messages: { id, cmd: 'start'|'reset'|'setFaults'|'stats'|'prewarm'|'close', args } → { id, result | error }.
 */
const png = require('../simulator/png.js');

const crypto = require('node:crypto');

const originalMakePng = png.makePng;
/** Random RGB pixels: as large as a photo-like PNG gets (the simulator's pattern compresses to ~4% at 4096²). */
function noisePng(width, height, level) {
  const stride = 1 + width * 3;
  const raw = crypto.randomBytes(stride * height);
  for (let y = 0; y < height; y++) raw[y * stride] = 0;
  return png.encodePngFromScanlines(width, height, raw, level ?? 1);
}
const memo = new Map();
png.makePng = function makePngMemo(width, height, _key, level) {
  const k = `${width}x${height}x${level ?? 1}`;
  let buf = memo.get(k);
  if (!buf) {
    buf =
      width * height > 1024 * 1024
        ? noisePng(width, height, level)
        : originalMakePng(width, height, 'stepfun-bench-output', level);
    memo.set(k, buf);
  }
  return buf;
};
const { startSimulator } = require('../simulator/index.js');

let sim;
const handlers = {
  async start(opts) {
    sim = await startSimulator(opts);
    return { stepPlanBaseUrl: sim.stepPlanBaseUrl, url: sim.url, apiKey: sim.apiKey };
  },
  reset() {
    sim.reset();
    return true;
  },
  setFaults(f) {
    const faults = sim.setFaults(f);
    return { ...faults, script: undefined };
  },
  stats() {
    const s = sim.stats();
    const reqs = sim.apiRequests();
    const firstAt = reqs.length ? reqs[0].receivedAt : null;
    const lastAt = reqs.length ? Math.max(...reqs.map((r) => r.finishedAt || r.receivedAt)) : null;
    return { ...s, firstAt, lastAt };
  },
  prewarm(sizes) {
    for (const [w, h] of sizes) png.makePng(w, h, 'x');
    return true;
  },
  async close() {
    if (sim) await sim.close();
    setImmediate(() => process.exit(0));
    return true;
  },
};

process.on('message', async (msg) => {
  try {
    const result = await handlers[msg.cmd](msg.args);
    process.send({ id: msg.id, result });
  } catch (e) {
    process.send({ id: msg.id, error: String((e && e.stack) || e) });
  }
});
process.on('disconnect', () => process.exit(0));
