import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pb } from '@keyhole/protocol';
import { verifyAudit } from '../audit/auditLog';
import { BrokerErrorCode, isBrokerError } from '../errors';
import { type Principal } from '../identity/principal';
import { type GrantRecord, type ProbeRecord } from '../store/records';
import { withWorld, type World } from '../testing/world';

const code = (c: string) => (err: unknown) => isBrokerError(err) && err.code === c;
const MIN = 60_000;

interface Setup {
  dev: Principal;
  grant: GrantRecord;
  probe: ProbeRecord;
  snap(id: string, overrides?: Partial<pb.Snapshot.$Properties>): pb.Snapshot;
}

async function setup(w: World): Promise<Setup> {
  await w.service('orders', { snapshotTtlMs: 10 * MIN });
  const dev = await w.user('dev', ['developer']);
  const grant = await w.activeGrant(dev, { service: 'orders', scopeGlobs: ['src/**'], kinds: ['SNAPSHOT', 'LOGPOINT'], reason: 'bug' });
  const probe = await w.broker.probes.set(dev, { grantId: grant.id, path: 'src/a.ts', line: 3 });
  const snap = (id: string, overrides: Partial<pb.Snapshot.$Properties> = {}) =>
    pb.Snapshot.create({
      id,
      probeId: probe.id,
      grantId: grant.id,
      service: 'orders',
      instanceId: 'i-1',
      capturedAtMs: w.now,
      frames: [{ functionName: 'checkout', generated: { path: 'dist/a.js', line: 10, column: 2 }, scopes: [{ kind: pb.ScopeKind.LOCAL, variables: [{ name: 'email', value: { kind: pb.ValueKind.STRING, text: '[MASKED:email]', masked: ['email'] } }] }] }],
      maskedKinds: ['email'],
      ...overrides,
    });
  return { dev, grant, probe, snap };
}

test('a valid snapshot is stored with the service TTL, audited, and readable only by the grant requester', async () => {
  await withWorld(async (w) => {
    const { dev, probe, snap } = await setup(w);
    const result = await w.broker.snapshots.accept('orders', 'i-1', snap('s1', { traceId: '0af7651916cd43dd8448eb211c80319c', spanId: 'b7ad6b7169203331' }));
    assert.equal(result.ok, true);
    if (result.ok) assert.equal(result.record.expiresAtMs, w.now + 10 * MIN);

    const listed = await w.broker.snapshots.list(dev, { probeId: probe.id });
    assert.deepEqual(listed.map((s) => s.id), ['s1']);
    // Lists carry the OpenTelemetry ids (the IDE's history shows them) without decoding each snapshot.
    assert.deepEqual(listed.map((s) => [s.traceId, s.spanId]), [['0af7651916cd43dd8448eb211c80319c', 'b7ad6b7169203331']]);
    const { snapshot } = await w.broker.snapshots.view(dev, 's1');
    assert.equal(snapshot.frames[0]?.scopes[0]?.variables[0]?.value?.text, '[MASKED:email]');

    const other = await w.user('dev2', ['developer']);
    assert.deepEqual(await w.broker.snapshots.list(other, {}), []);
    await assert.rejects(w.broker.snapshots.view(other, 's1'), code(BrokerErrorCode.Forbidden));
    await assert.rejects(w.broker.snapshots.view(w.ops, 's1'), code(BrokerErrorCode.Forbidden), 'ops do not read captured data');

    const actions = await w.auditActions();
    assert.ok(actions.includes('snapshot.captured'));
    assert.equal(actions.filter((a) => a === 'snapshot.view').length, 1);
    assert.equal((await verifyAudit(w.store)).ok, true);
  });
});

test('snapshots that do not belong are dropped and the refusal audited', async () => {
  await withWorld(async (w) => {
    const { dev, grant, snap } = await setup(w);
    const lp = await w.broker.probes.set(dev, { grantId: grant.id, kind: 'LOGPOINT', path: 'src/a.ts', line: 4, logTemplate: 'x={x}' });
    await w.broker.snapshots.accept('orders', 'i-1', snap('dup'));
    const cases: [pb.Snapshot, string, string?][] = [
      [snap(''), 'KH_SNAPSHOT_ID'],
      [snap('s-other', { service: 'billing' }), 'KH_SNAPSHOT_SERVICE'],
      [snap('dup'), 'KH_SNAPSHOT_DUPLICATE'],
      [snap('s-noprobe', { probeId: 'p_nope' }), 'KH_SNAPSHOT_PROBE'],
      [snap('s-logpoint', { probeId: lp.id }), 'KH_SNAPSHOT_PROBE'],
      [snap('s-wronggrant', { grantId: 'g_other' }), 'KH_SNAPSHOT_PROBE'],
    ];
    for (const [s, expected] of cases) {
      const r = await w.broker.snapshots.accept('orders', 'i-1', s);
      assert.equal(r.ok ? 'ok' : r.code, expected, s.id);
    }
    await w.broker.killSwitch.set(w.ops, 'global', true, 'stop');
    const killed = await w.broker.snapshots.accept('orders', 'i-1', snap('s-killed'));
    assert.equal(killed.ok ? 'ok' : killed.code, 'KH_KILL_SWITCH');
    await w.broker.killSwitch.set(w.ops, 'global', false, 'go');
    await w.grants.revoke(dev, grant.id, 'done');
    const revoked = await w.broker.snapshots.accept('orders', 'i-1', snap('s-revoked'));
    assert.equal(revoked.ok ? 'ok' : revoked.code, 'KH_GRANT_NOT_ACTIVE');

    assert.deepEqual((await w.broker.snapshots.list(dev, {})).map((s) => s.id), ['dup']);
    assert.equal((await w.auditActions()).filter((a) => a === 'snapshot.refused').length, cases.length + 2);
  });
});

test('snapshots expire after the TTL: hidden at once, deleted by the sweep, and the sweep is audited', async () => {
  await withWorld(async (w) => {
    const { dev, snap } = await setup(w);
    await w.broker.snapshots.accept('orders', 'i-1', snap('old'));
    w.now += 5 * MIN;
    assert.equal((await w.broker.snapshots.accept('orders', 'i-1', snap('young', { capturedAtMs: w.now }))).ok, true);
    w.now += 5 * MIN; // 'old' reaches its 10-minute TTL now
    assert.deepEqual((await w.broker.snapshots.list(dev, {})).map((s) => s.id), ['young']);
    await assert.rejects(w.broker.snapshots.view(dev, 'old'), code(BrokerErrorCode.NotFound));
    assert.equal(await w.broker.snapshots.sweep(), 1);
    assert.equal(await w.broker.snapshots.sweep(), 0);
    assert.equal(await w.store.transaction((r) => r.snapshots.get('old')), undefined);
    assert.ok(await w.store.transaction((r) => r.snapshots.get('young')));
    const rows = await w.store.transaction((r) => r.audit.list(0, 1000));
    assert.deepEqual(JSON.parse(rows.filter((r) => r.action === 'snapshot.expired')[0]?.details ?? '{}'), { deleted: 1 });
  });
});
