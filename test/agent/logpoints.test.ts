// Logpoints end to end: a template expanded in the host without pausing it,
// masked by value and by name, with conditions and hit conditions, and
// forbidden expressions refused before anything is installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pb } from '@keyhole/protocol';
import { AgentHarness, ROOMY_BUDGETS, assertOnlyKeyholeLines, drain, setProbe } from '../support/agentHarness';
import { agentFixtures, lineOf } from '../support/fixtures';

const h = AgentHarness.forFile();

const CHECKOUT = 'fixtures/plain-service.js';
const line = lineOf(join(agentFixtures, 'plain-service.js'), 'checkout');
const logpoint = (id: string, logTemplate: string, over: Partial<pb.Probe.$Properties> = {}): pb.BrokerMessage.$Properties =>
  setProbe(id, CHECKOUT, line, { kind: pb.ProbeKind.LOGPOINT, logTemplate, ...over });

test('a logpoint logs its template with emails and sensitive names masked, and never pauses', async () => {
  const { svc, conn } = await h.connect('plain-service.js', { start: ROOMY_BUDGETS });
  try {
    conn.send(logpoint('lp-email', 'customer {customer.id} email {customer.email} pays {total}'));
    conn.send(logpoint('lp-secret', 'login {customer.name} with {password} (coupon {coupon})'));
    await conn.status('lp-email', pb.ProbeState.INSTALLED);
    await conn.status('lp-secret', pb.ProbeState.INSTALLED);
    assert.equal((await svc.call<{ total: number }>('checkout', 7, 7, true)).total, 67.5);
    const email = (await conn.next((m) => m.body === 'logLine' && m.logLine!.probeId === 'lp-email', 20_000, 'the email log line')).logLine!;
    assert.equal(email.message, 'customer 7 email [MASKED:email] pays 75');
    assert.deepEqual(email.maskedKinds, ['email']);
    assert.equal(email.grantId, 'g1');
    assert.equal(email.service, 'orders');
    assert.equal(email.instanceId, 'orders-1');
    assert.equal(email.location!.line, line);
    assert.match(email.location!.path, /plain-service\.js$/);
    const secret = (await conn.next((m) => m.body === 'logLine' && m.logLine!.probeId === 'lp-secret', 20_000, 'the password log line')).logLine!;
    assert.equal(secret.message, 'login Ada Lovelace with [MASKED:password] (coupon true)');
    assert.deepEqual(secret.maskedKinds, ['password']);
    await drain(conn, 'logpoint');
    assert.equal(conn.snapshots().length, 0, 'a logpoint never produces a snapshot');
    assert.equal(conn.logLines('lp-email').length, 1);
    assertOnlyKeyholeLines(svc.stderr);
  } finally {
    await h.stopAll();
  }
});

test('a false condition declines, a hit condition picks every second hit', async () => {
  const { svc, conn } = await h.connect('plain-service.js', { start: ROOMY_BUDGETS });
  try {
    conn.send(logpoint('lp-cond', 'big customer {customer.id}', { condition: 'customer.id > 5' }));
    conn.send(logpoint('lp-even', 'hit for {customer.id}', { hitCondition: '% 2' }));
    await conn.status('lp-cond', pb.ProbeState.INSTALLED);
    await conn.status('lp-even', pb.ProbeState.INSTALLED);
    for (const id of [1, 2, 3, 4, 9]) await svc.call('checkout', id, 1, false);
    await drain(conn, 'conditions');
    assert.deepEqual(conn.logLines('lp-cond').map((l) => l.message), ['big customer 9']);
    assert.deepEqual(conn.logLines('lp-even').map((l) => l.message), ['hit for 2', 'hit for 4']);
    assert.equal(conn.snapshots().length, 0);
    assertOnlyKeyholeLines(svc.stderr);
  } finally {
    await h.stopAll();
  }
});

test('a condition that calls a function is refused before anything is installed', async () => {
  const { svc, conn } = await h.connect('plain-service.js', { start: ROOMY_BUDGETS });
  try {
    conn.send(setProbe('p-call', CHECKOUT, line, { condition: 'customer.getName()' }));
    conn.send(logpoint('lp-call', 'name {customer.getName()}'));
    const refused = await conn.status('p-call', pb.ProbeState.REFUSED);
    assert.equal(refused.code, 'KH_EXPR_FORBIDDEN');
    assert.equal(refused.message, 'condition refused: calls are not allowed: "customer.getName()" at column 1');
    const refusedLog = await conn.status('lp-call', pb.ProbeState.REFUSED);
    assert.equal(refusedLog.code, 'KH_EXPR_FORBIDDEN');
    await svc.call('checkout', 8, 1, false);
    await drain(conn, 'refused');
    assert.equal(conn.snapshots().length + conn.logLines().length, 0);
    assert.equal(conn.statuses('p-call').length, 1, 'never installed');
    assertOnlyKeyholeLines(svc.stderr);
  } finally {
    await h.stopAll();
  }
});

test('probes sharing a line each get their own output from one pass', async () => {
  const { svc, conn } = await h.connect('plain-service.js', { start: ROOMY_BUDGETS });
  try {
    conn.send(setProbe('p-one', CHECKOUT, line, { maxHits: 1 }));
    conn.send(setProbe('p-two', CHECKOUT, line, { maxHits: 1 }));
    conn.send(logpoint('lp-three', 'total {total}'));
    for (const id of ['p-one', 'p-two', 'lp-three']) await conn.status(id, pb.ProbeState.INSTALLED);
    await svc.call('checkout', 5, 1, false);
    await conn.status('p-one', pb.ProbeState.COMPLETED);
    await conn.status('p-two', pb.ProbeState.COMPLETED);
    await drain(conn, 'shared');
    assert.deepEqual(conn.snapshots().map((s) => s.probeId).sort(), ['p-one', 'p-two']);
    assert.deepEqual(conn.logLines('lp-three').map((l) => l.message), ['total 15']);
    const [a, b] = conn.snapshots();
    assert.notEqual(a!.id, b!.id);
    assert.deepEqual(a!.frames, b!.frames);
    assertOnlyKeyholeLines(svc.stderr);
  } finally {
    await h.stopAll();
  }
});
