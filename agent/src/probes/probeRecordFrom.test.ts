import { test } from 'node:test';
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { pb } from '@keyhole/protocol';
import { DEFAULT_CAPTURE_LIMITS } from '../capture/limits';
import { DEFAULT_RATE } from '../config';
import { GrantBook } from '../grants/grantBook';
import { parseTrustFile } from '../grants/trustFile';
import { probeRecordFrom } from './probeRecordFrom';

const NOW = Date.now();
const GRANT_END = NOW + 600_000;
const ann = generateKeyPairSync('ed25519');

/** A real grant book holding one grant signed by a trusted approver: g1, snapshots and logpoints under src/. */
function authority(): GrantBook {
  const trust = parseTrustFile(JSON.stringify({ version: 1, service: 'orders', approvalsRequired: 1, maxWindowMs: 3_600_000, approvers: [{ id: 'ann', publicKeyPem: ann.publicKey.export({ type: 'spki', format: 'pem' }).toString() }] }), 'orders');
  assert.ok(trust.ok);
  const book = new GrantBook(trust.policy, {}, () => NOW);
  const body = pb.GrantBody.encode(
    pb.GrantBody.create({ grantId: 'g1', service: 'orders', scopeGlobs: ['src/**'], kinds: [pb.ProbeKind.SNAPSHOT, pb.ProbeKind.LOGPOINT], requester: 'dev', reason: 'bug', notBeforeMs: NOW - 1000, notAfterMs: GRANT_END, nonce: new Uint8Array(16).fill(7) }),
  ).finish();
  assert.ok(book.add(pb.SignedGrant.create({ body, approvals: [{ approverId: 'ann', signature: sign(null, body, ann.privateKey), signedAtMs: NOW }] })).ok);
  return book;
}

const deps = { authority: authority(), limits: DEFAULT_CAPTURE_LIMITS, rate: DEFAULT_RATE };
const probe = (over: Partial<pb.Probe.$Properties> = {}) => pb.Probe.create({ id: 'p1', grantId: 'g1', kind: pb.ProbeKind.SNAPSHOT, location: { path: 'src/orders.ts', line: 3 }, ...over });

function slots() {
  let next = 0;
  const take = () => next++;
  return { take, taken: () => next };
}

test('each kind of bad probe is refused with its code, and takes no slot', () => {
  const s = slots();
  const code = (over: Partial<pb.Probe.$Properties>) => {
    const r = probeRecordFrom(probe(over), s.take, deps);
    return 'code' in r ? r.code : 'taken';
  };
  assert.equal(code({ kind: pb.ProbeKind.PROBE_KIND_UNSPECIFIED }), 'KH_PROBE_KIND');
  assert.equal(code({ location: { path: 'src/orders.ts', line: 0 } }), 'KH_PROBE_LOCATION');
  assert.equal(code({ grantId: 'g-unknown' }), 'KH_GRANT_UNKNOWN');
  assert.match(code({ condition: 'process.exit()' }), /^KH_/);
  assert.match(code({ hitCondition: '>= banana' }), /^KH_/);
  assert.equal(code({ kind: pb.ProbeKind.LOGPOINT }), 'KH_PROBE_TEMPLATE');
  assert.equal(s.taken(), 0);
  assert.equal(code({}), 'taken');
  assert.equal(s.taken(), 1);
});

test('the record ends with the earlier of the probe and its grant, and falls back to the grant and the default for its hit limit', () => {
  const own = probeRecordFrom(probe({ expiresAtMs: NOW + 60_000 }), slots().take, deps);
  assert.ok('record' in own);
  assert.equal(own.record.expiresAtMs, NOW + 60_000);
  const late = probeRecordFrom(probe({ expiresAtMs: GRANT_END + 60_000 }), slots().take, deps);
  assert.ok('record' in late);
  assert.equal(late.record.expiresAtMs, GRANT_END);
  assert.equal(late.record.maxHits, DEFAULT_RATE.defaultMaxHits);
  assert.equal(late.record.state, pb.ProbeState.PENDING);
  assert.match(late.record.condition, /gate\(0\)/, 'the slot is baked into the condition');
});

test('a snapshot that reads only its own frame is planned pause-free; one with callers pauses; a logpoint knows its placeholders', () => {
  const own = probeRecordFrom(probe({ framesWithLocals: 1 }), slots().take, deps);
  const callers = probeRecordFrom(probe({ framesWithLocals: 3 }), slots().take, deps);
  const log = probeRecordFrom(probe({ kind: pb.ProbeKind.LOGPOINT, logTemplate: 'order {order.id} x{qty}' }), slots().take, deps);
  assert.ok('record' in own && 'record' in callers && 'record' in log);
  assert.equal(own.record.mode.kind, 'planning');
  assert.equal(callers.record.mode.kind, 'pausing');
  assert.deepEqual(log.record.templateNames, ['id', 'qty']);
});
