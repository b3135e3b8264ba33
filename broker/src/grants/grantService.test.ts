import assert from 'node:assert/strict';
import { createPublicKey, verify } from 'node:crypto';
import { test } from 'node:test';
import { pb } from '@keyhole/protocol';
import { verifyAudit } from '../audit/auditLog';
import { BrokerErrorCode, isBrokerError } from '../errors';
import { type Principal } from '../identity/principal';
import { type GrantRecord } from '../store/records';
import { type Approver, withWorld, type World } from '../testing/world';
import { decodeGrantBody } from './grantBody';
import { GRANT_LIMITS } from './grantRequest';

const code = (c: string) => (err: unknown) => isBrokerError(err) && err.code === c;
const MIN = 60_000;

const REQUEST = {
  service: 'orders',
  selector: { region: 'eu-1', env: 'prod' },
  scopeGlobs: ['src/orders/**'],
  kinds: ['SNAPSHOT', 'LOGPOINT'],
  reason: 'checkout fails for some carts',
  ticket: 'OPS-123',
};

/**
 * The orders service (two approvals, at most a 60-minute window, unless
 * `policy` says otherwise), the developer dev, and approvers ann and bob
 * with registered keys.
 */
async function ordersWithDevAndApprovers(w: World, policy = {}): Promise<{ dev: Principal; ann: Approver; bob: Approver }> {
  await w.service('orders', { approvalsRequired: 2, maxWindowMs: 60 * MIN, ...policy });
  const dev = await w.user('dev', ['developer']);
  return { dev, ann: await w.approver('ann'), bob: await w.approver('bob') };
}

/** dev requests REQUEST; returns the pending grant and the body `approver` is given to sign (which fixes its window). */
async function requestAndFetchBody(w: World, dev: Principal, approver: Approver): Promise<{ grant: GrantRecord; body: Uint8Array }> {
  const { grant } = await w.grants.request(dev, REQUEST);
  const { body } = await w.grants.signingBody(approver.principal, grant.id);
  return { grant, body };
}

async function approvalCount(w: World, grantId: string): Promise<number> {
  return (await w.store.transaction((r) => r.grants.listApprovals(grantId))).length;
}

test('a request is stored pending with what was asked, and audited', async () => {
  await withWorld(async (w) => {
    const { dev } = await ordersWithDevAndApprovers(w);
    const view = await w.grants.request(dev, REQUEST);
    assert.equal(view.state, 'pending');
    assert.equal(view.grant.requester, 'dev');
    assert.deepEqual(view.grant.kinds, ['SNAPSHOT', 'LOGPOINT']);
    assert.equal(view.grant.requestedDurationMs, GRANT_LIMITS.defaultDurationMs);
    assert.equal(view.grant.body, undefined, 'no body until an approver asks for it');
    assert.deepEqual(await w.grants.show(dev, view.grant.id), view);
    assert.ok((await w.auditActions()).includes('grant.request'));
  });
});

test('bad or unauthorised requests are refused, stored nowhere, and the refusal is audited', async () => {
  await withWorld(async (w) => {
    const { dev, ann } = await ordersWithDevAndApprovers(w);
    const ops = await w.user('ops2', ['ops']);
    await assert.rejects(w.grants.request(dev, { ...REQUEST, scopeGlobs: [] }), code(BrokerErrorCode.BadRequest));
    await assert.rejects(w.grants.request(dev, { ...REQUEST, reason: '' }), code(BrokerErrorCode.BadRequest));
    await assert.rejects(w.grants.request(dev, { ...REQUEST, kinds: ['EVAL'] }), code(BrokerErrorCode.BadRequest));
    await assert.rejects(w.grants.request(dev, { ...REQUEST, durationMs: -5 }), code(BrokerErrorCode.BadRequest));
    await assert.rejects(w.grants.request(dev, { ...REQUEST, service: 'nope' }), code(BrokerErrorCode.NotFound));
    await assert.rejects(w.grants.request(ann.principal, REQUEST), code(BrokerErrorCode.Forbidden));
    await assert.rejects(w.grants.request(ops, REQUEST), code(BrokerErrorCode.Forbidden));
    await w.services.setPolicy(w.ops, 'orders', { requesters: { roles: [], users: ['someone-else'] } });
    await assert.rejects(w.grants.request(dev, REQUEST), code(BrokerErrorCode.Forbidden));
    await w.services.setPolicy(w.ops, 'orders', { enabled: false, requesters: { roles: ['developer'] } });
    await assert.rejects(w.grants.request(dev, REQUEST), code(BrokerErrorCode.ServiceDisabled));
    assert.equal((await w.grants.list(dev)).length, 0);
    assert.equal((await w.auditActions()).filter((a) => a === 'grant.request.refused').length, 9);
    assert.equal((await verifyAudit(w.store)).ok, true);
  });
});

