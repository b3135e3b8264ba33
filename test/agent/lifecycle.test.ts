// Host safety: the agent never keeps the host alive, stops cleanly and
// idempotently, stands down for another debugger, and turns bad settings
// into exactly one line on stderr while the service runs on untouched.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pb } from '@keyhole/protocol';
import { grantBody, signGrant } from '../support/approvers';
import { AgentHarness, ROOMY_BUDGETS, STRICT_EXEC_ARGV, assertOnlyKeyholeLines, drain, nextSnapshot, setProbe, stderrLines } from '../support/agentHarness';
import { agentFixtures, lineOf, registerPath } from '../support/fixtures';
import type { Service } from '../support/service';

const h = AgentHarness.forFile();

const CHECKOUT = 'fixtures/plain-service.js';
const checkoutLine = lineOf(join(agentFixtures, 'plain-service.js'), 'checkout');

interface AgentStatusView {
  state: string;
  connected: boolean;
  probes: number;
}

/** The host still answers and computes right. */
async function assertServiceWorks(svc: Service): Promise<void> {
  assert.equal((await svc.call<{ total: number }>('checkout', 7, 7, true)).total, 67.5);
}

/** After an IPC round trip, no agent said hello to the peer (the agent dials before the service is ready). */
async function assertNoConnection(svc: Service): Promise<void> {
  await assertServiceWorks(svc);
  await assert.rejects(h.peer.nextAgent(300), /no agent connected/);
}

