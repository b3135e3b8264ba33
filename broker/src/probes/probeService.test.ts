import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildActivity } from '../activity/activityView';
import { verifyAudit } from '../audit/auditLog';
import { BrokerErrorCode, isBrokerError } from '../errors';
import { type BrokerEvent } from '../events';
import { SqliteStore } from '../store/sqlite/sqliteStore';
import { withWorld } from '../testing/world';
import { PROBE_LIMITS } from './probeService';

const code = (c: string) => (err: unknown) => isBrokerError(err) && err.code === c;
const GRANT = { service: 'orders', scopeGlobs: ['src/orders/**'], kinds: ['SNAPSHOT'], reason: 'bug' };

test('a developer sets probes under their active grant; each is audited and announced', async () => {
  await withWorld(async (w) => {
    await w.service('orders');
    const dev = await w.user('dev', ['developer']);
    const grant = await w.activeGrant(dev, GRANT);
    const heard: BrokerEvent[] = [];
    w.broker.events.on((e) => heard.push(e));
    const probe = await w.broker.probes.set(dev, { grantId: grant.id, path: 'src/orders/cart.ts', line: 42, condition: 'cart.items.length > 3' });
    assert.equal(probe.kind, 'SNAPSHOT');
    assert.equal(probe.expiresAtMs, grant.notAfterMs);
    assert.deepEqual(heard.map((e) => e.type), ['probe.set']);
    assert.deepEqual((await w.broker.probes.list(dev, { grantId: grant.id, activeOnly: true })).map((p) => p.id), [probe.id]);
    assert.ok((await w.auditActions()).includes('probe.set'));
    assert.equal((await verifyAudit(w.store)).ok, true);
  });
});

test('probes are refused outside the grant: other people, inactive grants, other kinds, other files, bad input', async () => {
  await withWorld(async (w) => {
    await w.service('orders', { approvalsRequired: 1 });
    const dev = await w.user('dev', ['developer']);
    const other = await w.user('dev2', ['developer']);
    const grant = await w.activeGrant(dev, GRANT);
    const pending = (await w.grants.request(dev, GRANT)).grant;
    const probes = w.broker.probes;
    await assert.rejects(probes.set(other, { grantId: grant.id, path: 'src/orders/a.ts', line: 1 }), code(BrokerErrorCode.Forbidden));
    await assert.rejects(probes.set(dev, { grantId: pending.id, path: 'src/orders/a.ts', line: 1 }), code(BrokerErrorCode.GrantNotActive));
    await assert.rejects(probes.set(dev, { grantId: grant.id, kind: 'LOGPOINT', path: 'src/orders/a.ts', line: 1, logTemplate: 'x' }), code(BrokerErrorCode.KindNotGranted));
    await assert.rejects(probes.set(dev, { grantId: grant.id, path: 'src/billing/pay.ts', line: 1 }), code(BrokerErrorCode.OutOfScope));
    await assert.rejects(probes.set(dev, { grantId: grant.id, path: 'src/orders/../../etc/passwd', line: 1 }), code(BrokerErrorCode.OutOfScope));
    await assert.rejects(probes.set(dev, { grantId: grant.id, path: 'src/orders/a.ts', line: 0 }), code(BrokerErrorCode.BadRequest));
    await assert.rejects(probes.set(dev, { grantId: 'g_nope', path: 'src/orders/a.ts', line: 1 }), code(BrokerErrorCode.NotFound));
    await assert.rejects(probes.set(w.ops, { grantId: grant.id, path: 'src/orders/a.ts', line: 1 }), code(BrokerErrorCode.Forbidden));
    await w.grants.revoke(dev, grant.id, 'done');
    await assert.rejects(probes.set(dev, { grantId: grant.id, path: 'src/orders/a.ts', line: 1 }), code(BrokerErrorCode.GrantNotActive));
    assert.equal((await probes.list(dev, {})).length, 0);
  });
});

