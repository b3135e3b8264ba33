// Runs a benchmark broker peer in its own process, so its work is not counted
// in the measured process. Prints one JSON line {url} when ready; reads JSON
// command lines on stdin ({"setProbe": {...}} / {"removeProbe": "id"} /
// {"counts": true} / {"snapshotMicros": true}); writes
// {"status": {...}}, {"heartbeat": {...}}, {"counts": {...}} and
// {"snapshotMicros": [...]} lines.
// argv: trustPath [service] [heartbeatIntervalMs].
import { createInterface } from 'node:readline';
import { startPeer } from './peer.mjs';

const trustPath = process.argv[2];
const service = process.argv[3] ?? 'bench';
const heartbeatIntervalMs = process.argv[4] ? Number(process.argv[4]) : undefined;
const peer = await startPeer(trustPath, service, { heartbeatIntervalMs });
const say = (o) => process.stdout.write(JSON.stringify(o) + '\n');
say({ url: peer.url });
let reported = 0;
let beatsReported = 0;
setInterval(() => {
  while (reported < peer.statuses.length) say({ status: peer.statuses[reported++] });
  while (beatsReported < peer.heartbeats.length) say({ heartbeat: peer.heartbeats[beatsReported++] });
}, 20);
for await (const line of createInterface({ input: process.stdin })) {
  const cmd = JSON.parse(line);
  if (cmd.setProbe) void peer.setProbe(cmd.setProbe);
  if (cmd.removeProbe) void peer.removeProbe(cmd.removeProbe);
  if (cmd.counts) say({ counts: peer.counts });
  if (cmd.snapshotMicros) say({ snapshotMicros: peer.snapshotMicros });
}
process.exit(0);
