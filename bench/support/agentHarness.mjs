// Starts the real agent inside a measured process, connected to a broker peer
// that runs in its own process (its work is not counted here), with a signed
// grant delivered. Used by the children of idle, unsampled, rate-limited and
// memory benchmarks.
import { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRemotePeer } from './remotePeer.mjs';

const require = createRequire(import.meta.url);

/** Heartbeat interval asked of the agent, so its stats (budget, declines, armed probes) can be read. Default 1 s (the agent's floor). */
export const BENCH_HEARTBEAT_MS = 1000;

/** How long to wait for the agent to connect and take the grant. Default 10 s. */
export const CONNECT_TIMEOUT_MS = 10_000;

/**
 * Returns { agent, peer } once the agent is connected and has had time to
 * verify the grant. `rate` overrides the agent's RateSettings (defaults otherwise).
 */
export async function startAgentWithPeer({ rate, capture, heartbeatIntervalMs = BENCH_HEARTBEAT_MS } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'kh-bench-'));
  const trustFile = join(dir, 'trust.json');
  const peer = await startRemotePeer(trustFile, 'bench', { heartbeatIntervalMs });
  const agent = require('@keyhole/agent');
  const r = agent.start({ brokerUrl: peer.url, service: 'bench', trustFile, ...(rate ? { rate } : {}), ...(capture ? { capture } : {}) });
  if (!r.started) throw new Error(`agent did not start: ${r.reason}`);
  const deadline = Date.now() + CONNECT_TIMEOUT_MS;
  while (!agent.status()?.connected) {
    if (Date.now() > deadline) throw new Error(`agent did not connect: ${JSON.stringify(agent.status())}`);
    await new Promise((res) => setTimeout(res, 10));
  }
  // The grant follows the Welcome on the same socket; let it arrive and be verified.
  await new Promise((res) => setTimeout(res, 200));
  return { agent, peer };
}

/** Sets a probe and waits until the agent reports it INSTALLED (its breakpoint is armed). */
export async function installProbe(peer, probe) {
  peer.setProbe(probe);
  await peer.waitStatus(probe.id, 'INSTALLED');
}

/**
 * Summary of heartbeats received since `sinceMs` (agent wall clock): how many,
 * the share that saw the probe armed, the budget used at each beat, and the
 * last cumulative counters.
 */
export function heartbeatSummary(heartbeats, sinceMs = 0) {
  const beats = heartbeats.filter((h) => h.atMs >= sinceMs);
  const last = heartbeats[heartbeats.length - 1];
  return {
    beats: beats.length,
    armedShare: beats.length ? beats.filter((h) => h.probesArmed > 0).length / beats.length : NaN,
    budgetUsedMicros: beats.map((h) => h.budgetUsedMicros),
    hitsDeclined: last?.hitsDeclined ?? 0,
    snapshotsCaptured: last?.snapshotsCaptured ?? 0,
    droppedFrames: last?.droppedFrames ?? 0,
  };
}
