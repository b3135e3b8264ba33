// A minimal real broker peer for benchmarks: accepts an agent, welcomes it,
// delivers a signed grant and probes, and counts what comes back.
import { once } from 'node:events';
import { generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { WebSocketServer } = require('ws');
const { pb, currentVersion, decodeAgentMessage, encodeBrokerMessage } = require('@keyhole/protocol');

// options.heartbeatIntervalMs: what the Welcome asks of the agent (default
// 60 s, i.e. quiet); benchmarks that read the agent's stats ask for 1 s.
export async function startPeer(trustPath, service = 'bench', options = {}) {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  writeFileSync(trustPath, JSON.stringify({ version: 1, service, approvalsRequired: 1, maxWindowMs: 3_600_000, approvers: [{ id: 'ann', publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() }] }));
  const server = new WebSocketServer({ host: '127.0.0.1', port: 0 });
  await once(server, 'listening');
  const counts = { snapshot: 0, logLine: 0, probeStatus: 0 };
  const statuses = [];
  const heartbeats = [];
  // Blocked time the agent measured for each snapshot (Snapshot.stats.durationMicros).
  const snapshotMicros = [];
  let socket;
  const connected = new Promise((resolve) => {
    server.on('connection', (ws) => {
      socket = ws;
      ws.on('message', (data) => {
        const r = decodeAgentMessage(data);
        if (!r.ok) return;
        if (r.message.body === 'hello') {
          ws.send(encodeBrokerMessage({ welcome: { version: currentVersion(), serviceEnabled: true, heartbeatIntervalMs: options.heartbeatIntervalMs ?? 60_000 } }));
          const now = Date.now();
          const body = pb.GrantBody.encode(pb.GrantBody.create({ grantId: 'g', service, scopeGlobs: ['**'], kinds: [1, 2], requester: 'dev', notBeforeMs: now - 1000, notAfterMs: now + 3_500_000, nonce: randomBytes(16) })).finish();
          ws.send(encodeBrokerMessage({ grant: { grant: { body, approvals: [{ approverId: 'ann', signature: sign(null, body, privateKey) }] } } }));
          resolve();
        } else {
          counts[r.message.body] = (counts[r.message.body] ?? 0) + 1;
          if (r.message.body === 'probeStatus') statuses.push(r.message.probeStatus);
          if (r.message.body === 'heartbeat') heartbeats.push(heartbeatStats(r.message.heartbeat));
          if (r.message.body === 'snapshot') snapshotMicros.push(Number(r.message.snapshot?.stats?.durationMicros ?? 0));
        }
      });
    });
  });
  return {
    url: `ws://127.0.0.1:${server.address().port}/agent`,
    counts,
    statuses,
    heartbeats,
    snapshotMicros,
    connected,
    async setProbe(probe) {
      await connected;
      socket.send(encodeBrokerMessage({ setProbe: { probe: { grantId: 'g', kind: 1, ...probe } } }));
    },
    async removeProbe(probeId) {
      await connected;
      socket.send(encodeBrokerMessage({ removeProbe: { probeId } }));
    },
    async waitStatus(probeId, state) {
      for (let i = 0; i < 400; i++) {
        if (statuses.some((s) => s.probeId === probeId && s.state === state)) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`probe ${probeId} never reached state ${state}: ${JSON.stringify(statuses)}`);
    },
    close: () => new Promise((r) => { for (const c of server.clients) c.terminate(); server.close(r); }),
  };
}

// Plain numbers (uint64 fields arrive as Long) so the stats cross process boundaries as JSON.
function heartbeatStats(hb) {
  const s = hb?.stats ?? {};
  const n = (v) => Number(v ?? 0);
  return { atMs: n(hb?.sentAtMs), probesArmed: n(s.probesArmed), queueLength: n(s.queueLength), droppedFrames: n(s.droppedFrames), snapshotsCaptured: n(s.snapshotsCaptured), hitsDeclined: n(s.hitsDeclined), budgetUsedMicros: n(s.budgetUsedMicros) };
}

export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

export function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(q * s.length))];
}