test('the signing body is the protobuf GrantBody with a 16-byte nonce and a 30-minute default window', async () => {
  await withWorld(async (w) => {
    const { dev, ann } = await ordersWithDevAndApprovers(w);
    const { grant } = await w.grants.request(dev, REQUEST);
    const signing = await w.grants.signingBody(ann.principal, grant.id);
    const body = decodeGrantBody(signing.body);
    assert.equal(body.grantId, grant.id);
    assert.equal(body.service, 'orders');
    assert.deepEqual({ ...body.selector }, { env: 'prod', region: 'eu-1' });
    assert.deepEqual(body.scopeGlobs, ['src/orders/**']);
    assert.deepEqual(body.kinds, [pb.ProbeKind.SNAPSHOT, pb.ProbeKind.LOGPOINT]);
    assert.equal(body.requester, 'dev');
    assert.equal(body.ticket, 'OPS-123');
    assert.equal(body.nonce.length, 16);
    assert.equal(body.notBeforeMs, w.now);
    assert.equal(body.notAfterMs, w.now + 30 * MIN);
    assert.deepEqual(Buffer.from(pb.GrantBody.encode(body).finish()), Buffer.from(signing.body), 'canonical: re-encoding gives the same bytes');
  });
});

test('the window is fixed once: later approvers get the same bytes, even much later', async () => {
  await withWorld(async (w) => {
    const { dev, ann, bob } = await ordersWithDevAndApprovers(w);
    const { grant } = await w.grants.request(dev, REQUEST);
    const first = await w.grants.signingBody(ann.principal, grant.id);
    await w.grants.approve(ann.principal, grant.id, first.body, ann.sign(first.body));
    w.now += 10 * MIN;
    const second = await w.grants.signingBody(bob.principal, grant.id);
    assert.deepEqual(Buffer.from(second.body), Buffer.from(first.body));
    assert.equal(second.notBeforeMs, first.notBeforeMs);
  });
});

test('a requested duration above the service maximum is capped to maxWindowMs', async () => {
  await withWorld(async (w) => {
    const { dev, ann } = await ordersWithDevAndApprovers(w, { maxWindowMs: 10 * MIN });
    const { grant } = await w.grants.request(dev, { ...REQUEST, durationMs: 8 * 60 * MIN });
    const signing = await w.grants.signingBody(ann.principal, grant.id);
    assert.equal(signing.notAfterMs - signing.notBeforeMs, 10 * MIN);
    assert.equal(decodeGrantBody(signing.body).notAfterMs, signing.notAfterMs);
  });
});

test('K=2: two distinct approvers approve; one approver twice counts once and the replay is refused', async () => {
  await withWorld(async (w) => {
    const { dev, ann, bob } = await ordersWithDevAndApprovers(w);
    const { grant, body } = await requestAndFetchBody(w, dev, ann);
    const annSig = ann.sign(body);

    const afterAnn = await w.grants.approve(ann.principal, grant.id, body, annSig);
    assert.equal(afterAnn.state, 'pending');
    assert.equal(afterAnn.approvals.length, 1);

    await assert.rejects(w.grants.approve(ann.principal, grant.id, body, annSig), (err: unknown) => isBrokerError(err) && err.code === BrokerErrorCode.ApprovalReplayed && /counts once/.test(err.message));
    await assert.rejects(w.grants.approve(ann.principal, grant.id, body, ann.sign(body)), code(BrokerErrorCode.ApprovalReplayed));
    assert.equal(await approvalCount(w, grant.id), 1);

    const done = await w.grants.approve(bob.principal, grant.id, body, bob.sign(body));
    assert.equal(done.state, 'active');
    assert.deepEqual(done.approvals.map((a) => a.approverId).sort(), ['ann', 'bob']);

    // What agents receive verifies with nothing but the approvers' public keys.
    const signed = await w.grants.signedGrant(grant.id);
    assert.ok(signed);
    const keys = { ann: ann.publicKeyPem, bob: bob.publicKeyPem } as Record<string, string>;
    for (const a of signed.approvals) {
      assert.equal(verify(null, signed.body, createPublicKey(keys[a.approverId] ?? ''), a.signature), true, a.approverId);
    }
    // The replay after approval is still named as a replay.
    await assert.rejects(w.grants.approve(ann.principal, grant.id, body, annSig), code(BrokerErrorCode.ApprovalReplayed));
    const carl = await w.approver('carl');
    await assert.rejects(w.grants.approve(carl.principal, grant.id, body, carl.sign(body)), code(BrokerErrorCode.GrantNotPending));
  });
});

