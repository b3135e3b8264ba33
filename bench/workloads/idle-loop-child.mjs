// One variant of bench/idle.mjs in a fresh process: ops per CPU second of one loop body,
// with no agent ("base") or with the agent connected to a peer, grant
// delivered, and no probe ("agent"). Prints one JSON line.
//
//   node idle-loop-child.mjs <sync|async|throw|eval> <base|agent> [batches]
import { createRequire } from 'node:module';
import { startAgentWithPeer } from '../support/agentHarness.mjs';
import { median } from '../support/stats.mjs';

const require = createRequire(import.meta.url);
const { makeRequests, ops } = require('./loops.cjs');
const [workload, variant, batchesArg] = process.argv.slice(2);
/** Target length of one timed batch. */
const BATCH_MS = 60;
/** Warm-up before timing, so every variant is measured in optimized code. */
const WARMUP_MS = 400;
const batches = Number(batchesArg ?? 15);

const op = ops[workload];
if (!op) throw new Error(`unknown workload ${workload}`);
const reqs = makeRequests(1024);
const isAsync = workload === 'async';
let sink = 0;
function runSync(n) {
  let acc = 0;
  for (let i = 0; i < n; i++) acc += op(reqs[i & 1023]);
  sink += acc;
}
async function runAsync(n) {
  let acc = 0;
  for (let i = 0; i < n; i++) acc += await op(reqs[i & 1023]);
  sink += acc;
}
const run = isAsync ? runAsync : runSync;
async function timed(n) {
  const t0 = performance.now();
  await run(n);
  return performance.now() - t0;
}
// CPU time, not wall time: on a shared machine the process is descheduled at
// random, and wall time would charge that to whichever variant was unlucky.
async function cpuTimedMs(n) {
  const c0 = process.cpuUsage();
  await run(n);
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1000;
}

let peer;
if (variant === 'agent') ({ peer } = await startAgentWithPeer());
else if (variant !== 'base') throw new Error(`unknown variant ${variant}`);

let n = 64;
for (let dt = await timed(n); dt < 15; dt = await timed(n)) n *= 2;
const warmEnd = performance.now() + WARMUP_MS;
while (performance.now() < warmEnd) await run(n);
// Re-calibrate on warm code so a batch lasts about BATCH_MS.
n = Math.max(1, Math.round((n * BATCH_MS) / (await timed(n))));
const rates = [];
for (let b = 0; b < batches; b++) {
  // Let the agent's timers and socket run between batches, as in a real event loop.
  await new Promise((r) => setImmediate(r));
  rates.push((n / (await cpuTimedMs(n))) * 1000);
}
const out = { workload, variant, opsPerSec: median(rates), batchN: n, sink: sink & 1 };
if (peer) peer.close();
process.stdout.write(JSON.stringify(out) + '\n');
process.exit(0);