test('framesWithLocals: 0 to the limit on a snapshot, 0 when left out, refused otherwise and on a logpoint; stored and audited', async () => {
  await withWorld(async (w) => {
    await w.service('orders');
    const dev = await w.user('dev', ['developer']);
    const grant = await w.activeGrant(dev, { ...GRANT, kinds: ['SNAPSHOT', 'LOGPOINT'] });
    const at = (line: number, more: Record<string, unknown> = {}) => ({ grantId: grant.id, path: 'src/orders/cart.ts', line, ...more });
    assert.equal(PROBE_LIMITS.maxFramesWithLocals, 64);

    const absent = await w.broker.probes.set(dev, at(1));
    const zero = await w.broker.probes.set(dev, at(2, { framesWithLocals: 0 }));
    const one = await w.broker.probes.set(dev, at(3, { framesWithLocals: 1 }));
    const most = await w.broker.probes.set(dev, at(4, { framesWithLocals: 64 }));
    const logpoint = await w.broker.probes.set(dev, at(5, { kind: 'LOGPOINT', logTemplate: 'n={n}', framesWithLocals: 0 }));
    assert.deepEqual([absent, zero, one, most, logpoint].map((p) => p.framesWithLocals), [0, 0, 1, 64, 0]);

    const refused = async (input: Record<string, unknown>, message: RegExp) => {
      await assert.rejects(w.broker.probes.set(dev, input), (err: unknown) => {
        assert.ok(isBrokerError(err), String(err));
        assert.equal(err.code, BrokerErrorCode.BadRequest);
        assert.match(err.message, message);
        assert.match(err.hint, /framesWithLocals/);
        return true;
      });
    };
    for (const bad of [-1, 1.5, 65, '3', null, true]) await refused(at(6, { framesWithLocals: bad }), /^framesWithLocals must be a whole number from 0 to 64$/);
    await refused(at(6, { kind: 'LOGPOINT', logTemplate: 'n={n}', framesWithLocals: 2 }), /^framesWithLocals applies to snapshots; a logpoint captures no frames \(got 2\)$/);

    // Read back from the SQLite file itself, through a second connection.
    const reader = SqliteStore.open(w.temp.path, { readonly: true });
    try {
      const stored = await reader.transaction((r) => r.probes.list({ grantId: grant.id }));
      assert.deepEqual(stored.map((p) => [p.line, p.framesWithLocals]).sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0)), [[1, 0], [2, 0], [3, 1], [4, 64], [5, 0]]);
    } finally {
      await reader.close();
    }

    // The audit row names it only when the developer chose a value.
    const details = (await w.store.transaction((r) => r.audit.list(0, 1000)))
      .filter((r) => r.action === 'probe.set')
      .map((r) => JSON.parse(r.details) as { line: number; framesWithLocals?: number });
    assert.deepEqual(details.map((d) => [d.line, d.framesWithLocals]), [[1, undefined], [2, undefined], [3, 1], [4, 64], [5, undefined]]);
    assert.equal((await w.auditActions()).filter((a) => a === 'probe.set.refused').length, 7, 'each refusal is audited');
    assert.equal((await verifyAudit(w.store)).ok, true);
  });
});

test('a kill switch stops new probes until it is turned off', async () => {
  await withWorld(async (w) => {
    await w.service('orders');
    const dev = await w.user('dev', ['developer']);
    const grant = await w.activeGrant(dev, GRANT);
    await assert.rejects(w.broker.killSwitch.set(dev, 'global', true, 'no'), code(BrokerErrorCode.Forbidden));
    await assert.rejects(w.broker.killSwitch.set(w.ops, 'global', true, ''), code(BrokerErrorCode.BadRequest));
    await assert.rejects(w.broker.killSwitch.set(w.ops, 'nope', true, 'x'), code(BrokerErrorCode.NotFound));
    await w.broker.killSwitch.set(w.ops, 'orders', true, 'incident 7');
    await assert.rejects(w.broker.probes.set(dev, { grantId: grant.id, path: 'src/orders/a.ts', line: 1 }), (err: unknown) => isBrokerError(err) && err.code === BrokerErrorCode.KillSwitch && /incident 7/.test(err.message));
    await w.broker.killSwitch.set(w.ops, 'orders', false, 'resolved');
    assert.ok(await w.broker.probes.set(dev, { grantId: grant.id, path: 'src/orders/a.ts', line: 1 }));
    const actions = await w.auditActions();
    assert.ok(actions.includes('kill.switch.on') && actions.includes('kill.switch.off'));
  });
});