test('signatures over other bytes, by other keys, or mangled are refused and nothing is stored', async () => {
  await withWorld(async (w) => {
    const { dev, ann, bob } = await ordersWithDevAndApprovers(w);
    const g1 = (await w.grants.request(dev, REQUEST)).grant;
    const g2 = (await w.grants.request(dev, REQUEST)).grant;
    const b1 = (await w.grants.signingBody(ann.principal, g1.id)).body;
    const b2 = (await w.grants.signingBody(ann.principal, g2.id)).body;

    // An approval of grant 2 replayed against grant 1.
    await assert.rejects(w.grants.approve(ann.principal, g1.id, b2, ann.sign(b2)), code(BrokerErrorCode.ApprovalBodyMismatch));
    // Right bytes, someone else's key.
    await assert.rejects(w.grants.approve(ann.principal, g1.id, b1, bob.sign(b1)), code(BrokerErrorCode.BadSignature));
    // One flipped bit in the signature, and a signature of the wrong size.
    const sig = ann.sign(b1);
    sig[10] = (sig[10] ?? 0) ^ 1;
    await assert.rejects(w.grants.approve(ann.principal, g1.id, b1, sig), code(BrokerErrorCode.BadSignature));
    await assert.rejects(w.grants.approve(ann.principal, g1.id, b1, new Uint8Array(3)), code(BrokerErrorCode.BadSignature));
    assert.equal(await approvalCount(w, g1.id), 0);

    const refused = (await w.store.transaction((r) => r.audit.list(0, 1000))).filter((r) => r.action === 'grant.approve.refused');
    assert.deepEqual(
      refused.map((r) => (JSON.parse(r.details) as { code: string }).code),
      [BrokerErrorCode.ApprovalBodyMismatch, BrokerErrorCode.BadSignature, BrokerErrorCode.BadSignature, BrokerErrorCode.BadSignature],
    );
    // A good approval still goes through afterwards.
    assert.equal((await w.grants.approve(ann.principal, g1.id, b1, ann.sign(b1))).approvals.length, 1);
  });
});

test('an approver without a registered key cannot approve', async () => {
  await withWorld(async (w) => {
    const { dev } = await ordersWithDevAndApprovers(w);
    const keyless = await w.user('kim', ['approver']);
    const { grant } = await w.grants.request(dev, REQUEST);
    const { body } = await w.grants.signingBody(keyless, grant.id);
    await assert.rejects(w.grants.approve(keyless, grant.id, body, new Uint8Array(64)), code(BrokerErrorCode.NoApproverKey));
  });
});

test('nobody decides on their own request, even holding both roles', async () => {
  await withWorld(async (w) => {
    await w.service('orders', { approvalsRequired: 1 });
    const both = await w.approver('pat', ['developer']);
    const { grant } = await w.grants.request(both.principal, REQUEST);
    await assert.rejects(w.grants.signingBody(both.principal, grant.id), code(BrokerErrorCode.SelfApproval));
    await assert.rejects(w.grants.reject(both.principal, grant.id, 'no'), code(BrokerErrorCode.SelfApproval));
    const dev = await w.user('dev', ['developer']);
    await assert.rejects(w.grants.signingBody(dev, grant.id), code(BrokerErrorCode.Forbidden), 'developers cannot approve');
  });
});

test('a rejected grant cannot be approved afterwards', async () => {
  await withWorld(async (w) => {
    const { dev, ann, bob } = await ordersWithDevAndApprovers(w);
    const { grant, body } = await requestAndFetchBody(w, dev, ann);
    const rejected = await w.grants.reject(bob.principal, grant.id, 'scope too wide');
    assert.equal(rejected.state, 'rejected');
    assert.equal(rejected.grant.closedBy, 'bob');
    await assert.rejects(w.grants.approve(ann.principal, grant.id, body, ann.sign(body)), code(BrokerErrorCode.GrantNotPending));
  });
});

