// Limits the agent enforces by itself, without the broker's help: per-probe
// rate, hit limits, probe expiry, revocation, the kill switch and the loss of
// the broker. Each ends with the probe gone and later hits producing nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { join } from 'node:path';
import { pb } from '@keyhole/protocol';
import { grantBody, signGrant } from '../support/approvers';
import { AgentHarness, ROOMY_BUDGETS, assertOnlyKeyholeLines, byName, drain, inScopeOf, localsOf, setProbe } from '../support/agentHarness';
import { agentFixtures, lineOf } from '../support/fixtures';
import type { AgentConnection } from '../support/protocolPeer';

const h = AgentHarness.forFile();

const PLAIN = join(agentFixtures, 'plain-service.js');
const CHECKOUT = 'fixtures/plain-service.js';
const checkoutLine = lineOf(PLAIN, 'checkout');
const hotLine = lineOf(PLAIN, 'hot');

async function snapshotsAfterDrain(conn: AgentConnection, probeId: string, tag: string): Promise<number> {
  await drain(conn, tag);
  return conn.snapshots(probeId).length;
}

test('default per-probe snapshot rate: 50 hits in a burst give exactly 5 snapshots; the probe re-arms when 5 tokens are back, not 1', async () => {
  // The global blocked-time and capture time budgets are raised so that only the per-probe token bucket (default burst 5, 1/s) decides.
  const { svc, conn } = await h.connect('plain-service.js', { start: ROOMY_BUDGETS });
  try {
    conn.send(setProbe('p-rate', CHECKOUT, hotLine));
    await conn.status('p-rate', pb.ProbeState.INSTALLED);
    // 50 passes over the probed line inside one call: far less than the second a token takes to come back.
    assert.equal(await svc.call('hotLoop', 50), 147);
    assert.equal(await snapshotsAfterDrain(conn, 'p-rate', 'burst'), 5);
    assert.deepEqual(conn.snapshots('p-rate').map((s) => byName(inScopeOf(s), 'i').text), ['0', '1', '2', '3', '4']);
    // Tokens come back at 1/s, but the probe waits for its re-arm batch of 5
    // (rate.snapshotRearmTokens): every arming costs V8 a deoptimisation.
    await delay(3200);
    assert.equal(await svc.call('hotLoop', 10), 24);
    assert.equal(await snapshotsAfterDrain(conn, 'p-rate', 'three tokens'), 5);
    await delay(2000); // five tokens are back by now: waiting is the behaviour under test
    assert.equal(await svc.call('hotLoop', 10), 24);
    assert.equal(await snapshotsAfterDrain(conn, 'p-rate', 'refill'), 10);
    assert.deepEqual(conn.snapshots('p-rate').slice(5).map((s) => byName(inScopeOf(s), 'i').text), ['0', '1', '2', '3', '4']);
    // The burst paused and read the callers too; once the probe ran out of tokens its line is hot,
    // and the later captures are pause-free (capture.hotLineFramesWithLocals), saying so.
    const [first, later] = [conn.snapshots('p-rate')[0]!, conn.snapshots('p-rate')[5]!];
    assert.equal(first.frames[1]!.localsCaptured, true);
    assert.deepEqual(first.errors, []);
    assert.equal(later.frames[1]!.localsCaptured, false);
    assert.deepEqual(later.errors.map((e) => e.code), ['KH_CAPTURE_HOT_LINE']);
    assert.ok(conn.statuses('p-rate').some((st) => /runs more often than the probe's rate/.test(st.message)));
    assertOnlyKeyholeLines(svc.stderr);
  } finally {
    await h.stopAll();
  }
});

test('the global budget: a busy line spends it, every probe is disarmed and says why once, and both re-arm when it refills', async () => {
  // Default budgets: 10 ms of checks per rolling second (rate.blockedMsPerSecond). The two busy
  // rounds run 6,000 passes; the cap on passes between full GCs is raised so only the budget speaks.
  const { svc, conn } = await h.connect('plain-service.js', { start: { rate: { maxPassesBetweenGcs: 1_000_000 } } });
  try {
    conn.send(setProbe('p-busy', CHECKOUT, hotLine, { condition: 'i < 0' }));
    conn.send(setProbe('p-quiet', CHECKOUT, checkoutLine));
    await conn.status('p-busy', pb.ProbeState.INSTALLED);
    await conn.status('p-quiet', pb.ProbeState.INSTALLED);
    // 3,000 passes, none sampled: each check is charged (at least 30 µs), far beyond 10 ms.
    assert.equal(await svc.call('hotLoop', 3000), 8994);
    const noted = (id: string) =>
      conn.next((m) => m.body === 'probeStatus' && m.probeStatus!.probeId === id && /budget .* ran out/.test(m.probeStatus!.message), 20_000, `the budget note of ${id}`).then((m) => m.probeStatus!);
    const busy = await noted('p-busy');
    assert.equal(busy.state, pb.ProbeState.INSTALLED, 'disarmed for a while, not removed');
    const ran = Number(/Its line ran (\d+) times while armed/.exec(busy.message)?.[1]);
    assert.ok(ran >= 300, `the busy line's passes are counted (${ran})`);
    assert.match((await noted('p-quiet')).message, /Its line ran 0 times while armed/);
    // Once the budget refilled, the quiet probe captures again; the busy one never matched.
    let snapshots = 0;
    for (let attempt = 0; attempt < 40 && snapshots === 0; attempt++) {
      await delay(100);
      await svc.call('checkout', attempt, 1, false);
      snapshots = await snapshotsAfterDrain(conn, 'p-quiet', `refill-${attempt}`);
    }
    assert.equal(snapshots, 1, 'the quiet probe re-armed and captured');
    assert.equal(conn.snapshots('p-busy').length, 0);
    // Spent again: the note is not repeated.
    assert.equal(await svc.call('hotLoop', 3000), 8994);
    await drain(conn, 'second round');
    const notes = (id: string) => conn.statuses(id).filter((st) => /budget .* ran out/.test(st.message)).length;
    assert.deepEqual([notes('p-busy'), notes('p-quiet')], [1, 1]);
    assertOnlyKeyholeLines(svc.stderr);
  } finally {
    await h.stopAll();
  }
});

test('a budget spent by captures says so, and points at lighter captures rather than at a busy line', async () => {
  // 3 ms a second and tokens to spare: a few pauses (each a millisecond or so) spend it, long
  // before the checks of as many passes (tens of µs each) could.
  const rate = { blockedMsPerSecond: 3, snapshotsPerSecond: 100, snapshotBurst: 100 };
  const { svc, conn } = await h.connect('plain-service.js', { start: { capture: ROOMY_BUDGETS.capture, rate } });
  try {
    conn.send(setProbe('p-pause', CHECKOUT, checkoutLine));
    await conn.status('p-pause', pb.ProbeState.INSTALLED);
    const isNote = (m: pb.AgentMessage) => m.body === 'probeStatus' && m.probeStatus!.probeId === 'p-pause' && /budget .* ran out/.test(m.probeStatus!.message);
    let calls = 0;
    while (!conn.received.some(isNote) && calls < 200) {
      await svc.call('checkout', calls, 1, false);
      calls++;
    }
    const message = (await conn.next(isNote, 20_000, 'the budget note')).probeStatus!.message;
    assert.match(message, /Captures spent most of it/);
    assert.match(message, /framesWithLocals 1/);
    assert.doesNotMatch(message, /Its line ran/, 'the busy-line advice is for budgets spent on checks');
    const [checks, captures, arming] = [/([\d.]+) ms went on checking passes/, /([\d.]+) ms on captures/, /([\d.]+) ms on re-arming probes/].map((re) => Number(re.exec(message)?.[1]));
    assert.ok(captures! > checks!, `captures ${captures} ms, checks ${checks} ms`);
    assert.equal(arming, 0, 'setting the breakpoint at install is not charged');
    const snapshots = await snapshotsAfterDrain(conn, 'p-pause', 'captured');
    assert.ok(snapshots >= 1 && snapshots < calls, `${snapshots} of ${calls} calls captured before the budget ran out`);
    assertOnlyKeyholeLines(svc.stderr);
  } finally {
    await h.stopAll();
  }
});

test('arming a probe at install is not charged: with a budget smaller than placing a breakpoint, the first hit is captured', async () => {
  // 0.5 ms a second is less than V8 takes to place a breakpoint (and drain its compile queue)
  // on this fixture, and more than the first check of a pass costs.
  const { svc, conn } = await h.connect('plain-service.js', { start: { capture: ROOMY_BUDGETS.capture, rate: { blockedMsPerSecond: 0.5 } } });
  try {
    conn.send(setProbe('p-first', CHECKOUT, checkoutLine));
    await conn.status('p-first', pb.ProbeState.INSTALLED);
    await svc.call('checkout', 1, 1, false);
    assert.equal(await snapshotsAfterDrain(conn, 'p-first', 'first'), 1);
    assertOnlyKeyholeLines(svc.stderr);
  } finally {
    await h.stopAll();
  }
});

test('passes between full GCs are capped: past rate.maxPassesBetweenGcs every probe waits, disarmed, for the next one, and says so', async () => {
  const { svc, conn } = await h.connect('plain-service.js', { start: { ...ROOMY_BUDGETS, rate: { blockedMsPerSecond: 1000, maxPassesBetweenGcs: 300 } }, execArgv: ['--expose-gc'] });
  try {
    // True only in a loop of 250, at its 201st pass.
    conn.send(setProbe('p-gc', CHECKOUT, hotLine, { condition: 'n === 250 && i === 200' }));
    await conn.status('p-gc', pb.ProbeState.INSTALLED);
    assert.equal(await svc.call('hotLoop', 1000), 2997);
    const noted = await conn.next((m) => m.body === 'probeStatus' && m.probeStatus!.probeId === 'p-gc' && /since the process's last full garbage collection/.test(m.probeStatus!.message), 20_000, 'the note');
    assert.equal(noted.probeStatus!.state, pb.ProbeState.INSTALLED, 'waiting, not removed');
    assert.match(noted.probeStatus!.message, /300 condition evaluations ran .*rate\.maxPassesBetweenGcs/);
    // Disarmed: the matching pass is not checked.
    assert.equal(await svc.call('hotLoop', 250), 745);
    assert.equal(await snapshotsAfterDrain(conn, 'p-gc', 'waiting'), 0);
    // A full GC frees the compiled conditions; the probe is armed again and captures.
    assert.equal(await svc.call('gc'), 'collected');
    let snapshots = 0;
    for (let attempt = 0; attempt < 40 && snapshots === 0; attempt++) {
      await delay(50);
      await svc.call('hotLoop', 250);
      snapshots = await snapshotsAfterDrain(conn, 'p-gc', `after-gc-${attempt}`);
    }
    assert.equal(snapshots, 1, 'armed again after the GC');
    assert.equal(byName(inScopeOf(conn.snapshots('p-gc')[0]!), 'i').text, '200');
    assert.equal(conn.statuses('p-gc').filter((st) => /last full garbage collection/.test(st.message)).length, 1, 'said once');
    // Past the cap again, then every probe removed: a new probe counts afresh (GCs went unobserved meanwhile).
    assert.equal(await svc.call('hotLoop', 1000), 2997);
    conn.send({ removeProbe: { probeId: 'p-gc', reason: 'done' } });
    await conn.status('p-gc', pb.ProbeState.REMOVED);
    conn.send(setProbe('p-gc2', CHECKOUT, hotLine, { condition: 'n === 250 && i === 200' }));
    await conn.status('p-gc2', pb.ProbeState.INSTALLED);
    assert.equal(await svc.call('hotLoop', 250), 745);
    assert.equal(await snapshotsAfterDrain(conn, 'p-gc2', 'afresh'), 1);
    assertOnlyKeyholeLines(svc.stderr);
  } finally {
    await h.stopAll();
  }
});

test('a probe that reaches maxHits completes, reports COMPLETED and captures no more', async () => {
  const { svc, conn } = await h.connect('plain-service.js', { start: ROOMY_BUDGETS });
  try {
    conn.send(setProbe('p-max', CHECKOUT, checkoutLine, { maxHits: 2 }));
    await conn.status('p-max', pb.ProbeState.INSTALLED);
    for (let i = 1; i <= 4; i++) assert.equal((await svc.call<{ total: number }>('checkout', i, 1, false)).total, 15);
    const done = await conn.status('p-max', pb.ProbeState.COMPLETED);
    assert.equal(done.code, 'KH_PROBE_HIT_LIMIT');
    assert.equal(done.hits, 2);
    for (let i = 0; i < 3; i++) await svc.call('checkout', 9, 1, false);
    assert.equal(await snapshotsAfterDrain(conn, 'p-max', 'max'), 2);
    assert.deepEqual(conn.snapshots('p-max').map((s) => byName(byName(localsOf(s), 'customer').properties, 'id').text), ['1', '2']);
    assert.equal(conn.statuses('p-max').at(-1)!.state, pb.ProbeState.COMPLETED);
    assertOnlyKeyholeLines(svc.stderr);
  } finally {
    await h.stopAll();
  }
});

test('a probe whose expiry is already past is EXPIRED at once; one expiring soon is removed on time without any hit', async () => {
  const { svc, conn } = await h.connect('plain-service.js');
  try {
    conn.send(setProbe('p-past', CHECKOUT, checkoutLine, { expiresAtMs: Date.now() - 1000 }));
    const past = await conn.status('p-past', pb.ProbeState.EXPIRED);
    assert.equal(past.code, 'KH_PROBE_EXPIRED');
    assert.equal(conn.statuses('p-past').some((s) => s.state === pb.ProbeState.INSTALLED), false, 'never installed');

    conn.send(setProbe('p-soon', CHECKOUT, checkoutLine, { expiresAtMs: Date.now() + 1500 }));
    await conn.status('p-soon', pb.ProbeState.INSTALLED);
    const soon = await conn.status('p-soon', pb.ProbeState.EXPIRED); // the agent's sweep, no hit needed
    assert.equal(soon.code, 'KH_PROBE_EXPIRED');
    await svc.call('checkout', 3, 1, false);
    assert.equal(await snapshotsAfterDrain(conn, 'p-past', 'past') + conn.snapshots('p-soon').length, 0);
    assertOnlyKeyholeLines(svc.stderr);
  } finally {
    await h.stopAll();
  }
});

test('when the grant window ends, its probes are removed (EXPIRED, KH_GRANT_EXPIRED) without any hit', async () => {
  const { svc, conn } = await h.connect('plain-service.js', { grant: { notAfterMs: Date.now() + 1500 } });
  try {
    conn.send(setProbe('p-window', CHECKOUT, checkoutLine));
    await conn.status('p-window', pb.ProbeState.INSTALLED);
    const ended = await conn.status('p-window', pb.ProbeState.EXPIRED);
    assert.equal(ended.code, 'KH_GRANT_EXPIRED');
    await svc.call('checkout', 3, 1, false);
    conn.send(setProbe('p-window2', CHECKOUT, checkoutLine));
    assert.equal((await conn.status('p-window2', pb.ProbeState.REFUSED)).code, 'KH_GRANT_UNKNOWN');
    assert.equal(await snapshotsAfterDrain(conn, 'p-window', 'window'), 0);
    assertOnlyKeyholeLines(svc.stderr);
  } finally {
    await h.stopAll();
  }
});

test('revoking the grant removes its probes (EXPIRED, KH_GRANT_REVOKED), refuses new ones and captures nothing more', async () => {
  const { svc, conn } = await h.connect('plain-service.js', { start: ROOMY_BUDGETS });
  try {
    conn.send(setProbe('p-rev', CHECKOUT, checkoutLine));
    await conn.status('p-rev', pb.ProbeState.INSTALLED);
    await svc.call('checkout', 1, 1, false);
    assert.equal(await snapshotsAfterDrain(conn, 'p-rev', 'before-revoke'), 1);
    conn.send({ revocation: { grantId: 'g1', reason: 'done' } });
    const gone = await conn.status('p-rev', pb.ProbeState.EXPIRED);
    assert.equal(gone.code, 'KH_GRANT_REVOKED');
    for (let i = 0; i < 3; i++) await svc.call('checkout', 2, 1, false);
    conn.send(setProbe('p-rev2', CHECKOUT, checkoutLine));
    const refused = await conn.status('p-rev2', pb.ProbeState.REFUSED);
    assert.equal(refused.code, 'KH_GRANT_REVOKED');
    // The same grant sent again stays refused: revocations are remembered.
    conn.send({ grant: { grant: signGrant(grantBody(), [h.approver]) } });
    const err = await conn.next((m) => m.body === 'error' && m.error!.code === 'KH_GRANT_REVOKED', 20_000, 'an error frame for the revoked grant');
    assert.equal(err.error!.fatal, false);
    assert.equal(await snapshotsAfterDrain(conn, 'p-rev', 'after-revoke'), 1);
    assertOnlyKeyholeLines(svc.stderr);
  } finally {
    await h.stopAll();
  }
});

test('the kill switch removes every probe (REFUSED, KH_KILL_SWITCH) and refuses new ones', async () => {
  const { svc, conn } = await h.connect('plain-service.js');
  try {
    conn.send(setProbe('p-kill', CHECKOUT, checkoutLine));
    await conn.status('p-kill', pb.ProbeState.INSTALLED);
    conn.send({ killSwitch: { on: true, scope: 'global', reason: 'incident 42' } });
    const killed = await conn.status('p-kill', pb.ProbeState.REFUSED);
    assert.equal(killed.code, 'KH_KILL_SWITCH');
    conn.send(setProbe('p-kill2', CHECKOUT, checkoutLine));
    const refused = await conn.status('p-kill2', pb.ProbeState.REFUSED);
    assert.equal(refused.code, 'KH_KILL_SWITCH');
    for (let i = 0; i < 3; i++) await svc.call('checkout', 2, 1, false);
    assert.equal(await snapshotsAfterDrain(conn, 'p-kill', 'kill') + conn.snapshots('p-kill2').length, 0);
    await svc.waitForStderr(/\[keyhole\] KH_KILL_SWITCH: kill switch on \(global\); removed 1 probe\(s\)/);
    // A kill switch for another service changes nothing; turning ours off lets probes in again.
    conn.send({ killSwitch: { on: false, scope: 'billing' } });
    conn.send(setProbe('p-kill3', CHECKOUT, checkoutLine));
    assert.equal((await conn.status('p-kill3', pb.ProbeState.REFUSED)).code, 'KH_KILL_SWITCH');
    conn.send({ killSwitch: { on: false, scope: 'global' } });
    conn.send(setProbe('p-kill4', CHECKOUT, checkoutLine));
    await conn.status('p-kill4', pb.ProbeState.INSTALLED);
    assertOnlyKeyholeLines(svc.stderr);
  } finally {
    await h.stopAll();
  }
});

test('losing the broker for longer than the grace period removes every probe (fail closed)', async () => {
  const { svc, conn } = await h.connect('plain-service.js', { start: { transport: { brokerLossGraceMs: 300 } } });
  try {
    conn.send(setProbe('p-lost', CHECKOUT, checkoutLine));
    await conn.status('p-lost', pb.ProbeState.INSTALLED);
    conn.socket.terminate();
    await svc.waitForStderr(/\[keyhole\] KH_BROKER_LOST: /);
    // The agent reconnects; the removal it queued while the broker was gone arrives after Welcome.
    const back = await h.peer.nextAgent();
    back.welcome();
    const removed = await back.status('p-lost', pb.ProbeState.REMOVED);
    assert.equal(removed.code, 'KH_BROKER_LOST');
    for (let i = 0; i < 3; i++) await svc.call('checkout', 2, 1, false);
    assert.equal(await snapshotsAfterDrain(back, 'p-lost', 'lost') + conn.snapshots('p-lost').length, 0);
    assertOnlyKeyholeLines(svc.stderr);
  } finally {
    await h.stopAll();
  }
});

test('a short broker outage keeps probes armed: the snapshot taken meanwhile and the probe statuses arrive after reconnecting', async () => {
  const { svc, conn } = await h.connect('plain-service.js', { start: ROOMY_BUDGETS });
  try {
    conn.send(setProbe('p-blip', CHECKOUT, checkoutLine));
    await conn.status('p-blip', pb.ProbeState.INSTALLED);
    conn.socket.terminate();
    // Once the agent knows the broker is gone (a frame written before that would be lost with the socket):
    await svc.waitForStderr(/\[keyhole\] KH_[A-Z_]+: broker .*: connection lost; reconnecting with backoff\n/);
    assert.equal((await svc.call<{ total: number }>('checkout', 4, 1, false)).total, 15); // captured while the broker is away
    const back = await h.peer.nextAgent();
    assert.equal(back.hello.instanceId, 'orders-1');
    back.welcome();
    const again = await back.status('p-blip', pb.ProbeState.INSTALLED);
    assert.equal(again.resolvedLine, checkoutLine);
    const snap = (await back.next((m) => m.body === 'snapshot', 20_000, 'the snapshot taken during the outage')).snapshot!;
    assert.equal(snap.probeId, 'p-blip');
    // Still armed, still under the grant it had before the outage.
    await svc.call('checkout', 5, 1, false);
    await back.next(() => back.snapshots('p-blip').length >= 2, 20_000, 'a snapshot after reconnecting');
    assertOnlyKeyholeLines(svc.stderr);
  } finally {
    await h.stopAll();
  }
});
