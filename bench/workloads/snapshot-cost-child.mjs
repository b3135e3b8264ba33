// One variant of bench/snapshot-cost.mjs in a fresh process. Measures main-
// thread CPU per hit (process.cpuUsage, which also counts work the agent
// defers until after the pause: encoding and sending), yielding to the event
// loop between hits so deferred work runs inside the measured span.
import { createRequire } from 'node:module';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import inspector from 'node:inspector';
import { median } from '../support/peer.mjs';
import { startRemotePeer } from '../support/remotePeer.mjs';

const require = createRequire(import.meta.url);
const work = require('./deep-stack.cjs');
const [variant, hitsArg] = process.argv.slice(2);
const hits = Number(hitsArg);
const DEPTH = Number(process.env.KH_BENCH_DEPTH ?? 16); // 19 frames at the probe

let framesAtProbe;
let peer;
if (variant === 'bare') {
  const s = new inspector.Session();
  s.connect();
  s.on('Debugger.paused', (m) => { framesAtProbe = m.params.callFrames.length; });
  s.post('Debugger.enable');
  s.post('Debugger.setBreakpointByUrl', { url: work.url, lineNumber: work.probeLine - 1 });
} else if (variant === 'agent' || variant === 'agent-top') {
  const dir = mkdtempSync(join(tmpdir(), 'kh-bench-'));
  // The broker peer runs in another process so its work is not counted here.
  peer = await startRemotePeer(join(dir, 'trust.json'));
  const agent = require('@keyhole/agent');
  const r = agent.start({
    brokerUrl: peer.url, service: 'bench', trustFile: join(dir, 'trust.json'),
    // Unlimited rates: this measures the cost of one snapshot, not the limits.
    rate: { snapshotsPerSecond: 1e9, snapshotBurst: 1e9, blockedMsPerSecond: 1e9, defaultMaxHits: 1e9 },
    // agent-top: only the probe frame's variables, which the agent captures without pausing.
    ...(variant === 'agent-top' ? { capture: { maxFramesWithLocals: 1 } } : {}),
  });
  if (!r.started) throw new Error(r.reason);

  peer.setProbe({ id: 'p', location: { path: 'deep-stack.cjs', line: work.probeLine } });
  await peer.waitStatus('p', 'INSTALLED');
}

const yieldNow = () => new Promise((res) => setImmediate(res));
const samples = [];
const blocked = [];
for (let i = 0; i < hits + 30; i++) {
  await yieldNow();
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  work.descend(DEPTH, i); // the pause, if any, happens inside this call
  const wall = performance.now() - t0;
  await yieldNow();
  await yieldNow();
  const c = process.cpuUsage(c0);
  if (i >= 30) {
    samples.push(c.user + c.system);
    blocked.push(wall * 1000);
  }
}
const out = { medianUs: median(samples), blockedUs: median(blocked), frames: framesAtProbe ?? work.lastDepth() };
if (peer) {
  await new Promise((res) => setTimeout(res, 300));
  out.snapshotsReceived = (await peer.counts()).snapshot;
  peer.close();
}
process.stdout.write(JSON.stringify(out));
process.exit(0);
