import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { CloseCode, FrameErrorCode, PROTOCOL_VERSION, type pb } from '@keyhole/protocol';
import { type TransportSettings } from '../config';
import { BrokerTransport, type TransportHandlers } from './brokerTransport';
import { TestBroker, until, welcomeAtOnce, type BrokerConnection } from './testBroker';
import { TransportCode } from './transportCodes';

/** Small numbers so reconnects and the grace happen quickly; tests wait for events, never for the clock. */
const FAST: TransportSettings = {
  queueMaxFrames: 64,
  queueMaxBytes: 1024 * 1024,
  reconnectMinMs: 10,
  reconnectMaxMs: 40,
  heartbeatMs: 60_000,
  sweepMs: 1000,
  brokerLossGraceMs: 60_000,
  maxFrameBytes: 4096,
};

const HELLO: pb.Hello.$Properties = {
  service: 'orders',
  labels: { region: 'eu', tier: 'web' },
  instanceId: 'orders-1',
  runtimeVersion: process.version,
  agentVersion: '0.1.0',
  pid: process.pid,
  hostname: 'host-a',
  token: 'agent-token',
};

/** Everything the transport reports, with a 'change' event for waiting on it. */
class Recorder extends EventEmitter implements TransportHandlers {
  readonly messages: pb.BrokerMessage[] = [];
  readonly welcomes: pb.Welcome[] = [];
  readonly disconnects: string[] = [];
  readonly logs: { code: string; message: string }[] = [];
  lost = 0;

  onMessage(msg: pb.BrokerMessage): void {
    this.messages.push(msg);
    this.emit('change');
  }
  onConnected(welcome: pb.Welcome): void {
    this.welcomes.push(welcome);
    this.emit('change');
  }
  onDisconnected(reason: string): void {
    this.disconnects.push(reason);
    this.emit('change');
  }
  onBrokerLost(): void {
    this.lost++;
    this.emit('change');
  }
  readonly log = (code: string, message: string): void => {
    this.logs.push({ code, message });
    this.emit('change');
  };

  logged(code: string): number {
    return this.logs.filter((l) => l.code === code).length;
  }
  waitFor<T>(what: string, check: () => T | undefined): Promise<T> {
    return until(this, check, what);
  }
  atLeast(what: string, n: () => number, min: number): Promise<number> {
    return until(this, () => (n() >= min ? n() : undefined), `${what} >= ${min}`);
  }
}

interface Setup {
  transport: BrokerTransport;
  rec: Recorder;
  stats: { probesArmed: number };
}

function makeTransport(t: TestContext, url: string, settings: Partial<TransportSettings> = {}, handlers?: Partial<TransportHandlers>): Setup {
  const rec = new Recorder();
  const stats = { probesArmed: 3 };
  const transport = new BrokerTransport({
    url,
    settings: { ...FAST, ...settings },
    hello: () => HELLO,
    stats: () => stats,
    handlers: {
      onMessage: (m) => (handlers?.onMessage ?? rec.onMessage.bind(rec))(m),
      onConnected: (w) => {
        rec.onConnected(w);
        handlers?.onConnected?.(w);
      },
      onDisconnected: (r) => rec.onDisconnected(r),
      onBrokerLost: () => rec.onBrokerLost(),
    },
    log: rec.log,
  });
  t.after(() => transport.close());
  return { transport, rec, stats };
}

async function startBroker(t: TestContext, onHello = welcomeAtOnce, port = 0): Promise<TestBroker> {
  const broker = await TestBroker.start(onHello, port);
  t.after(() => broker.stop());
  return broker;
}

const logLine = (message: string): pb.AgentMessage.$Properties => ({ logLine: { probeId: 'p-log', message } });
const probeStatus = (probeId: string, state: pb.ProbeState): pb.AgentMessage.$Properties => ({ probeStatus: { probeId, state } });
const describeFrame = (m: pb.AgentMessage): string =>
  m.hello ? 'hello' : m.logLine ? `log:${m.logLine.message}` : m.probeStatus ? `status:${m.probeStatus.probeId}:${m.probeStatus.state}` : (m.body ?? '?');

async function connected(rec: Recorder, n = 1): Promise<void> {
  await rec.atLeast('welcomes', () => rec.welcomes.length, n);
}

