import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pb } from '@keyhole/protocol';
import { SNAPSHOT_SHAPE_LIMITS, shapeMessage, shapeProblems } from './snapshotShape';

const at = { path: '/srv/app.js', line: 3, column: 1 };
const local = (variables: pb.IProperty[]): pb.IScope => ({ kind: pb.ScopeKind.LOCAL, variables });

test('a snapshot as agents write it has no problems', () => {
  const s: pb.ISnapshot = {
    id: 'a',
    frames: [{ functionName: 'f', generated: at, scopes: [local([{ name: 'm', value: { kind: pb.ValueKind.MAP, entries: [{ key: { kind: pb.ValueKind.STRING, text: 'k' }, value: { kind: pb.ValueKind.NUMBER, text: '1' } }] } }])] }],
  };
  assert.deepEqual(shapeProblems(s), []);
});

test('a frame without a position, unknown value and scope kinds, nested ones included, are named', () => {
  const s: pb.ISnapshot = {
    id: 'a',
    frames: [
      { functionName: 'ghost', scopes: [local([{ name: 'x', value: { kind: 99 as pb.ValueKind } }, { name: 'o', value: { kind: pb.ValueKind.OBJECT, properties: [{ name: 'inner', value: {} }] } }])] },
      { generated: at, scopes: [{ kind: 42 as pb.ScopeKind, variables: [] }] },
    ],
  };
  assert.deepEqual(shapeProblems(s), [
    'frame 0 (ghost) has no source position',
    'frame 0 (ghost) x has unknown value kind 99',
    'frame 0 (ghost) o.inner has unknown value kind 0',
    'frame 1 (anonymous) has a scope of unknown kind 42',
  ]);
});

test('the message names at most maxProblemsShown problems and counts the rest', () => {
  const problems = Array.from({ length: SNAPSHOT_SHAPE_LIMITS.maxProblemsShown + 2 }, (_, i) => `p${i}`);
  const m = shapeMessage('abc', problems);
  assert.match(m, /^KH_SNAPSHOT_SHAPE: snapshot abc /);
  assert.match(m, /p4 and 2 more$/);
  assert.doesNotMatch(m, /p5/);
});
