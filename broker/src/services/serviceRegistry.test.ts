import assert from 'node:assert/strict';
import { test } from 'node:test';
import { verifyAudit } from '../audit/auditLog';
import { BrokerErrorCode, isBrokerError } from '../errors';
import { IdentityService } from '../identity/identityService';
import { openTempStore } from '../testing/tempStore';
import { ServiceRegistry } from './serviceRegistry';

const code = (c: string) => (err: unknown) => isBrokerError(err) && err.code === c;

test('ops register services with a policy and an agent token; developers only read', async () => {
  const t = openTempStore();
  try {
    const ids = new IdentityService(t.store, () => 1000);
    const admin = await ids.authenticate((await ids.init('root')).token);
    const ops = await ids.authenticate((await ids.addUser(admin, 'ops1', ['ops'])).token);
    const dev = await ids.authenticate((await ids.addUser(admin, 'dev', ['developer'])).token);
    const services = new ServiceRegistry(t.store, () => 2000);

    const { service, token } = await services.add(ops, 'orders', { approvalsRequired: 2, maxWindowMs: 3_600_000 });
    assert.equal(service.policy.approvalsRequired, 2);
    assert.deepEqual(await ids.authenticate(token), { kind: 'agent', service: 'orders' });

    await assert.rejects(services.add(dev, 'billing'), code(BrokerErrorCode.Forbidden));
    await assert.rejects(services.add(ops, 'orders'), code(BrokerErrorCode.Conflict));
    await assert.rejects(services.add(ops, 'Orders!'), code(BrokerErrorCode.BadRequest));
    await assert.rejects(services.setPolicy(dev, 'orders', { enabled: false }), code(BrokerErrorCode.Forbidden));
    await assert.rejects(services.setPolicy(ops, 'nope', { enabled: false }), code(BrokerErrorCode.NotFound));

    const updated = await services.setPolicy(ops, 'orders', { enabled: false });
    assert.equal(updated.policy.enabled, false);
    assert.equal(updated.policy.approvalsRequired, 2, 'unset fields keep their value');
    assert.deepEqual((await services.list(dev)).map((s) => s.name), ['orders']);
    assert.equal((await services.get(dev, 'orders')).policy.enabled, false);

    const rows = await t.store.transaction((r) => r.audit.list(0, 100));
    const set = rows.find((r) => r.action === 'service.set');
    assert.ok(set);
    const details = JSON.parse(set.details) as { from: { enabled: boolean }; to: { enabled: boolean } };
    assert.deepEqual([details.from.enabled, details.to.enabled], [true, false]);
    assert.equal((await verifyAudit(t.store)).ok, true);
  } finally {
    await t.dispose();
  }
});
