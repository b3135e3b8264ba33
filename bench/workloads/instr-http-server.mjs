// HTTP server child of bench/idle-instructions.mjs, meant to be run under
// valgrind: the handler of the HTTP benchmarks (http-handler.cjs), with no
// agent ("base") or with the agent connected to a peer in another process,
// grant delivered, no probe ("agent"). Talks over stdio rather than IPC, so it
// runs the same under valgrind: prints {port} when listening; when its stdin
// ends (the load generator has finished), prints {served, workSeconds,
// heartbeats} and exits.
//
//   node instr-http-server.mjs <base|agent>
import http from 'node:http';
import { createRequire } from 'node:module';
import { startAgentWithPeer } from '../support/agentHarness.mjs';

const require = createRequire(import.meta.url);
const handler = require('./http-handler.cjs');
const variant = process.argv[2];

let peer;
if (variant === 'agent') ({ peer } = await startAgentWithPeer());
else if (variant !== 'base') throw new Error(`unknown variant ${variant}`);

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

process.stdin.resume();
process.stdin.on('end', () => {
  const out = { variant, served: handler.served(), workSeconds: (performance.now() - t0) / 1000, heartbeats: peer ? peer.heartbeats.length - beats0 : 0 };
  if (peer) peer.close();
  process.stdout.write(JSON.stringify(out) + '\n');
  process.exit(0);
});
