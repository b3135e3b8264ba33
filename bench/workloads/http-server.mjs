// HTTP server child for the HTTP benchmarks, one variant per process. Talks to
// its parent over IPC: {ready, port} when listening; 'start' resets the CPU
// and request counters; 'stop' answers with {stats}; {alternate: {...}} runs
// paired phases (below) and answers with {phases}; 'exit' ends the process.
// Server CPU per request (process.cpuUsage, the agent's work included) is the
// stable figure on a shared machine; req/s comes from the load generator.
//
//   node http-server.mjs <variant>
// variants:
//   base                no agent
//   idle                agent connected, grant delivered, no probe
//   logpoint-never      logpoint on the handler line, condition req.url === "/never"
//   snapshot-never      snapshot probe on the handler line, same condition
//   snapshot-elsewhere  snapshot probe armed on a line no request runs (the debugger is on, nothing is evaluated)
//   snapshot-limited    snapshot probe on the handler line, no condition, default rate (1/s, burst 5)
//   snapshot-limited-top  the same with capture.maxFramesWithLocals 1: captured without a pause
//   snapshot-never-top  snapshot-never with capture.maxFramesWithLocals 1 (its condition carries the variable reads)
import http from 'node:http';
import { createRequire } from 'node:module';
import { heartbeatSummary, installProbe, startAgentWithPeer } from '../support/agentHarness.mjs';

const require = createRequire(import.meta.url);
const handler = require('./http-handler.cjs');
const variant = process.argv[2];
const NEVER = 'req.url === "/never"';
const location = { path: handler.probePath, line: handler.probeLine };
const PROBES = {
  'logpoint-never': { id: 'lp', kind: 2, location, condition: NEVER, logTemplate: 'url {req.url}' },
  'snapshot-never': { id: 'sn', kind: 1, location, condition: NEVER },
  'snapshot-elsewhere': { id: 'se', kind: 1, location: { path: handler.probePath, line: handler.elsewhereLine } },
  'snapshot-limited': { id: 'sl', kind: 1, location },
  'snapshot-limited-top': { id: 'sl', kind: 1, location },
  'snapshot-never-top': { id: 'sn', kind: 1, location, condition: NEVER },
};
/** Variants whose agent captures only the probe frame's variables (pause-free). */
const PAUSE_FREE = new Set(['snapshot-limited-top', 'snapshot-never-top']);
/** Variants whose probe is set per phase by {alternate}, not at start-up. */
const alternating = process.argv[3] === 'alternate';
if (!['base', 'idle', ...Object.keys(PROBES)].includes(variant)) throw new Error(`unknown variant ${variant}`);

let peer;
let agent;
let installedAt = 0;
if (variant !== 'base') {
  ({ peer, agent } = await startAgentWithPeer(PAUSE_FREE.has(variant) ? { capture: { maxFramesWithLocals: 1 } } : {}));
  const probe = PROBES[variant];
  if (probe && !alternating) {
    await installProbe(peer, probe);
    installedAt = Date.now();
  }
}

// First and last request under load, for the snapshots a rate limit allows.
let firstRequestAt = 0;
let lastRequestAt = 0;
const server = http.createServer((req, res) => {
  lastRequestAt = Date.now();
  if (!firstRequestAt) firstRequestAt = lastRequestAt;
  handler.handle(req, res);
});
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send({ ready: true, port: server.address().port }));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * Paired phases in this one process under steady load: even phases with the
 * agent idle, odd phases with the variant's probe armed (set, then removed).
 * Pairs taken a second apart see the same machine, so their ratio is far
 * less noisy than one between processes. Each phase starts after a settle
 * delay, so Debugger.enable/disable stalls are not inside a phase.
 */
async function alternate({ phases, phaseMs, settleMs }) {
  const out = [];
  // An unmeasured idle phase first: the load generator's and server's warm-up tail.
  await sleep(phaseMs);
  for (let k = 0; k < phases; k++) {
    const armed = k % 2 === 1;
    const id = `${PROBES[variant].id}-${k}`;
    if (armed) await installProbe(peer, { ...PROBES[variant], id });
    await sleep(settleMs);
    const c0 = process.cpuUsage();
    const s0 = handler.served();
    const t0 = performance.now();
    await sleep(phaseMs);
    const c = process.cpuUsage(c0);
    const requests = handler.served() - s0;
    out.push({ armed, requests, cpuUs: c.user + c.system, seconds: (performance.now() - t0) / 1000 });
    if (armed) {
      peer.removeProbe(id);
      await peer.waitStatus(id, 'REMOVED');
    }
  }
  return out;
}

let cpu0;
let served0 = 0;
let startedAt = 0;
process.on('message', async (msg) => {
  if (msg === 'start') {
    cpu0 = process.cpuUsage();
    served0 = handler.served();
    startedAt = Date.now();
    process.send({ started: true });
  } else if (msg === 'stop') {
    const c = process.cpuUsage(cpu0);
    const stats = { variant, requests: handler.served() - served0, cpuUs: c.user + c.system };
    if (peer) {
      stats.loadSeconds = installedAt ? (lastRequestAt - Math.max(firstRequestAt, installedAt)) / 1000 : 0;
      // Let a heartbeat that covers the end of the window arrive.
      await sleep(1100);
      stats.counts = await peer.counts();
      stats.snapshotMicros = await peer.snapshotMicros();
      stats.heartbeats = heartbeatSummary(peer.heartbeats, startedAt);
      stats.status = agent.status();
      stats.probeStatuses = [...new Set(peer.statuses.map((s) => `${s.probeId.replace(/-\d+$/, '')}:${s.state}${s.code ? `:${s.code}` : ''}`))];
      stats.secondsSinceInstalled = installedAt ? (Date.now() - installedAt) / 1000 : 0;
      stats.windowSeconds = (Date.now() - startedAt) / 1000;
    }
    process.send({ stats });
  } else if (msg && msg.alternate) {
    const phases = await alternate(msg.alternate);
    const counts = await peer.counts();
    process.send({ phases: { phases, counts } });
  } else if (msg === 'exit') {
    peer?.close();
    server.close();
    process.exit(0);
  }
});
