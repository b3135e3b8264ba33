import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign, type KeyObject } from 'node:crypto';
import { pb } from '@keyhole/protocol';
import { GrantBook, CLOCK_SKEW_MS } from './grantBook';
import { parseTrustFile } from './trustFile';
import { compileScopeGlob, inScope } from '@keyhole/protocol';

const NOW = 1_800_000_000_000;
const keys = Object.fromEntries(['ann', 'bob', 'dev', 'eve'].map((id) => [id, generateKeyPairSync('ed25519')])) as Record<string, { publicKey: KeyObject; privateKey: KeyObject }>;
const pem = (id: string): string => keys[id]!.publicKey.export({ type: 'spki', format: 'pem' }).toString();

function trust(k: number, approvers = ['ann', 'bob', 'dev']) {
  const r = parseTrustFile(JSON.stringify({ version: 1, service: 'orders', approvalsRequired: k, maxWindowMs: 3_600_000, approvers: approvers.map((id) => ({ id, publicKeyPem: pem(id) })) }), 'orders');
  assert.ok(r.ok, JSON.stringify(r));
  return r.policy;
}

function body(over: Partial<pb.GrantBody.$Properties> = {}): Uint8Array {
  return pb.GrantBody.encode(
    pb.GrantBody.create({
      grantId: 'g1', service: 'orders', selector: { region: 'eu' }, scopeGlobs: ['src/orders/**'], kinds: [pb.ProbeKind.SNAPSHOT],
      requester: 'dev', reason: 'bug', ticket: 'OPS-1', notBeforeMs: NOW - 1000, notAfterMs: NOW + 600_000, nonce: new Uint8Array(16).fill(1), ...over,
    }),
  ).finish();
}

function signed(bytes: Uint8Array, signers: string[]): pb.SignedGrant {
  return pb.SignedGrant.create({ body: bytes, approvals: signers.map((id) => ({ approverId: id, signature: sign(null, bytes, keys[id]!.privateKey), signedAtMs: NOW })) });
}

const book = (k = 1) => new GrantBook(trust(k), { region: 'eu', tier: 'web' }, () => NOW);
const probe = (over: Partial<pb.Probe.$Properties> = {}) => pb.Probe.create({ id: 'p1', grantId: 'g1', kind: pb.ProbeKind.SNAPSHOT, location: { path: 'src/orders/handler.ts', line: 3 }, ...over });

test('a grant signed by enough trusted approvers authorizes probes in its scope', () => {
  const b = book(2);
  const r = b.add(signed(body(), ['ann', 'bob']));
  assert.ok(r.ok, JSON.stringify(r));
  const a = b.authorize(probe());
  assert.ok(a.ok);
  assert.equal(b.isActive('g1', NOW), true);
});

const refusals: [string, () => pb.SignedGrant, string, number?][] = [
  ['unsigned', () => signed(body(), []), 'KH_GRANT_SIGNATURES'],
  ['signed by an untrusted key', () => signed(body(), ['eve']), 'KH_GRANT_SIGNATURES'],
  ['body edited after signing', () => { const s = signed(body(), ['ann']); const edited = body({ scopeGlobs: ['**'] }); return pb.SignedGrant.create({ body: edited, approvals: s.approvals }); }, 'KH_GRANT_SIGNATURES'],
  ['a signature under another approver\'s name', () => { const bytes = body(); return pb.SignedGrant.create({ body: bytes, approvals: [{ approverId: 'ann', signature: sign(null, bytes, keys['eve']!.privateKey) }] }); }, 'KH_GRANT_SIGNATURES'],
  ['expired', () => signed(body({ notBeforeMs: NOW - 700_000, notAfterMs: NOW - 1 }), ['ann']), 'KH_GRANT_EXPIRED'],
  ['not yet valid', () => signed(body({ notBeforeMs: NOW + CLOCK_SKEW_MS + 1000, notAfterMs: NOW + 900_000 }), ['ann']), 'KH_GRANT_NOT_YET_VALID'],
  ['window longer than the trust file allows', () => signed(body({ notAfterMs: NOW + 7_200_000 }), ['ann']), 'KH_GRANT_WINDOW'],
  ['wrong service', () => signed(body({ service: 'billing' }), ['ann']), 'KH_GRANT_SERVICE'],
  ['wrong labels', () => signed(body({ selector: { region: 'us' } }), ['ann']), 'KH_GRANT_LABELS'],
  ['self-approved', () => signed(body(), ['dev']), 'KH_GRANT_SELF_APPROVED'],
  ['fewer than K distinct approvers (one signing twice)', () => signed(body(), ['ann', 'ann']), 'KH_GRANT_SIGNATURES', 2],
  ['K approvals counting the requester', () => signed(body(), ['ann', 'dev']), 'KH_GRANT_SELF_APPROVED', 2],
  ['garbage body', () => pb.SignedGrant.create({ body: new Uint8Array([0xff, 0xff, 0xff]), approvals: [] }), 'KH_GRANT_MALFORMED'],
];