test('Hello goes first with the caller\'s fields and the protocol version; nothing else before Welcome', async (t) => {
  let held: BrokerConnection | undefined;
  const broker = await startBroker(t, (conn) => (held = conn));
  const { transport, rec } = makeTransport(t, broker.url, { heartbeatMs: 5 });
  assert.equal(transport.send(logLine('queued before start')), true);
  transport.start();
  const conn = await broker.connection(1);
  const [first] = await conn.framesAtLeast(1);
  assert.ok(first?.hello, 'the first frame is a Hello');
  assert.equal(first.hello.service, 'orders');
  assert.deepEqual({ ...first.hello.labels }, { region: 'eu', tier: 'web' });
  assert.equal(first.hello.instanceId, 'orders-1');
  assert.equal(first.hello.token, 'agent-token');
  assert.equal(first.hello.pid, process.pid);
  assert.equal(first.hello.hostname, 'host-a');
  assert.equal(first.hello.version?.major, PROTOCOL_VERSION.major);
  assert.equal(first.hello.version?.minor, PROTOCOL_VERSION.minor);

  // Sent while the broker has not answered yet: they must wait for Welcome.
  assert.equal(transport.send(logLine('sent while waiting')), true);
  assert.equal(transport.send(probeStatus('p1', 2)), true);
  await conn.roundTrip();
  assert.deepEqual(conn.received.map(describeFrame), ['hello'], 'nothing but Hello before Welcome (heartbeats included)');
  assert.equal(transport.connected, false);
  assert.equal(transport.counters().queued, 3);

  assert.ok(held);
  held.welcome({ message: 'hi' });
  const frames = await conn.framesAtLeast(4);
  assert.deepEqual(frames.map(describeFrame), ['hello', 'log:queued before start', 'log:sent while waiting', 'status:p1:2']);
  await connected(rec);
  assert.equal(rec.welcomes[0]?.message, 'hi');
  assert.equal(transport.connected, true);
  assert.equal(transport.counters().queued, 0);
  assert.equal(conn.undecodable.length, 0);
});

test('frames queued while the broker is down arrive in order after it restarts on the same port', async (t) => {
  const broker = await startBroker(t);
  const { transport, rec } = makeTransport(t, broker.url);
  transport.start();
  await connected(rec);
  const port = broker.port;
  await broker.stop();
  await rec.atLeast('disconnects', () => rec.disconnects.length, 1);
  assert.equal(transport.connected, false);
  for (let i = 1; i <= 5; i++) assert.equal(transport.send(logLine(`m${i}`)), true);
  // Let it fail against the closed port a few times before the broker returns.
  await rec.atLeast('disconnects', () => rec.disconnects.length, 3);
  assert.equal(rec.logged(TransportCode.Disconnected), 1, 'one line per outage, not one per retry');

  const restarted = await startBroker(t, welcomeAtOnce, port);
  const conn = await restarted.connection(1);
  const frames = await conn.framesAtLeast(6);
  assert.deepEqual(frames.map(describeFrame), ['hello', 'log:m1', 'log:m2', 'log:m3', 'log:m4', 'log:m5']);
  await connected(rec, 2);
  assert.ok(transport.counters().reconnects >= 3);
  assert.equal(transport.counters().sent, 2 + 5, 'two Hellos and five log lines');
});

test('queue overflow drops the oldest frames and counts them; probe statuses keep their newest state', async (t) => {
  const broker = await startBroker(t);
  const { transport, rec } = makeTransport(t, broker.url, { queueMaxFrames: 3 });
  assert.equal(transport.send(probeStatus('p1', 2)), true); // INSTALLED
  assert.equal(transport.send(logLine('a')), true);
  assert.equal(transport.send(logLine('b')), true);
  assert.equal(transport.send(logLine('c')), true); // evicts a
  assert.equal(transport.send(probeStatus('p1', 8)), true); // COMPLETED replaces INSTALLED
  assert.equal(transport.send(logLine('d')), true); // evicts b
  const c = transport.counters();
  assert.equal(c.queued, 3);
  assert.equal(c.dropped['logLine'], 2);
  assert.equal(c.dropped['probeStatus'], 0);
  assert.equal(c.coalesced, 1);
  assert.equal(rec.logged(TransportCode.QueueFull), 1, 'the first drop is logged, not every one');

  transport.start();
  const conn = await broker.connection(1);
  const frames = await conn.framesAtLeast(4);
  assert.deepEqual(frames.map(describeFrame), ['hello', 'log:c', 'status:p1:8', 'log:d']);
});

test('a frame larger than the queue\'s byte budget is refused and counted', (t) => {
  const { transport } = makeTransport(t, 'ws://127.0.0.1:1/agent', { queueMaxBytes: 100 });
  assert.equal(transport.send(logLine('x'.repeat(200))), false);
  assert.equal(transport.counters().dropped['logLine'], 1);
  assert.equal(transport.counters().queued, 0);
});

test('messages without a body or carrying a Hello are refused without throwing', (t) => {
  const { transport, rec } = makeTransport(t, 'ws://127.0.0.1:1/agent');
  assert.equal(transport.send({}), false);
  assert.equal(transport.send({ hello: HELLO }), false);
  assert.equal(transport.send({}), false);
  assert.equal(rec.logged(TransportCode.EncodeFailed), 1, 'a caller bug hit on every call is logged once');
});

