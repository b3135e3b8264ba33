import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pb } from '@keyhole/protocol';
import { buildReader } from './readerCode';
import type { PlannedScope } from './scopePlan';

const scope = (names: string[], uninitialized: string[] = [], guarded: string[] = []): PlannedScope => ({
  kind: pb.ScopeKind.LOCAL,
  name: '',
  bindings: names.map((name) => ({ name, uninitialized: uninitialized.includes(name), mayBeUninitialized: guarded.includes(name) })),
  total: names.length,
});
const TDZ = { tdz: true };

test('the reader is an array of the planned names; each binding knows its index', () => {
  const reader = buildReader([scope(['a', 'late', 'b'], ['late']), scope(['c'])], 'TDZ');
  assert.equal(reader.expression, '[a,b,c]');
  assert.deepEqual(reader.slotOf, [[0, -1, 1], [2]]);
  const a = 1;
  const b = 'two';
  const c = { three: 3 };
  // Evaluated in this function's scope, as a breakpoint condition is in the probe's frame.
  assert.deepEqual(eval(reader.expression), [1, 'two', { three: 3 }]);
  void [a, b, c];
});

test('no scope, no reads: an empty array', () => {
  assert.deepEqual(buildReader([], 'TDZ'), { expression: '[]', slotOf: [] });
});

test('a lexical binding kept in a context is read through a guard: in its TDZ it yields the marker instead of throwing', () => {
  const reader = buildReader([scope(['ready', 'notYet'], [], ['ready', 'notYet'])], 'TDZ');
  const read = () => eval(reader.expression) as unknown[];
  const early = read(); // notYet is still in its temporal dead zone here
  const ready = 1;
  const notYet = 2;
  assert.deepEqual(early, [TDZ, TDZ]);
  assert.deepEqual(read(), [1, 2]);
  void [ready, notYet, TDZ];
});