for (const [name, make, code, k] of refusals) {
  test(`refused: ${name}`, () => {
    const b = book(k ?? 1);
    const r = b.add(make());
    assert.equal(r.ok, false);
    assert.equal(!r.ok && r.code, code, !r.ok ? r.message : '');
    assert.equal(b.authorize(probe()).ok, false);
  });
}

test('a revoked grant stops authorizing and cannot be re-added', () => {
  const b = book();
  const s = signed(body(), ['ann']);
  assert.ok(b.add(s).ok);
  b.revoke('g1');
  assert.equal(b.isActive('g1', NOW), false);
  const a = b.authorize(probe());
  assert.equal(!a.ok && a.code, 'KH_GRANT_REVOKED');
  const again = b.add(s);
  assert.equal(!again.ok && again.code, 'KH_GRANT_REVOKED');
});

test('probes outside scope or of a kind not granted are refused', () => {
  const b = book();
  assert.ok(b.add(signed(body(), ['ann'])).ok);
  const outside = b.authorize(probe({ location: { path: 'src/billing/pay.ts', line: 1 } }));
  assert.equal(!outside.ok && outside.code, 'KH_GRANT_SCOPE');
  const traversal = b.authorize(probe({ location: { path: 'src/orders/../billing/pay.ts', line: 1 } }));
  assert.equal(!traversal.ok && traversal.code, 'KH_GRANT_SCOPE');
  const kind = b.authorize(probe({ kind: pb.ProbeKind.LOGPOINT }));
  assert.equal(!kind.ok && kind.code, 'KH_GRANT_KIND');
});

test('the kill switch refuses everything until it is off', () => {
  const b = book();
  assert.ok(b.add(signed(body(), ['ann'])).ok);
  b.setKilled(true);
  assert.equal(b.isActive('g1', NOW), false);
  const a = b.authorize(probe());
  assert.equal(!a.ok && a.code, 'KH_KILL_SWITCH');
  b.setKilled(false);
  assert.ok(b.authorize(probe()).ok);
});

test('a grant stops being active exactly at its end', () => {
  let now = NOW;
  const b = new GrantBook(trust(1), { region: 'eu' }, () => now);
  assert.ok(b.add(signed(body(), ['ann'])).ok);
  assert.ok(b.isActive('g1', NOW + 599_999));
  assert.equal(b.isActive('g1', NOW + 600_000), false);
  now = NOW + 600_000;
  assert.deepEqual(b.sweep(), ['g1']);
});

test('trust files are validated with clear problems', () => {
  const bad = parseTrustFile(JSON.stringify({ version: 2, service: 'x', approvalsRequired: 3, approvers: [{ id: 'a', publicKeyPem: 'nope' }] }), 'orders');
  assert.equal(bad.ok, false);
  const text = !bad.ok ? bad.problems.join('\n') : '';
  assert.match(text, /version must be 1/);
  assert.match(text, /for service "x"/);
  assert.match(text, /not a PEM public key/);
  const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const r2 = parseTrustFile(JSON.stringify({ version: 1, service: 'orders', approvalsRequired: 1, approvers: [{ id: 'a', publicKeyPem: rsa }] }), 'orders');
  assert.match(!r2.ok ? r2.problems.join() : '', /not Ed25519/);
  assert.equal(parseTrustFile('{', 'orders').ok, false);
});

test('scope globs match on segment boundaries', () => {
  assert.ok(inScope('/home/dev/shop/src/orders/a.ts', ['src/orders/**']));
  assert.ok(inScope('src/orders/deep/b.ts', ['src/orders/**']));
  assert.equal(inScope('mysrc/orders/a.ts', ['src/orders/**']), false);
  assert.ok(inScope('src/a.ts', ['src/*.ts']));
  assert.equal(inScope('src/x/a.ts', ['src/*.ts']), false);
  assert.ok(inScope('lib/handler.js', ['**/handler.js']));
  assert.ok(compileScopeGlob('a?c.js').test('abc.js'));
  assert.equal(compileScopeGlob('a.js').test('abjs'), false);
});
