// Client side of peer-process.mjs, used inside measured processes.
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));

// options.heartbeatIntervalMs: see startPeer; heartbeats arrive in `heartbeats`.
export async function startRemotePeer(trustPath, service = 'bench', options = {}) {
  const args = [join(here, 'peer-process.mjs'), trustPath, service];
  if (options.heartbeatIntervalMs) args.push(String(options.heartbeatIntervalMs));
  const child = spawn(process.execPath, args, { stdio: ['pipe', 'pipe', 'inherit'] });
  child.unref();
  const lines = createInterface({ input: child.stdout });
  const statuses = [];
  const heartbeats = [];
  let counts;
  let snapshotMicros;
  let resolveUrl;
  const urlReady = new Promise((r) => (resolveUrl = r));
  lines.on('line', (l) => {
    const m = JSON.parse(l);
    if (m.url) resolveUrl(m.url);
    if (m.status) statuses.push(m.status);
    if (m.heartbeat) heartbeats.push(m.heartbeat);
    if (m.counts) counts = m.counts;
    if (m.snapshotMicros) snapshotMicros = m.snapshotMicros;
  });
  const url = await urlReady;
  const send = (o) => child.stdin.write(JSON.stringify(o) + '\n');
  return {
    url,
    statuses,
    heartbeats,
    setProbe: (probe) => send({ setProbe: probe }),
    removeProbe: (id) => send({ removeProbe: id }),
    async waitStatus(probeId, state) {
      for (let i = 0; i < 600; i++) {
        if (statuses.some((s) => s.probeId === probeId && s.state === state)) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`probe ${probeId} never reached state ${state}: ${JSON.stringify(statuses)}`);
    },
    async counts() {
      counts = undefined;
      send({ counts: true });
      for (let i = 0; i < 200 && !counts; i++) await new Promise((r) => setTimeout(r, 10));
      return counts;
    },
    /** Blocked µs the agent measured for each snapshot received so far. */
    async snapshotMicros() {
      snapshotMicros = undefined;
      send({ snapshotMicros: true });
      for (let i = 0; i < 200 && !snapshotMicros; i++) await new Promise((r) => setTimeout(r, 10));
      return snapshotMicros ?? [];
    },
    close: () => child.kill(),
  };
}
