// One run of bench/idle-instructions.mjs, meant to be run under valgrind: a
// FIXED number of ops of one loop body (not a duration, so the instruction
// count depends on the work, not on how slow valgrind is), with no agent
// ("base") or with the agent connected to a peer in another process, grant
// delivered, no probe ("agent"). Prints one JSON line.
//
//   node instr-loop-child.mjs <sync|async|throw|eval> <base|agent> <ops> [batch] [heartbeatIntervalMs]
import { createRequire } from 'node:module';
import { startAgentWithPeer } from '../support/agentHarness.mjs';

const require = createRequire(import.meta.url);
const { makeRequests, ops } = require('./loops.cjs');
const [workload, variant, opsArg, batchArg, heartbeatArg] = process.argv.slice(2);
/**
 * Ops between two turns of the event loop. Default 2,000: a few ms of work
 * natively, so the agent's timers and socket get their turns as in a real
 * event loop, and turns are the same for both variants.
 */
const BATCH = Number(batchArg ?? 2000);
const total = Number(opsArg);

const op = ops[workload];
if (!op) throw new Error(`unknown workload ${workload}`);
if (!(total > 0)) throw new Error(`ops must be a positive number, got ${opsArg}`);
const reqs = makeRequests(1024);
let sink = 0;
function runSync(from, to) {
  let acc = 0;
  for (let i = from; i < to; i++) acc += op(reqs[i & 1023]);
  sink += acc;
}
async function runAsync(from, to) {
  let acc = 0;
  for (let i = from; i < to; i++) acc += await op(reqs[i & 1023]);
  sink += acc;
}
const run = workload === 'async' ? runAsync : runSync;

let peer;
if (variant === 'agent') ({ peer } = await startAgentWithPeer(heartbeatArg ? { heartbeatIntervalMs: Number(heartbeatArg) } : {}));
else if (variant !== 'base') throw new Error(`unknown variant ${variant}`);

const beats0 = peer ? peer.heartbeats.length : 0;
const t0 = performance.now();
for (let done = 0; done < total; done += BATCH) {
  await run(done, Math.min(total, done + BATCH));
  await new Promise((r) => setImmediate(r));
}
// Heartbeats the peer received while the ops ran: the agent's periodic work inside the work.
const out = { workload, variant, ops: total, workSeconds: (performance.now() - t0) / 1000, heartbeats: peer ? peer.heartbeats.length - beats0 : 0, sink: sink & 1 };
if (peer) peer.close();
process.stdout.write(JSON.stringify(out) + '\n');
process.exit(0);
