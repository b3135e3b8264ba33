// HTTP server child of bench/idle-instructions.mjs and
// bench/rate-limited-instructions.mjs, meant to be run under valgrind: the
// handler of the HTTP benchmarks (http-handler.cjs), with no agent ("base"),
// with the agent connected to a peer in another process, grant delivered, no
// probe ("agent"), or the same agent ready to take a snapshot probe on the
// PROBE line ("probe"; its agent options, e.g. {rate, capture}, as JSON in
// the second argument). Talks over stdio rather than IPC, so it runs the same
// under valgrind: prints {port} when listening; on an `install` line on stdin
// ("probe" only) sets the probe and prints {installed} once the agent armed
// it; when its stdin ends (the load generator has finished), prints {served,
// workSeconds, heartbeats, ...} and exits.
//
//   node instr-http-server.mjs <base|agent|probe> [agentOptionsJson]
import http from 'node:http';
import inspector from 'node:inspector';
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';
import { installProbe, startAgentWithPeer } from '../support/agentHarness.mjs';

const require = createRequire(import.meta.url);
const handler = require('./http-handler.cjs');
const [variant, optionsJson] = process.argv.slice(2);
if (!['base', 'agent', 'probe'].includes(variant)) throw new Error(`unknown variant ${variant}`);

/**
 * Inspector commands and events of the agent's session, by name, for the
 * "probe" variant only: how many breakpoints it set (arm, re-arm) and removed
 * (disarm), object groups it released, pauses it saw. Counting is a map
 * increment per command; the other variants run without the hook.
 */
const inspectorCalls = {};
if (variant === 'probe') {
  const count = (name) => (inspectorCalls[name] = (inspectorCalls[name] ?? 0) + 1);
  const { post, emit } = inspector.Session.prototype;
  inspector.Session.prototype.post = function (method, ...rest) {
    count(method);
    return post.call(this, method, ...rest);
  };
  inspector.Session.prototype.emit = function (event, ...rest) {
    if (event === 'Debugger.paused') count(event);
    return emit.call(this, event, ...rest);
  };
}

/** After the load ends, how long to let deferred snapshot sends reach the peer before counting them. Default 1.5 s of wall time. */
const DRAIN_MS = 1500;

let peer;
if (variant !== 'base') ({ peer } = await startAgentWithPeer(optionsJson ? JSON.parse(optionsJson) : {}));

// From the first request on: the wall time and heartbeats (the agent's periodic work) under load.
let t0 = 0;
let beats0 = 0;
const server = http.createServer((req, res) => {
  if (!t0) {
    t0 = performance.now();
    beats0 = peer ? peer.heartbeats.length : 0;
  }
  handler.handle(req, res);
});
server.keepAliveTimeout = 600_000;
server.listen(0, '127.0.0.1', () => process.stdout.write(JSON.stringify({ port: server.address().port }) + '\n'));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let installed;
createInterface({ input: process.stdin })
  .on('line', async (line) => {
    if (line.trim() !== 'install' || variant !== 'probe') return;
    await installProbe(peer, { id: 'rl', kind: 1, location: { path: handler.probePath, line: handler.probeLine } });
    installed = { at: performance.now(), served: handler.served(), calls: { ...inspectorCalls } };
    process.stdout.write(JSON.stringify({ installed: true, served: installed.served }) + '\n');
  })
  .on('close', async () => {
    const out = { variant, served: handler.served(), workSeconds: (performance.now() - t0) / 1000, heartbeats: peer ? peer.heartbeats.length - beats0 : 0 };
    if (installed) {
      out.windowSeconds = (performance.now() - installed.at) / 1000;
      out.windowRequests = handler.served() - installed.served;
      await sleep(DRAIN_MS);
      out.snapshots = (await peer.counts()).snapshot;
      out.inspector = Object.fromEntries(Object.entries(inspectorCalls).map(([k, v]) => [k, v - (installed.calls[k] ?? 0)]));
      const last = peer.heartbeats[peer.heartbeats.length - 1];
      out.agentStats = last && { snapshotsCaptured: last.snapshotsCaptured, hitsDeclined: last.hitsDeclined, budgetUsedMicros: last.budgetUsedMicros };
    }
    if (peer) peer.close();
    process.stdout.write(JSON.stringify(out) + '\n');
    process.exit(0);
  });
