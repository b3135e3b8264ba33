// The transport must never keep the host process alive. Each test starts a
// child Node process that runs the transport and then lets its main script
// end; the child has to exit by itself, with code 0, whatever state the
// connection is in: failing against an unreachable port, in the middle of
// the opening handshake, or connected to a live broker with heartbeats running.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { join } from 'node:path';
import { TestBroker, TEST_WAIT_MS, until } from './testBroker';
import { TransportCode } from './transportCodes';

interface ChildResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/**
 * The child's program. `holdUntil` says what keeps it alive before its main
 * script lets go: an onConnected/onDisconnected event, or a line on stdin.
 * After that only the transport is left in the event loop.
 */
function childScript(url: string, holdUntil: 'connected' | 'disconnected' | 'stdin'): string {
  const modulePath = join(__dirname, 'brokerTransport.js');
  return `
const { BrokerTransport } = require(${JSON.stringify(modulePath)});
const hold = setInterval(() => {}, 1000);
const release = (what) => { process.stdout.write(what + '\\n'); clearInterval(hold); };
const transport = new BrokerTransport({
  url: ${JSON.stringify(url)},
  settings: { queueMaxFrames: 16, queueMaxBytes: 65536, reconnectMinMs: 200, reconnectMaxMs: 1000,
              heartbeatMs: 50, brokerLossGraceMs: 100, maxFrameBytes: 65536 },
  hello: () => ({ service: 'exit-test', instanceId: 'child-' + process.pid, pid: process.pid }),
  stats: () => ({ probesArmed: 0 }),
  handlers: {
    onMessage: () => {},
    onConnected: () => { if (${JSON.stringify(holdUntil)} === 'connected') release('connected'); },
    onDisconnected: (reason) => { if (${JSON.stringify(holdUntil)} === 'disconnected') release('disconnected: ' + reason); },
    onBrokerLost: () => {},
  },
  log: (code, message) => process.stderr.write(code + ' ' + message + '\\n'),
});
transport.start();
transport.send({ logLine: { probeId: 'p', message: 'queued' } });
if (${JSON.stringify(holdUntil)} === 'stdin') {
  process.stdin.once('data', () => { process.stdin.destroy(); release('released'); });
} else {
  process.stdin.destroy();
}
`;
}

function runChild(script: string, onSpawn?: (write: (line: string) => void) => void): Promise<ChildResult> {
  const child = spawn(process.execPath, ['-e', script], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
  child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
  onSpawn?.((line) => child.stdin.write(line));
  // A child still alive long after it should have exited has failed the test; kill it so the suite ends.
  const killer = setTimeout(() => child.kill('SIGKILL'), TEST_WAIT_MS);
  return once(child, 'close').then(([code, signal]: unknown[]) => {
    clearTimeout(killer);
    return { code: code as number | null, signal: signal as NodeJS.Signals | null, stdout, stderr };
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

test('a child process exits by itself while the transport retries an unreachable port', async () => {
  const port = await freePort();
  const result = await runChild(childScript(`ws://127.0.0.1:${port}/agent`, 'disconnected'));
  assert.equal(result.signal, null, `killed: still alive after ${TEST_WAIT_MS} ms\n${result.stderr}`);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^disconnected: /m, 'the child got as far as a failed attempt');
  assert.match(result.stderr, new RegExp(`^${TransportCode.Disconnected} `, 'm'));
});

test('a child process exits by itself in the middle of the opening handshake', async (t) => {
  // Accepts TCP connections and never answers the HTTP upgrade.
  const sockets: Socket[] = [];
  let upgradeRequests = 0;
  const silent = createServer((socket) => {
    sockets.push(socket);
    socket.on('error', () => undefined);
    socket.once('data', () => {
      upgradeRequests++;
      silent.emit('change');
    });
  });
  silent.listen(0, '127.0.0.1');
  await once(silent, 'listening');
  t.after(() => {
    for (const s of sockets) s.destroy();
    silent.close();
  });
  const { port } = silent.address() as AddressInfo;
  const result = await runChild(childScript(`ws://127.0.0.1:${port}/agent`, 'stdin'), (write) => {
    // Let the child's main script go only once its upgrade request has arrived.
    void until(silent, () => (upgradeRequests > 0 ? true : undefined), 'the upgrade request').then(() => write('go\n'));
  });
  assert.equal(result.signal, null, `killed: still alive after ${TEST_WAIT_MS} ms\n${result.stderr}`);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^released$/m);
  assert.equal(result.stderr, '', 'it exited during the handshake, not after timing it out');
});

test('a child process exits by itself while connected to a live broker', async (t) => {
  const broker = await TestBroker.start();
  t.after(() => broker.stop());
  const result = await runChild(childScript(broker.url, 'connected'));
  assert.equal(result.signal, null, `killed: still alive after ${TEST_WAIT_MS} ms\n${result.stderr}`);
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, /^connected$/m);
  const conn = await broker.connection(1);
  assert.equal(conn.frames[0]?.hello?.service, 'exit-test');
  assert.equal(conn.frames[1]?.logLine?.message, 'queued', 'the queued frame went out after Welcome');
  await conn.waitClosed();
});