test('probes are removed by their owner or ops, once', async () => {
  await withWorld(async (w) => {
    await w.service('orders');
    const dev = await w.user('dev', ['developer']);
    const other = await w.user('dev2', ['developer']);
    const grant = await w.activeGrant(dev, GRANT);
    const a = await w.broker.probes.set(dev, { grantId: grant.id, path: 'src/orders/a.ts', line: 1 });
    const b = await w.broker.probes.set(dev, { grantId: grant.id, path: 'src/orders/b.ts', line: 2 });
    await assert.rejects(w.broker.probes.remove(other, a.id, 'mine now'), code(BrokerErrorCode.Forbidden));
    assert.ok((await w.broker.probes.remove(dev, a.id, 'done')).removedAtMs > 0);
    assert.equal((await w.broker.probes.remove(w.ops, b.id, 'noisy')).removedBy, 'ops1');
    const again = await w.broker.probes.remove(dev, a.id, 'twice');
    assert.equal(again.removeReason, 'done', 'removing twice changes nothing');
    assert.equal((await w.auditActions()).filter((x) => x === 'probe.remove').length, 2);
  });
});

test('refused probes are audited with the code, actor, service and path, and listed as refusals in the activity view', async () => {
  await withWorld(async (w) => {
    await w.service('orders');
    const dev = await w.user('dev', ['developer']);
    const grant = await w.activeGrant(dev, GRANT);
    await assert.rejects(w.broker.probes.set(dev, { grantId: grant.id, path: 'src/billing/pay.ts', line: 1 }), code(BrokerErrorCode.OutOfScope));
    await assert.rejects(w.broker.probes.set(dev, { grantId: grant.id, path: 'src/orders/a.ts', line: 0 }), code(BrokerErrorCode.BadRequest));
    await assert.rejects(w.broker.probes.set(dev, { grantId: 'g_nope', path: 'src/orders/a.ts', line: 1 }), code(BrokerErrorCode.NotFound));
    await w.broker.probes.set(dev, { grantId: grant.id, path: 'src/orders/a.ts', line: 1 });
    const rows = (await w.store.transaction((r) => r.audit.list(0, 1000))).filter((r) => r.action === 'probe.set.refused');
    assert.deepEqual(
      rows.map((r) => ({ actor: r.actor, subject: r.subject, ...(JSON.parse(r.details) as { code: string; service: string; path: string }) })).map(({ actor, subject, code, service, path }) => ({ actor, subject, code, service, path })),
      [
        { actor: 'dev', subject: grant.id, code: BrokerErrorCode.OutOfScope, service: 'orders', path: 'src/billing/pay.ts' },
        { actor: 'dev', subject: grant.id, code: BrokerErrorCode.BadRequest, service: 'orders', path: 'src/orders/a.ts' },
        { actor: 'dev', subject: 'g_nope', code: BrokerErrorCode.NotFound, service: '', path: 'src/orders/a.ts' },
      ],
    );
    const activity = await buildActivity(w.broker, w.ops);
    assert.equal(activity.refusals.filter((r) => r.action === 'probe.set.refused').length, 3, 'the activity view lists them as refusals');
    assert.equal((await verifyAudit(w.store)).ok, true);
  });
});