test('a version-mismatch ErrorFrame is logged once with its code while the agent keeps retrying', async (t) => {
  const broker = await startBroker(t, (conn) => {
    conn.send({ error: { code: FrameErrorCode.ProtocolVersion, message: 'agent speaks 1.0, broker speaks 2.0', fatal: true } });
    conn.socket.close(CloseCode.ProtocolVersion, 'protocol version');
  });
  const { transport, rec } = makeTransport(t, broker.url);
  transport.send(logLine('never before Welcome'));
  transport.start();
  await until(broker, () => (broker.connections.filter((c) => c.frames.length > 0).length >= 3 ? true : undefined), 'three refused Hellos');
  assert.equal(rec.logged(FrameErrorCode.ProtocolVersion), 1);
  const line = rec.logs.find((l) => l.code === FrameErrorCode.ProtocolVersion);
  assert.match(line?.message ?? '', /broker speaks 2\.0/);
  assert.equal(rec.logged(TransportCode.Disconnected), 0, 'the ErrorFrame already explained the close');
  assert.equal(rec.welcomes.length, 0);
  for (const c of broker.connections) assert.deepEqual(c.frames.map(describeFrame).slice(0, 1), c.frames.length ? ['hello'] : []);
  assert.ok(broker.connections.every((c) => c.frames.every((f) => f.hello)), 'queued frames never reach a broker that refused');
  assert.equal(transport.counters().queued, 1);
});

test('a Welcome from another protocol major is refused and logged once', async (t) => {
  const broker = await startBroker(t, (conn) => conn.welcome({ version: { major: PROTOCOL_VERSION.major + 1, minor: 0 } }));
  const { transport, rec } = makeTransport(t, broker.url);
  transport.start();
  await broker.connection(3);
  assert.equal(rec.logged(FrameErrorCode.ProtocolVersion), 1);
  assert.equal(rec.welcomes.length, 0);
  assert.equal(transport.connected, false);
  const closed = await (await broker.connection(1)).waitClosed();
  assert.equal(closed.code, CloseCode.ProtocolVersion);
});

test('malformed frames from the broker are counted and logged by code; the connection stays', async (t) => {
  const broker = await startBroker(t);
  const { transport, rec } = makeTransport(t, broker.url);
  transport.start();
  await connected(rec);
  const conn = await broker.connection(1);
  conn.sendRaw(new Uint8Array([0x0a, 0xff])); // a length that runs past the end
  conn.sendRaw(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff])); // not protobuf
  conn.sendRaw('{"welcome":{}}', false); // a text frame
  conn.sendRaw(new Uint8Array([0x78, 0x01])); // unknown field 15 only: no known body
  conn.send({ removeProbe: { probeId: 'p1', reason: 'done' } });
  await rec.atLeast('messages', () => rec.messages.length, 1);
  assert.equal(rec.messages[0]?.removeProbe?.probeId, 'p1', 'the good frame after the bad ones still arrives');
  assert.equal(transport.counters().rejectedFrames, 4);
  assert.equal(rec.logged(FrameErrorCode.NoBody), 1);
  assert.ok(rec.logged(FrameErrorCode.Malformed) >= 1);
  assert.ok(rec.logs.every((l) => l.code.startsWith('KH_FRAME_')), JSON.stringify(rec.logs));
  assert.equal(transport.connected, true);
  assert.equal(broker.connections.length, 1);
  assert.equal(rec.disconnects.length, 0);
});

test('an oversized frame is refused by ws before decoding, counted and logged; the agent reconnects', async (t) => {
  const broker = await startBroker(t);
  const { transport, rec } = makeTransport(t, broker.url, { maxFrameBytes: 4096 });
  transport.start();
  await connected(rec);
  const conn = await broker.connection(1);
  conn.sendRaw(new Uint8Array(5000));
  const closed = await conn.waitClosed();
  assert.equal(closed.code, CloseCode.MessageTooBig);
  await connected(rec, 2);
  assert.equal(transport.counters().rejectedFrames, 1);
  assert.equal(rec.logged(FrameErrorCode.TooLarge), 1);
  assert.equal(rec.logged(TransportCode.Disconnected), 0, 'the too-large line already explains the reconnect');
});

