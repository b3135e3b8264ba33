import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BrokerErrorCode, isBrokerError } from '../errors';
import { withWorld } from '../testing/world';
import { buildTrustFile } from './trustFile';

const code = (c: string) => (err: unknown) => isBrokerError(err) && err.code === c;

test('the trust file lists enabled approvers with keys, in the agreed format', async () => {
  await withWorld(async (w) => {
    await w.service('orders', { approvalsRequired: 2, maxWindowMs: 3_600_000 });
    const bob = await w.approver('bob');
    const ann = await w.approver('ann');
    await w.approver('gone');
    await w.ids.disableUser(w.admin, 'gone');
    await w.user('kim', ['approver']); // no key registered

    const file = await buildTrustFile(w.store, w.clock, w.ops, 'orders');
    assert.deepEqual(JSON.parse(JSON.stringify(file)), {
      version: 1,
      service: 'orders',
      approvalsRequired: 2,
      maxWindowMs: 3_600_000,
      approvers: [
        { id: 'ann', publicKeyPem: ann.publicKeyPem },
        { id: 'bob', publicKeyPem: bob.publicKeyPem },
      ],
    });
    assert.ok((await w.auditActions()).includes('trust.build'));
  });
});

test('a chosen subset of approvers, and refusals that say what to fix', async () => {
  await withWorld(async (w) => {
    await w.service('orders', { approvalsRequired: 1 });
    await w.approver('ann');
    await w.approver('bob');
    const dev = await w.user('dev', ['developer']);
    const subset = await buildTrustFile(w.store, w.clock, w.ops, 'orders', { approverIds: ['bob'] });
    assert.deepEqual(subset.approvers.map((a) => a.id), ['bob']);
    await assert.rejects(buildTrustFile(w.store, w.clock, w.ops, 'orders', { approverIds: ['dev'] }), code(BrokerErrorCode.BadRequest));
    await assert.rejects(buildTrustFile(w.store, w.clock, dev, 'orders'), code(BrokerErrorCode.Forbidden));
    await assert.rejects(buildTrustFile(w.store, w.clock, w.ops, 'nope'), code(BrokerErrorCode.NotFound));
    await w.services.setPolicy(w.ops, 'orders', { approvalsRequired: 3 });
    await assert.rejects(buildTrustFile(w.store, w.clock, w.ops, 'orders'), (err: unknown) => isBrokerError(err) && err.code === BrokerErrorCode.Conflict && /needs 3 approvals but only 2/.test(err.message));
  });
});
