// One simulated agent connection, as the real agent speaks to the broker:
// a binary Hello with the protocol version, service, labels, instance id and
// agent token; it waits for Welcome, reads what the broker delivers (grants,
// probes, errors), and sends heartbeats at the interval Welcome asks for.
import { hostname } from 'node:os';
import protocol from '@keyhole/protocol';
import WebSocket from 'ws';

const { currentVersion, decodeBrokerMessage, encodeAgentMessage } = protocol;

/** How long the handshake may take before the agent counts as refused. Default 30 s (1,000 agents connect at once). */
export const AGENT_HANDSHAKE_TIMEOUT_MS = 30_000;

/**
 * Opens one agent connection; resolves once Welcome arrived with the
 * service enabled, rejects when the broker refuses or the socket fails.
 * `counts` is shared by all agents of a load process and tallies what the
 * brokers sent (grants, probes, errors by code).
 */
export function connectAgent({ wsUrl, service, token, instanceId, counts, heartbeats = true }) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${wsUrl}/agent`, { perMessageDeflate: false });
    let heartbeatTimer;
    let welcomed = false;
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('KH_BENCH_HANDSHAKE_TIMEOUT'));
    }, AGENT_HANDSHAKE_TIMEOUT_MS);
    const agent = {
      ws,
      instanceId,
      close() {
        clearTimeout(heartbeatTimer);
        ws.close(1000, 'benchmark done');
      },
    };

    ws.on('open', () => {
      ws.send(
        encodeAgentMessage({
          hello: { version: currentVersion(), service, labels: { env: 'bench', region: 'eu-west-1' }, instanceId, runtimeVersion: process.version, agentVersion: '0.1.0', pid: process.pid, hostname: hostname(), token },
        }),
      );
    });
    ws.on('message', (data) => {
      const decoded = decodeBrokerMessage(data);
      if (!decoded.ok) {
        counts.errors[decoded.error.code] = (counts.errors[decoded.error.code] ?? 0) + 1;
        return;
      }
      const m = decoded.message;
      if (m.welcome) {
        if (!m.welcome.serviceEnabled) return reject(new Error(`KH_BENCH_SERVICE_DISABLED: ${m.welcome.message}`));
        welcomed = true;
        clearTimeout(timer);
        if (heartbeats) startHeartbeats(m.welcome.heartbeatIntervalMs);
        resolve(agent);
      } else if (m.grant) counts.grants++;
      else if (m.setProbe) counts.probes++;
      else if (m.error) counts.errors[m.error.code] = (counts.errors[m.error.code] ?? 0) + 1;
    });
    ws.on('close', (code) => {
      clearTimeout(heartbeatTimer);
      clearTimeout(timer);
      if (!welcomed) reject(new Error(`KH_BENCH_CLOSED_${code}`));
      else counts.closedByBroker += code === 1000 || code === 1005 ? 0 : 1;
    });
    ws.on('error', (err) => {
      clearTimeout(timer);
      if (!welcomed) reject(err);
    });

    function startHeartbeats(intervalMs) {
      const beat = () => {
        if (ws.readyState !== WebSocket.OPEN) return;
        ws.send(encodeAgentMessage({ heartbeat: { sentAtMs: Date.now(), stats: { probesArmed: 1, queueLength: 0, snapshotsCaptured: 0 } } }));
        counts.heartbeats++;
      };
      // A random first beat spreads 1,000 agents over the interval, as restarts spread real ones.
      // (clearTimeout clears either kind of timer.)
      heartbeatTimer = setTimeout(() => {
        beat();
        heartbeatTimer = setInterval(beat, intervalMs);
      }, Math.random() * intervalMs);
    }
  });
}

export function newCounts() {
  return { grants: 0, probes: 0, heartbeats: 0, closedByBroker: 0, errors: {} };
}
