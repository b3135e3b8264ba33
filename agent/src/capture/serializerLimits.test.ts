import { TEST_LIMITS } from './fixtures/testLimits';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pb } from '@keyhole/protocol';
import { type CaptureLimits } from './limits';
import { createSerializeContext, serializeValue, serializeVariables } from './serializer';
import { createTestRedactor } from './fixtures/testRedactor';

const K = pb.ValueKind;
const R = pb.CutReason;

function contextWith(limits: Partial<CaptureLimits>, now?: () => number) {
  return createSerializeContext({ ...TEST_LIMITS, ...limits }, createTestRedactor(), now);
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}

test('depth: values nested deeper than maxDepth are described, not expanded', () => {
  const ctx = contextWith({});
  const v = serializeValue({ a: { b: { c: { d: 1 }, list: [[1, 2, 3]] } } }, ctx);
  const b = v.properties?.[0]?.value?.properties?.[0]?.value;
  assert.deepEqual(b?.properties?.[0]?.value, { kind: K.OBJECT, text: 'Object', className: 'Object', cut: { reason: R.DEPTH, originalSize: 0 } });
  assert.deepEqual(b?.properties?.[1]?.value, { kind: K.ARRAY, text: 'Array(1)', className: 'Array', cut: { reason: R.DEPTH, originalSize: 1 } });
  const shallow = serializeValue({ m: new Map([[1, 2]]) }, contextWith({ maxDepth: 1 }));
  assert.deepEqual(shallow.properties?.[0]?.value, { kind: K.MAP, text: 'Map(1)', className: 'Map', cut: { reason: R.DEPTH, originalSize: 1 } });
});

test('properties: at most maxProperties, cut with the original count', () => {
  const wide = Object.fromEntries(range(25).map((i) => [`k${i}`, i]));
  const v = serializeValue(wide, contextWith({}));
  assert.equal(v.properties?.length, 20);
  assert.equal(v.properties?.[19]?.name, 'k19');
  assert.deepEqual(v.cut, { reason: R.PROPERTY_COUNT, originalSize: 25 });
  const scope = serializeVariables(wide, contextWith({ maxProperties: 3 }));
  assert.deepEqual(
    scope.variables.map((p) => p.name),
    ['k0', 'k1', 'k2'],
  );
  assert.deepEqual(scope.cut, { reason: R.PROPERTY_COUNT, originalSize: 25 });
});

test('collections: at most maxCollectionItems, cut with the original count', () => {
  const ctx = contextWith({});
  const items = range(150);
  const arr = serializeValue(items, ctx);
  assert.equal(arr.properties?.length, 100);
  assert.equal(arr.properties?.[99]?.name, '99');
  assert.deepEqual(arr.cut, { reason: R.COLLECTION_ITEMS, originalSize: 150 });
  const map = serializeValue(new Map(items.map((i) => [i, i])), ctx);
  assert.equal(map.entries?.length, 100);
  assert.deepEqual(map.cut, { reason: R.COLLECTION_ITEMS, originalSize: 150 });
  const set = serializeValue(new Set(items), ctx);
  assert.equal(set.entries?.length, 100);
  assert.deepEqual(set.cut, { reason: R.COLLECTION_ITEMS, originalSize: 150 });
  const typed = serializeValue(new Float64Array(1e6), ctx);
  assert.equal(typed.properties?.length, 100);
  assert.deepEqual(typed.cut, { reason: R.COLLECTION_ITEMS, originalSize: 1e6 });
  const buffer = serializeValue(new ArrayBuffer(4096), ctx);
  assert.equal(buffer.properties?.length, 100);
  assert.deepEqual(buffer.cut, { reason: R.COLLECTION_ITEMS, originalSize: 4096 });
  assert.deepEqual(ctx.errors, []);
});

test('strings: cut to maxStringLength with the original length, surrogate pairs kept whole', () => {
  const ctx = contextWith({});
  const long = 'x'.repeat(300);
  assert.deepEqual(serializeValue(long, ctx), { kind: K.STRING, text: 'x'.repeat(255), cut: { reason: R.STRING_LENGTH, originalSize: 300 } });
  const emoji = serializeValue('a' + '😀'.repeat(10), contextWith({ maxStringLength: 4 }));
  assert.deepEqual(emoji, { kind: K.STRING, text: 'a😀', cut: { reason: R.STRING_LENGTH, originalSize: 21 } });
  const longName = serializeValue({ ['n'.repeat(300)]: 1 }, ctx);
  assert.equal(longName.properties?.[0]?.name, 'n'.repeat(255) + '…');
});

test('bytes: once maxBytes is spent the rest is cut with reason BYTES and an error is recorded', () => {
  const ctx = contextWith({ maxBytes: 300 });
  const v = serializeValue(range(50).map((i) => `item-${i}-`.padEnd(40, '.')), ctx);
  const shown = v.properties?.length ?? 0;
  assert.ok(shown > 0 && shown < 50, `shown ${shown}`);
  assert.deepEqual(v.cut, { reason: R.BYTES, originalSize: 50 });
  assert.deepEqual(serializeValue({ later: 1 }, ctx), { kind: K.OBJECT, cut: { reason: R.BYTES, originalSize: 0 } });
  assert.deepEqual(serializeValue('later', ctx), { kind: K.STRING, cut: { reason: R.BYTES, originalSize: 5 } });
  assert.deepEqual(serializeVariables({ a: 1 }, ctx), { variables: [], cut: { reason: R.BYTES, originalSize: 1 } });
  assert.deepEqual(
    ctx.errors.map((e) => e.code),
    ['KH_CAPTURE_BYTE_BUDGET'],
  );
  assert.ok(ctx.budget.bytesUsed > 300);
});

test('time: once the time budget is spent the rest is cut with reason TIME and an error is recorded', () => {
  let clock = 0;
  // A fake clock that advances 1 ms per reading: the budget of 5 ms lasts a few readings.
  const ctx = contextWith({ timeBudgetMs: 5 }, () => clock++);
  const v = serializeValue(range(100), ctx);
  const shown = v.properties?.length ?? 0;
  assert.ok(shown > 0 && shown < 100, `shown ${shown}`);
  assert.deepEqual(v.cut, { reason: R.TIME, originalSize: 100 });
  assert.deepEqual(serializeValue(new Map(), ctx), { kind: K.MAP, cut: { reason: R.TIME, originalSize: 0 } });
  assert.deepEqual(
    ctx.errors.map((e) => e.code),
    ['KH_CAPTURE_TIME_BUDGET'],
  );
});

test('a budget cut inside a nested object marks that object and stops its parent', () => {
  let clock = 0;
  const ctx = contextWith({ timeBudgetMs: 10 }, () => clock++);
  const v = serializeValue({ first: range(100), second: range(100) }, ctx);
  assert.deepEqual(v.properties?.[0]?.value?.cut, { reason: R.TIME, originalSize: 100 });
  assert.equal(v.properties?.length, 1);
  assert.deepEqual(v.cut, { reason: R.TIME, originalSize: 2 });
});