test('a host with the agent loaded, connected and armed exits on its own with code 0', async () => {
  const child = spawn(process.execPath, [...STRICT_EXEC_ARGV, '--require', registerPath, join(agentFixtures, 'finite-service.js')], { env: { PATH: process.env['PATH'] ?? '', ...h.env() }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = once(child, 'exit');
  try {
    const conn = await h.peer.nextAgent();
    conn.welcome();
    conn.send({ grant: { grant: signGrant(grantBody(), [h.approver]) } });
    conn.send(setProbe('p-finite', 'fixtures/finite-service.js', lineOf(join(agentFixtures, 'finite-service.js'), 'finite')));
    await conn.status('p-finite', pb.ProbeState.INSTALLED);
    const [code, signal] = (await exited) as [number | null, string | null];
    assert.equal(stdout, 'work 45\n');
    assert.deepEqual([code, signal], [0, null]);
    assertOnlyKeyholeLines(stderr);
  } finally {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  }
});

test('stop() is idempotent, leaves no inspector state, and the host can use the inspector afterwards', async () => {
  const { svc, conn } = await h.connect('plain-service.js');
  try {
    conn.send(setProbe('p-stop', CHECKOUT, checkoutLine));
    await conn.status('p-stop', pb.ProbeState.INSTALLED);
    assert.deepEqual(await svc.call('inspectorState'), { runtimeGlobal: true });
    const closed = once(conn.socket, 'close');
    assert.equal(await svc.call('stop'), true);
    assert.equal(await svc.call('stop'), true);
    await closed;
    // The broker hears why the probe went before the connection closes.
    assert.equal((await conn.status('p-stop', pb.ProbeState.REMOVED, 1000)).code, 'KH_AGENT_STOPPED');
    assert.equal(await svc.call('agentStatus'), null);
    assert.deepEqual(await svc.call('inspectorState'), { runtimeGlobal: false });
    assert.deepEqual(await svc.call('freshSession'), { enabled: true, breakpointLocations: 1, error: '' });
    await assertServiceWorks(svc);
    assert.equal(conn.snapshots().length, 0);
    assertOnlyKeyholeLines(svc.stderr);
  } finally {
    await h.stopAll();
  }
});

test('started under --inspect, the agent stands down with one clear line and never connects', async () => {
  const svc = await h.service('plain-service.js', { execArgv: ['--inspect=127.0.0.1:0'] });
  try {
    const status = await svc.call<AgentStatusView>('agentStatus');
    assert.equal(status.state, 'stood-down');
    assert.equal(status.connected, false);
    assert.deepEqual(await svc.call('inspectorState'), { runtimeGlobal: false });
    await assertNoConnection(svc);
    const ours = stderrLines(svc.stderr).filter((l) => l.startsWith('[keyhole]'));
    assert.equal(ours.length, 1, svc.stderr);
    assert.match(ours[0]!, /^\[keyhole\] KH_OTHER_DEBUGGER: another debugger is active \(ws:\/\/127\.0\.0\.1:\d+\/[\w-]+\); the agent stands down$/);
    // Everything else is Node's own announcement of the inspector.
    for (const line of stderrLines(svc.stderr).filter((l) => !l.startsWith('[keyhole]'))) assert.match(line, /^(Debugger listening on ws:|For help, see: )/);
  } finally {
    await h.stopAll();
  }
});

test('a debugger opened later makes the agent remove its probes, disconnect and stand down', async () => {
  const { svc, conn } = await h.connect('plain-service.js');
  try {
    conn.send(setProbe('p-other', CHECKOUT, checkoutLine));
    await conn.status('p-other', pb.ProbeState.INSTALLED);
    const closed = once(conn.socket, 'close');
    assert.equal(await svc.call('openInspector'), true);
    await svc.waitForStderr(/\[keyhole\] KH_OTHER_DEBUGGER: a debugger attached \(ws:\/\/127\.0\.0\.1:\d+\/[\w-]+\); the agent removed its probes and stands down\n/);
    await closed;
    const status = await svc.call<AgentStatusView>('agentStatus');
    assert.deepEqual([status.state, status.connected, status.probes], ['stood-down', false, 0]);
    assert.deepEqual(await svc.call('inspectorState'), { runtimeGlobal: false });
    await assertServiceWorks(svc);
    assert.equal(conn.snapshots().length, 0);
    assert.equal(await svc.call('closeInspector'), true);
  } finally {
    await h.stopAll();
  }
});

for (const bad of [
  { name: 'a broker URL that is not ws:// or wss://', env: () => h.env({ KEYHOLE_BROKER: 'http://x' }), line: /^\[keyhole\] KH_CONFIG: the agent stays off: KEYHOLE_BROKER must be a ws:\/\/ or wss:\/\/ URL, got "http:\/\/x"$/ },
  { name: 'a missing trust file', env: () => h.env({ KEYHOLE_TRUST_FILE: join(h.dir, 'no-such-trust.json') }), line: /^\[keyhole\] KH_TRUST_FILE: the agent stays off \(no capture without a valid trust file\): cannot read trust file .*no-such-trust\.json: / },
  {
    name: 'an invalid trust file',
    env: () => {
      const path = join(h.dir, 'broken-trust.json');
      writeFileSync(path, '{"version": 1, "service": "orders", "approvers": []');
      return h.env({ KEYHOLE_TRUST_FILE: path });
    },
    line: /^\[keyhole\] KH_TRUST_FILE: the agent stays off \(no capture without a valid trust file\): trust file is not JSON: /,
  },
  {
    name: 'a trust file for another service',
    env: () => h.env({ KEYHOLE_SERVICE: 'billing' }),
    line: /^\[keyhole\] KH_TRUST_FILE: the agent stays off \(no capture without a valid trust file\): trust file is for service "orders", this agent is "billing"$/,
  },
]) {
  test(`${bad.name}: exactly one clear warning, the service works, no connection`, async () => {
    const svc = await h.service('plain-service.js', { env: bad.env() });
    try {
      await assertNoConnection(svc);
      assert.equal(await svc.call('agentStatus'), null);
      const lines = stderrLines(svc.stderr);
      assert.equal(lines.length, 1, svc.stderr);
      assert.match(lines[0]!, bad.line);
    } finally {
      await h.stopAll();
    }
  });
}

test('KEYHOLE_ENABLED=false: nothing on stderr, no connection, no agent', async () => {
  const svc = await h.service('plain-service.js', { env: h.env({ KEYHOLE_ENABLED: 'false' }) });
  try {
    await assertNoConnection(svc);
    assert.equal(await svc.call('agentStatus'), null);
    assert.deepEqual(await svc.call('inspectorState'), { runtimeGlobal: false });
    assert.equal(svc.stderr, '');
  } finally {
    await h.stopAll();
  }
});

test('a snapshot, a logpoint and a stop in one host leave no unhandled rejection or exception behind', async () => {
  const { svc, conn } = await h.connect('plain-service.js', { start: ROOMY_BUDGETS });
  try {
    conn.send(setProbe('p-all', CHECKOUT, checkoutLine));
    conn.send(setProbe('lp-all', CHECKOUT, checkoutLine, { kind: pb.ProbeKind.LOGPOINT, logTemplate: 'total {total}' }));
    await conn.status('p-all', pb.ProbeState.INSTALLED);
    await conn.status('lp-all', pb.ProbeState.INSTALLED);
    await assertServiceWorks(svc);
    await nextSnapshot(conn, 'p-all');
    await drain(conn, 'all');
    assert.deepEqual(conn.logLines('lp-all').map((l) => l.message), ['total 75']);
    conn.send({ removeProbe: { probeId: 'p-all', reason: 'done' } });
    await conn.status('p-all', pb.ProbeState.REMOVED);
    assert.equal(await svc.call('stop'), true);
    await assertServiceWorks(svc);
    await svc.stop();
    assertOnlyKeyholeLines(svc.stderr);
    assert.doesNotMatch(svc.stderr, /Unhandled|Error|    at /);
  } finally {
    await h.stopAll();
  }
});

test('a service the broker says is disabled: one line, probes refused with KH_SERVICE_DISABLED, nothing captured', async () => {
  const svc = await h.service('plain-service.js');
  try {
    const conn = await h.peer.nextAgent();
    conn.welcome({ serviceEnabled: false, message: 'service orders is disabled by ops' });
    conn.send({ grant: { grant: signGrant(grantBody(), [h.approver]) } });
    conn.send(setProbe('p-disabled', CHECKOUT, checkoutLine));
    const refused = await conn.status('p-disabled', pb.ProbeState.REFUSED);
    assert.equal(refused.code, 'KH_SERVICE_DISABLED');
    await assertServiceWorks(svc);
    await drain(conn, 'disabled');
    assert.equal(conn.snapshots().length, 0);
    await svc.waitForStderr(/^\[keyhole\] KH_SERVICE_DISABLED: service orders is disabled by ops$/m);
    assertOnlyKeyholeLines(svc.stderr);
  } finally {
    await h.stopAll();
  }
});

test('worker threads inherit --require, but only the main thread starts an agent', async () => {
  const svc = await h.service('worker-service.js');
  try {
    const conn = await h.peer.nextAgent();
    conn.welcome();
    assert.equal(await svc.call('double', 21), 42); // the worker is up and answering
    // A worker's agent would dial as soon as its preload ran, long before it answered.
    await assert.rejects(h.peer.nextAgent(1000), /no agent connected/);
    assert.equal((await svc.call<AgentStatusView>('agentStatus')).connected, true);
    assertOnlyKeyholeLines(svc.stderr);
  } finally {
    await h.stopAll();
  }
});

test('a debugger statement in the host while a probe is installed resumes at once and captures nothing', async () => {
  const { svc, conn } = await h.connect('plain-service.js', { start: ROOMY_BUDGETS });
  try {
    conn.send(setProbe('p-dbg', CHECKOUT, checkoutLine));
    await conn.status('p-dbg', pb.ProbeState.INSTALLED);
    assert.equal(await svc.call('debuggerStatement'), 'resumed');
    assert.equal(await svc.call('debuggerStatement'), 'resumed');
    await assertServiceWorks(svc); // the probe still works after foreign pauses
    await nextSnapshot(conn, 'p-dbg');
    await drain(conn, 'debugger-statement');
    assert.deepEqual(conn.snapshots().map((s) => s.probeId), ['p-dbg']);
    assertOnlyKeyholeLines(svc.stderr);
  } finally {
    await h.stopAll();
  }
});