test('revocation: the requester their own, approvers and ops any, other developers none', async () => {
  await withWorld(async (w) => {
    const { dev, ann } = await ordersWithDevAndApprovers(w, { approvalsRequired: 1 });
    const other = await w.user('dev2', ['developer']);
    const admin = w.admin;

    const mine = (await w.grants.request(dev, REQUEST)).grant;
    await assert.rejects(w.grants.revoke(other, mine.id, 'not yours'), code(BrokerErrorCode.Forbidden));
    await assert.rejects(w.grants.revoke(admin, mine.id, 'admins do not revoke'), code(BrokerErrorCode.Forbidden));
    assert.equal((await w.grants.revoke(dev, mine.id, 'done')).state, 'revoked');
    await assert.rejects(w.grants.revoke(dev, mine.id, 'again'), code(BrokerErrorCode.GrantNotPending));

    const approved = (await w.grants.request(dev, REQUEST)).grant;
    await w.signAndApprove(approved.id, ann);
    assert.ok(await w.grants.signedGrant(approved.id));
    assert.equal((await w.grants.revoke(w.ops, approved.id, 'incident over')).state, 'revoked');
    assert.equal(await w.grants.signedGrant(approved.id), undefined, 'revoked grants are no longer delivered');

    const third = (await w.grants.request(dev, REQUEST)).grant;
    assert.equal((await w.grants.revoke(ann.principal, third.id, 'not needed')).grant.closedBy, 'ann');
  });
});

test('approvals after the window ended are refused; an approved grant expires with its window', async () => {
  await withWorld(async (w) => {
    const { dev, ann, bob } = await ordersWithDevAndApprovers(w);
    const { grant, body } = await requestAndFetchBody(w, dev, ann);
    await w.grants.approve(ann.principal, grant.id, body, ann.sign(body));
    w.now += 31 * MIN;
    await assert.rejects(w.grants.approve(bob.principal, grant.id, body, bob.sign(body)), code(BrokerErrorCode.WindowExpired));
    assert.equal((await w.grants.show(dev, grant.id)).state, 'expired');

    const next = (await w.grants.request(dev, REQUEST)).grant;
    await w.signAndApprove(next.id, ann, bob);
    assert.equal((await w.grants.show(dev, next.id)).state, 'active');
    w.now += 30 * MIN;
    assert.equal((await w.grants.show(dev, next.id)).state, 'expired');
  });
});

test('a body nobody signed before its window passed is replaced by a fresh one', async () => {
  await withWorld(async (w) => {
    const { dev, ann } = await ordersWithDevAndApprovers(w);
    const { grant } = await w.grants.request(dev, REQUEST);
    const stale = await w.grants.signingBody(ann.principal, grant.id);
    w.now += 45 * MIN;
    const fresh = await w.grants.signingBody(ann.principal, grant.id);
    assert.notDeepEqual(Buffer.from(fresh.body), Buffer.from(stale.body));
    assert.equal(fresh.notBeforeMs, w.now);
    await assert.rejects(w.grants.approve(ann.principal, grant.id, stale.body, ann.sign(stale.body)), code(BrokerErrorCode.ApprovalBodyMismatch));
  });
});

test('every step lands in a valid audit chain, and listeners hear committed changes only', async () => {
  await withWorld(async (w) => {
    const { dev, ann } = await ordersWithDevAndApprovers(w, { approvalsRequired: 1 });
    const heard: string[] = [];
    w.grants.onChange((v) => heard.push(`${v.grant.id}:${v.state}`));
    const { grant, body } = await requestAndFetchBody(w, dev, ann);
    await assert.rejects(w.grants.approve(ann.principal, grant.id, body, new Uint8Array(64)));
    await w.grants.approve(ann.principal, grant.id, body, ann.sign(body));
    await w.grants.revoke(dev, grant.id, 'fixed');
    assert.deepEqual(heard, [`${grant.id}:pending`, `${grant.id}:active`, `${grant.id}:revoked`]);
    const actions = (await w.auditActions()).filter((a) => a.startsWith('grant.'));
    assert.deepEqual(actions, ['grant.request', 'grant.body', 'grant.approve.refused', 'grant.approve', 'grant.revoke']);
    assert.equal((await verifyAudit(w.store)).ok, true);
  });
});
