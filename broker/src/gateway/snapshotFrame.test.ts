import assert from 'node:assert/strict';
import { test } from 'node:test';
import { encodeAgentMessage, pb } from '@keyhole/protocol';
import { encodedSnapshotOf } from './snapshotFrame';

const snapshot: pb.Snapshot.$Properties = {
  id: 's1',
  probeId: 'p1',
  grantId: 'g1',
  service: 'orders',
  capturedAtMs: 1_700_000_000_000,
  frames: [{ functionName: 'checkout', generated: { path: '/srv/app/checkout.js', line: 12, column: 3 }, scopes: [{ kind: pb.ScopeKind.LOCAL, variables: [{ name: 'email', value: { kind: pb.ValueKind.STRING, text: '[MASKED:email]', masked: ['email'] } }] }] }],
  maskedKinds: ['email'],
};

test('a snapshot frame yields the snapshot exactly as the agent encoded it', () => {
  const frame = Buffer.from(encodeAgentMessage({ snapshot }));
  const bytes = encodedSnapshotOf(frame);
  assert.ok(bytes);
  assert.deepEqual(Buffer.from(bytes), Buffer.from(pb.Snapshot.encode(snapshot).finish()));
  assert.deepEqual(pb.Snapshot.toObject(pb.Snapshot.decode(bytes)), pb.Snapshot.toObject(pb.Snapshot.create(snapshot)));
  frame.fill(0);
  assert.notEqual(bytes[0], 0, 'the result is a copy, not a view into the frame');
});

test('a snapshot longer than 127 bytes (a two-byte length) is found too', () => {
  const big = { ...snapshot, traceId: 'x'.repeat(5000) };
  const bytes = encodedSnapshotOf(Buffer.from(encodeAgentMessage({ snapshot: big })));
  assert.equal(pb.Snapshot.decode(bytes ?? new Uint8Array()).traceId.length, 5000);
});

test('frames that are not exactly one snapshot field give undefined', () => {
  const one = Buffer.from(encodeAgentMessage({ snapshot }));
  assert.equal(encodedSnapshotOf(Buffer.from(encodeAgentMessage({ heartbeat: { sentAtMs: 1 } }))), undefined, 'another message');
  assert.equal(encodedSnapshotOf(Buffer.concat([one, one])), undefined, 'a repeated field, which protobuf merges');
  assert.equal(encodedSnapshotOf(one.subarray(0, one.length - 1)), undefined, 'truncated');
  assert.equal(encodedSnapshotOf(Buffer.from([0x1a, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01])), undefined, 'an overlong length varint');
  assert.equal(encodedSnapshotOf(Buffer.from([0x1a])), undefined, 'no length');
  assert.equal(encodedSnapshotOf([one]), undefined, 'fragments: left to the re-encoding path');
});
