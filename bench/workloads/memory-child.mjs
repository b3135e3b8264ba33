// One run of bench/memory.mjs: N snapshots of a small function with the agent
// at unlimited rates, heap and RSS after forced GC at every checkpoint.
// Needs --expose-gc. Prints one JSON line.
//
//   node --expose-gc memory-child.mjs <snapshots> <checkpointEvery>
// KH_BENCH_PAUSE_FREE=1: capture.maxFramesWithLocals 1, so every snapshot is taken without a pause.
import { createRequire } from 'node:module';
import { heartbeatSummary, installProbe, startAgentWithPeer } from '../support/agentHarness.mjs';

const require = createRequire(import.meta.url);
const fn = require('./small-function.cjs');
const [total, every] = process.argv.slice(2).map(Number);
/** Hits between yields to the event loop, so the agent can send and the peer keep up. */
const YIELD_EVERY = 50;
/** Longest wait at a checkpoint for the peer to count every snapshot sent so far. */
const CATCH_UP_MS = 30_000;

if (typeof globalThis.gc !== 'function') throw new Error('run with --expose-gc');
const unlimited = { snapshotsPerSecond: 1e9, snapshotBurst: 1e9, blockedMsPerSecond: 1e9, defaultMaxHits: 1e9 };
const pauseFree = process.env.KH_BENCH_PAUSE_FREE === '1';
const { peer } = await startAgentWithPeer({ rate: unlimited, ...(pauseFree ? { capture: { maxFramesWithLocals: 1 } } : {}) });
await installProbe(peer, { id: 'm', kind: 1, location: { path: fn.probePath, line: fn.probeLine } });

const tick = () => new Promise((r) => setImmediate(r));
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function measure() {
  globalThis.gc();
  globalThis.gc();
  const m = process.memoryUsage();
  return { heapMB: m.heapUsed / 1e6, rssMB: m.rss / 1e6, externalMB: m.external / 1e6 };
}

const checkpoints = [];
let sink = 0;
const t0 = performance.now();
for (let done = 0; done < total; ) {
  const stop = Math.min(total, done + every);
  for (; done < stop; done++) {
    sink += fn.small(done);
    if (done % YIELD_EVERY === 0) await tick();
  }
  // Wait for the peer to count what was sent, so queued frames do not count as growth.
  let received = 0;
  const deadline = performance.now() + CATCH_UP_MS;
  while (performance.now() < deadline) {
    received = (await peer.counts()).snapshot;
    if (received >= done) break;
    await sleep(20);
  }
  checkpoints.push({ snapshots: done, received, seconds: (performance.now() - t0) / 1000, ...measure() });
  process.stderr.write(`  ${done} snapshots, heap ${checkpoints.at(-1).heapMB.toFixed(2)} MB, rss ${checkpoints.at(-1).rssMB.toFixed(1)} MB\n`);
}
await sleep(1100);
const hb = heartbeatSummary(peer.heartbeats);
peer.close();
process.stdout.write(JSON.stringify({ checkpoints, captured: hb.snapshotsCaptured, dropped: hb.droppedFrames, sink: sink & 1 }) + '\n');
process.exit(0);