test('broker frames other than Welcome reach onMessage; grants before Welcome do not', async (t) => {
  let held: BrokerConnection | undefined;
  const broker = await startBroker(t, (conn) => (held = conn));
  const { transport, rec } = makeTransport(t, broker.url);
  transport.start();
  const conn = await broker.connection(1);
  await conn.framesAtLeast(1);
  assert.ok(held);
  conn.send({ setProbe: { probe: { id: 'early' } } });
  conn.send({ killSwitch: { on: true, scope: 'global', reason: 'ops' } });
  await rec.atLeast('messages', () => rec.messages.length, 1);
  assert.equal(rec.messages[0]?.killSwitch?.on, true, 'a kill switch takes power away, so it counts even before Welcome');
  assert.equal(rec.logged(TransportCode.UnexpectedFrame), 1);
  held.welcome();
  conn.send({ setProbe: { probe: { id: 'after' } } });
  await rec.atLeast('messages', () => rec.messages.length, 2);
  assert.equal(rec.messages[1]?.setProbe?.probe?.id, 'after');
  assert.equal(rec.messages.length, 2);
});

test('heartbeats follow the Welcome\'s interval and carry the caller\'s stats and the queue\'s', async (t) => {
  const broker = await startBroker(t, (conn) => conn.welcome({ heartbeatIntervalMs: 1000 }));
  const { transport, rec } = makeTransport(t, broker.url, { heartbeatMs: 60_000 });
  transport.start();
  await connected(rec);
  const conn = await broker.connection(1);
  const beat = await until(conn, () => conn.received.find((m) => m.heartbeat)?.heartbeat ?? undefined, 'a heartbeat at the Welcome\'s interval');
  assert.equal(beat.stats?.probesArmed, 3);
  assert.equal(beat.stats?.queueLength, 0);
  assert.equal(Number(beat.stats?.droppedFrames), 0);
  assert.ok(beat.sentAtMs > 0);
});

test('onBrokerLost fires once per outage after the grace, and never while connected', async (t) => {
  const broker = await startBroker(t);
  const { transport, rec } = makeTransport(t, broker.url, { heartbeatMs: 10, brokerLossGraceMs: 50 });
  transport.start();
  await connected(rec);
  const conn = await broker.connection(1);
  // Ten heartbeats span well over the 50 ms grace.
  await until(conn, () => (conn.received.filter((m) => m.heartbeat).length >= 10 ? true : undefined), 'ten heartbeats');
  assert.equal(rec.lost, 0);

  const port = broker.port;
  await broker.stop();
  await rec.atLeast('broker lost', () => rec.lost, 1);
  const failedSoFar = rec.disconnects.length;
  await rec.atLeast('failed reconnects', () => rec.disconnects.length, failedSoFar + 3);
  assert.equal(rec.lost, 1, 'failed reconnects do not start a new outage');
  assert.equal(rec.logged(TransportCode.BrokerLost), 1);

  const restarted = await startBroker(t, welcomeAtOnce, port);
  await connected(rec, 2);
  assert.equal(rec.lost, 1);
  await restarted.stop();
  await rec.atLeast('broker lost again', () => rec.lost, 2);
  assert.equal(transport.connected, false);
});

test('close() is idempotent, closes normally and stops reconnecting', async (t) => {
  const broker = await startBroker(t);
  const { transport, rec } = makeTransport(t, broker.url, { brokerLossGraceMs: 10 });
  transport.start();
  await connected(rec);
  transport.send(logLine('queued'));
  const conn = await broker.connection(1);
  transport.close();
  transport.close();
  const closed = await conn.waitClosed();
  assert.equal(closed.code, CloseCode.Normal);
  assert.equal(transport.connected, false);
  assert.equal(transport.send(logLine('after close')), false);
  assert.equal(transport.counters().queued, 0);
  transport.start(); // does nothing after close
  // A live transport would have redialled within reconnectMaxMs (40 ms). Ten
  // times that with nothing happening shows it stopped; a slow machine can
  // only make this check weaker, never make it fail wrongly.
  await new Promise((resolve) => setTimeout(resolve, 10 * FAST.reconnectMaxMs));
  assert.equal(broker.connections.length, 1, 'no reconnect after close()');
  assert.equal(rec.disconnects.length, 0, 'no handler runs after close()');
  assert.equal(rec.lost, 0, 'no loss report after close(), even past the grace');
});

test('a throwing handler is logged and the transport carries on', async (t) => {
  const broker = await startBroker(t);
  const { transport, rec } = makeTransport(t, broker.url, {}, {
    onConnected: () => {
      throw new Error('host bug');
    },
  });
  transport.send(logLine('still delivered'));
  transport.start();
  const conn = await broker.connection(1);
  const frames = await conn.framesAtLeast(2);
  assert.deepEqual(frames.map(describeFrame), ['hello', 'log:still delivered']);
  assert.equal(rec.logged(TransportCode.HandlerFailed), 1);
  assert.match(rec.logs.find((l) => l.code === TransportCode.HandlerFailed)?.message ?? '', /host bug/);
});

test('an unusable URL is logged once and the transport stays idle', (t) => {
  const { transport, rec } = makeTransport(t, 'http//not a url');
  transport.start();
  assert.equal(rec.logged(TransportCode.BadUrl), 1);
  assert.equal(transport.connected, false);
});
