import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pb } from '@keyhole/protocol';
import { lookupPath, parseMemberPath } from './memberPath';

test('member paths: names, dots, indexes and quoted keys parse; anything else is refused', () => {
  assert.deepEqual(parseMemberPath('a.b[0]["x y"][\'z\']'), { ok: true, parts: ['a', 'b', '0', 'x y', 'z'] });
  for (const bad of ['a()', 'a + 1', 'a = 2', '1', 'a[b]', 'a.', '']) assert.equal(parseMemberPath(bad).ok, false, bad);
});

test('lookup reads the innermost captured scope, walks properties and Map keys, and says why a member is missing', () => {
  const str = (text: string): pb.IValue => ({ kind: pb.ValueKind.STRING, text });
  const frame: pb.IStackFrame = {
    scopes: [
      { kind: pb.ScopeKind.CLOSURE, variables: [{ name: 'x', value: str('closure') }] },
      {
        kind: pb.ScopeKind.LOCAL,
        variables: [
          { name: 'x', value: str('local') },
          { name: 'm', value: { kind: pb.ValueKind.MAP, entries: [{ key: str('k'), value: str('v') }] } },
          { name: 'o', value: { kind: pb.ValueKind.OBJECT, properties: [{ name: 'g', value: { kind: pb.ValueKind.GETTER, text: '[Getter]' } }] } },
          { name: 'c', value: { kind: pb.ValueKind.OBJECT, cut: { reason: pb.CutReason.PROPERTY_COUNT } } },
        ],
      },
    ],
  };
  assert.deepEqual(lookupPath(frame, ['x']), { ok: true, value: str('local') });
  assert.deepEqual(lookupPath(frame, ['m', 'k']), { ok: true, value: str('v') });
  const viaGetter = lookupPath(frame, ['o', 'g', 'deeper']);
  assert.ok(!viaGetter.ok && /getter, which Keyhole never runs/.test(viaGetter.why));
  const cut = lookupPath(frame, ['c', 'gone']);
  assert.ok(!cut.ok && /cut by a capture limit/.test(cut.why));
  const absent = lookupPath(frame, ['nobody']);
  assert.ok(!absent.ok && /not captured/.test(absent.why));
});
