import assert from 'node:assert/strict';
import { test } from 'node:test';
import { verifyAudit } from '../audit/auditLog';
import { createBroker } from '../broker';
import { withWorld, type World } from '../testing/world';
import { type GrantView } from './grantService';

const MIN = 60_000;
const REQUEST = { service: 'orders', scopeGlobs: ['src/**'], reason: 'carts fail', durationMs: 5 * MIN };

async function expiredRows(w: World): Promise<string[]> {
  const rows = await w.store.transaction((r) => r.audit.list(0, 10_000));
  return rows.filter((row) => row.action === 'grant.expired').map((row) => row.subject);
}

test('a grant whose window runs out is announced once as expired and audited once', async () => {
  await withWorld(async (w) => {
    await w.service('orders', { approvalsRequired: 1 });
    const dev = await w.user('dev', ['developer']);
    const seen: GrantView[] = [];
    w.grants.onChange((v) => seen.push(v));
    const grant = await w.activeGrant(dev, REQUEST);
    seen.length = 0;

    w.now += 5 * MIN - 1;
    assert.deepEqual(await w.grants.expireDue(), [], 'still inside its window');
    w.now += 1;
    const expired = await w.grants.expireDue();
    assert.deepEqual(expired.map((v) => [v.grant.id, v.state]), [[grant.id, 'expired']]);
    assert.deepEqual(seen.map((v) => [v.grant.id, v.state]), [[grant.id, 'expired']]);

    w.now += MIN;
    assert.deepEqual(await w.grants.expireDue(), [], 'announced once');
    assert.deepEqual(await expiredRows(w), [grant.id]);
    assert.equal((await verifyAudit(w.store)).ok, true);
  });
});

test('a grant approved later with an earlier end is still noticed in time', async () => {
  await withWorld(async (w) => {
    await w.service('orders', { approvalsRequired: 1 });
    const dev = await w.user('dev', ['developer']);
    const long = await w.activeGrant(dev, { ...REQUEST, durationMs: 30 * MIN });
    assert.deepEqual(await w.grants.expireDue(), []);
    const short = await w.activeGrant(dev, { ...REQUEST, durationMs: MIN });
    w.now += MIN;
    assert.deepEqual((await w.grants.expireDue()).map((v) => v.grant.id), [short.id]);
    w.now += 29 * MIN;
    assert.deepEqual((await w.grants.expireDue()).map((v) => v.grant.id), [long.id]);
  });
});

test('a restarted broker does not audit or announce an expiry the log already holds, and audits one it missed', async () => {
  await withWorld(async (w) => {
    await w.service('orders', { approvalsRequired: 1 });
    const dev = await w.user('dev', ['developer']);
    const first = await w.activeGrant(dev, { ...REQUEST, durationMs: MIN });
    const second = await w.activeGrant(dev, { ...REQUEST, durationMs: 2 * MIN });
    w.now += MIN;
    assert.deepEqual((await w.grants.expireDue()).map((v) => v.grant.id), [first.id]);

    // The broker process ends; the second window runs out while none runs.
    w.now += 5 * MIN;
    const restarted = createBroker(w.store, w.clock);
    assert.deepEqual((await restarted.grants.expireDue()).map((v) => v.grant.id), [second.id]);
    assert.deepEqual(await restarted.grants.expireDue(), []);
    assert.deepEqual(await expiredRows(w), [first.id, second.id]);
  });
});

test('revoked, rejected and pending grants are not announced as expired', async () => {
  await withWorld(async (w) => {
    await w.service('orders', { approvalsRequired: 1 });
    const dev = await w.user('dev', ['developer']);
    const revoked = await w.activeGrant(dev, { ...REQUEST, durationMs: MIN });
    await w.grants.revoke(dev, revoked.id, 'done');
    await w.grants.request(dev, REQUEST);
    w.now += 10 * MIN;
    assert.deepEqual(await w.grants.expireDue(), []);
    assert.deepEqual(await expiredRows(w), []);
  });
});
