// HTTP server child for the HTTP benchmarks, one variant per process. Talks to
// its parent over IPC: {ready, port} when listening; 'start' resets the CPU
// and request counters; 'stop' answers with {stats}; 'exit' ends the process.
// Server CPU per request (process.cpuUsage, the agent's work included) is the
// stable figure on a shared machine; req/s comes from the load generator.
//
//   node http-server.mjs <variant>
// variants:
//   base              no agent
//   idle              agent connected, grant delivered, no probe
//   logpoint-never    logpoint on the handler line, condition req.url === "/never"
//   snapshot-never    snapshot probe on the handler line, same condition
//   snapshot-limited  snapshot probe on the handler line, no condition, default rate (1/s, burst 5)
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
  'snapshot-limited': { id: 'sl', kind: 1, location },
};
if (!['base', 'idle', ...Object.keys(PROBES)].includes(variant)) throw new Error(`unknown variant ${variant}`);

let peer;
let agent;
let installedAt = 0;
if (variant !== 'base') {
  ({ peer, agent } = await startAgentWithPeer());
  const probe = PROBES[variant];
  if (probe) {
    await installProbe(peer, probe);
    installedAt = Date.now();
  }
}

const server = http.createServer(handler.handle);
server.keepAliveTimeout = 60_000;
server.listen(0, '127.0.0.1', () => process.send({ ready: true, port: server.address().port }));

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
      // Let a heartbeat that covers the end of the window arrive.
      await new Promise((r) => setTimeout(r, 1100));
      stats.counts = await peer.counts();
      stats.heartbeats = heartbeatSummary(peer.heartbeats, startedAt);
      stats.status = agent.status();
      stats.probeStatuses = peer.statuses.map((s) => `${s.probeId}:${s.state}${s.code ? `:${s.code}` : ''}`);
      stats.secondsSinceInstalled = installedAt ? (Date.now() - installedAt) / 1000 : 0;
      stats.windowSeconds = (Date.now() - startedAt) / 1000;
    }
    process.send({ stats });
  } else if (msg === 'exit') {
    peer?.close();
    server.close();
    process.exit(0);
  }
});
