// The load generator of bench/broker.mjs, in its own process so its CPU is
// never the broker's. Driven over IPC:
//
//   { cmd: 'connect', agents, connectConcurrency }   -> { held, failed, failures, ... }
//     opens idle agents (Hello, then heartbeats) and keeps them.
//   { cmd: 'flood', agents, window, durationMs, total, progressEvery } -> { sent, confirmed, ... }
//     opens `agents` more agents and sends snapshots as fast as the broker
//     takes them, for `durationMs` or until `total` were sent. In-flight
//     frames per connection are bounded by `window`: a WebSocket ping
//     follows every window/2 frames and the broker answers it only after it
//     has read the frames before it (its snapshot transactions run right
//     after, before it reads more), so a pong confirms them. Progress
//     messages ({ progress: confirmed }) go out every `progressEvery`.
//   { cmd: 'close' } -> { closed }
import { randomBytes } from 'node:crypto';
import { connectAgent, newCounts } from './broker-agent.mjs';
import { snapshotFrameEncoder, snapshotTemplate } from './broker-snapshot.mjs';

let target; // { wsUrl, service, token, grantId, probeId }
const counts = newCounts(); // since the last close
const agents = [];
const run = randomBytes(4).toString('hex');
let nextInstance = 0;

async function openAgents(n, concurrency, heartbeats) {
  const opened = [];
  const failures = {};
  let next = 0;
  const worker = async () => {
    while (next < n) {
      next++;
      const instanceId = `bench-${run}-${nextInstance++}`;
      try {
        opened.push(await connectAgent({ ...target, instanceId, counts, heartbeats }));
      } catch (err) {
        const code = /KH_\w+/.exec(err.message)?.[0] ?? err.code ?? 'error';
        failures[code] = (failures[code] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, concurrency) }, worker));
  agents.push(...opened);
  return { opened, failures };
}

async function connect({ agents: n, connectConcurrency }) {
  const started = performance.now();
  const { opened, failures } = await openAgents(n, connectConcurrency, true);
  return { held: opened.length, failed: n - opened.length, failures, connectMs: performance.now() - started };
}

async function flood({ agents: n, window, durationMs, total, progressEvery }) {
  const { opened, failures } = await openAgents(n, n, false);
  if (opened.length === 0) return { sent: 0, confirmed: 0, failures };
  const batch = Math.max(1, Math.floor(window / 2));
  const deadline = durationMs ? performance.now() + durationMs : Infinity;
  const limit = total ?? Infinity;
  let sent = 0;
  let confirmed = 0;
  let nextProgress = progressEvery ?? Infinity;
  const cpuBefore = process.cpuUsage();
  const started = performance.now();

  await Promise.all(
    opened.map(
      (agent) =>
        new Promise((resolve) => {
          const encode = snapshotFrameEncoder(snapshotTemplate({ ...target, instanceId: agent.instanceId }));
          const pings = [];
          let mySent = 0;
          let myConfirmed = 0;
          let seq = 0;
          const done = () => mySent === myConfirmed && (sent >= limit || performance.now() >= deadline || agent.ws.readyState !== agent.ws.OPEN);
          const pump = () => {
            while (mySent - myConfirmed < window && sent < limit && performance.now() < deadline && agent.ws.readyState === agent.ws.OPEN) {
              agent.ws.send(encode(`s_${agent.instanceId}_${seq++}`, Date.now()));
              mySent++;
              sent++;
              // Ping at every batch boundary, and after the last frame, so every frame is confirmed.
              if (mySent % batch === 0 || sent >= limit) {
                agent.ws.ping();
                pings.push(mySent);
              }
            }
            if (mySent > myConfirmed && pings.at(-1) !== mySent) {
              // The deadline cut a batch short: confirm its tail.
              agent.ws.ping();
              pings.push(mySent);
            }
            if (done()) resolve();
          };
          agent.ws.on('pong', () => {
            const upTo = pings.shift() ?? myConfirmed;
            confirmed += upTo - myConfirmed;
            myConfirmed = upTo;
            while (confirmed >= nextProgress) {
              process.send({ progress: nextProgress });
              nextProgress += progressEvery;
            }
            pump();
          });
          agent.ws.on('close', () => resolve());
          pump();
        }),
    ),
  );
  const elapsedMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const errors = Object.values(counts.errors).reduce((a, b) => a + b, 0);
  return { sent, confirmed, elapsedMs, errors, errorCodes: { ...counts.errors }, failures, loadCpuSeconds: (cpu.user + cpu.system) / 1e6 };
}

/** Closes every agent; returns what they counted since the last close, and starts counting afresh. */
function closeAll() {
  const n = agents.length;
  for (const a of agents.splice(0)) a.close();
  const result = { closed: n, ...counts };
  Object.assign(counts, newCounts());
  return result;
}

process.on('message', (msg) => {
  const reply = (p) => p.then((r) => process.send({ reply: msg.cmd, ...r }), (err) => process.send({ reply: msg.cmd, error: String(err?.stack ?? err) }));
  if (msg.cmd === 'target') {
    target = msg.target;
    reply(Promise.resolve({}));
  } else if (msg.cmd === 'connect') reply(connect(msg));
  else if (msg.cmd === 'flood') reply(flood(msg));
  else if (msg.cmd === 'close') reply(Promise.resolve(closeAll()));
  else if (msg.cmd === 'exit') process.disconnect();
});
