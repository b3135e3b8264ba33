import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pb } from '@keyhole/protocol';
import { buildReader, globalAccessor, READER_BINDING } from './readerCode';
import type { PlannedScope } from './scopePlan';

const scope = (names: string[], outer: boolean, uninitialized: string[] = []): PlannedScope => ({
  kind: outer ? pb.ScopeKind.CLOSURE : pb.ScopeKind.LOCAL,
  name: '',
  bindings: names.map((name) => ({ name, uninitialized: uninitialized.includes(name) })),
  total: names.length,
  outer,
});

test('the reader reads each planned binding into its own slot; a binding that throws leaves a hole', () => {
  const reader = buildReader([scope(['a', 'missing', 'b'], false), scope(['c'], true)]);
  assert.deepEqual(reader.slotOf, [[0, 1, 2], [3]]);
  const a = 1;
  const b = 'two';
  const c = { three: 3 };
  // Direct eval: the reader runs in this function's scope, as it does in a breakpoint condition.
  const values = eval(reader.code) as unknown[];
  assert.equal(values.length, 4);
  assert.deepEqual([values[0], values[2], values[3]], [1, 'two', { three: 3 }]);
  assert.equal(1 in values, false, 'the unknown name left a hole');
  void [a, b, c];
});

test('uninitialized bindings, the reader\'s own name, and outer names that are global accessors are not read', () => {
  const reader = buildReader([scope(['x', 'late', READER_BINDING], false, ['late']), scope(['crypto', 'y'], true)], (n) => n === 'crypto');
  assert.deepEqual(reader.slotOf, [[0, -1, -1], [-1, 1]]);
  assert.doesNotMatch(reader.code, /\bcrypto\b|\blate\b/);
  // A local of the probe's own function is always there: read even when a global accessor has its name.
  assert.deepEqual(buildReader([scope(['crypto'], false)], () => true).slotOf, [[0]]);
});

test("globalAccessor spots Node's lazy globals through descriptors, without reading them", () => {
  assert.equal(globalAccessor('crypto'), true);
  assert.equal(globalAccessor('Array'), false);
  assert.equal(globalAccessor('noSuchGlobalAnywhere'), false);
});
