import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildActivity } from '../activity/activityView';
import { verifyAudit } from '../audit/auditLog';
import { BrokerErrorCode, isBrokerError } from '../errors';
import { type BrokerEvent } from '../events';
import { withWorld } from '../testing/world';

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
