import { TEST_LIMITS } from './fixtures/testLimits';
/**
 * The serializer's caches: names the redactor left unchanged (kept across
 * captures, per redactor, bounded), class names by prototype (one capture
 * only), and depth-0 values reused within a capture. Each must give exactly
 * the result a capture without it gives, and nothing masked may be served
 * from a cache to a later capture.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pb } from '@keyhole/protocol';
import { type CaptureLimits } from './limits';
import { createSerializeContext, MAX_REUSED_VALUES, serializeValue, serializeVariables } from './serializer';
import { MAX_CACHED_PROTOTYPES } from './serializerLeaves';
import { CLEAN_NAME_CACHE_ENTRIES, CLEAN_NAME_MAX_LENGTH, cleanNamesOf } from './serializerNameCache';
import { createTestRedactor, SECRET } from './fixtures/testRedactor';
import type { Redactor } from '../redact/redactor';

const K = pb.ValueKind;

function contextFor(redactor: Redactor, limits: Partial<CaptureLimits> = {}) {
  return createSerializeContext({ ...TEST_LIMITS, ...limits }, redactor);
}

test('names masking left unchanged are not masked again in later captures of the same redactor', () => {
  const redactor = createTestRedactor();
  serializeVariables({ orderId: 1, customer: 2 }, contextFor(redactor));
  assert.deepEqual(redactor.maskedLengths, ['orderId'.length, 'customer'.length]);
  const second = serializeVariables({ orderId: 3, customer: 4 }, contextFor(redactor));
  assert.deepEqual(redactor.maskedLengths, ['orderId'.length, 'customer'.length], 'no second maskText for clean names');
  assert.deepEqual(
    second.variables.map((v) => [v.name, v.value?.text]),
    [
      ['orderId', '3'],
      ['customer', '4'],
    ],
  );
  // Another redactor (another policy) has its own cache.
  const other = createTestRedactor();
  serializeVariables({ orderId: 5 }, contextFor(other));
  assert.deepEqual(other.maskedLengths, ['orderId'.length]);
});

test('a name whose masking changed it is masked again in every capture and its kind recorded each time', () => {
  const redactor = createTestRedactor();
  const holder = { [SECRET]: 1 };
  for (let i = 0; i < 2; i++) {
    const ctx = contextFor(redactor);
    const { variables } = serializeVariables(holder, ctx);
    assert.deepEqual(variables, [{ name: '[MASKED:secret]', value: { kind: K.NUMBER, text: '1', masked: ['secret'] } }]);
    assert.deepEqual([...ctx.maskedKinds], ['secret'], `capture ${i + 1} records the kind`);
  }
  assert.deepEqual(redactor.maskedLengths, [SECRET.length, SECRET.length]);
  assert.equal(cleanNamesOf(redactor).entries[SECRET], undefined);
  // A later capture of clean names only records nothing masked.
  const clean = contextFor(redactor);
  serializeVariables({ plain: 1 }, clean);
  assert.deepEqual([...clean.maskedKinds], []);
});

test('sensitive names are remembered with their verdict; undecided verdicts and long names are not remembered', () => {
  const redactor = createTestRedactor();
  serializeVariables({ password: 'hunter2' }, contextFor(redactor));
  const again = contextFor(redactor);
  assert.deepEqual(serializeVariables({ password: 'hunter2' }, again).variables, [{ name: 'password', value: { kind: K.STRING, text: '[MASKED:password]', masked: ['password'] } }]);
  assert.deepEqual([...again.maskedKinds], ['password']);

  let throws = true;
  const flaky: Redactor = {
    sensitiveName(name) {
      if (throws) throw new Error('cannot decide');
      return redactor.sensitiveName(name);
    },
    maskText: (text) => redactor.maskText(text),
  };
  serializeVariables({ note: 'x' }, contextFor(flaky));
  assert.equal(cleanNamesOf(flaky).entries.note, undefined, 'a failed verdict is not remembered');
  throws = false;
  assert.deepEqual(serializeVariables({ note: 'x' }, contextFor(flaky)).variables, [{ name: 'note', value: { kind: K.STRING, text: 'x' } }]);

  const long = 'n'.repeat(CLEAN_NAME_MAX_LENGTH + 1);
  serializeVariables({ [long]: 1 }, contextFor(redactor));
  assert.equal(cleanNamesOf(redactor).entries[long], undefined);
});

test('the clean-name cache stays within CLEAN_NAME_CACHE_ENTRIES and starts afresh when full', () => {
  const redactor = createTestRedactor();
  const cache = cleanNamesOf(redactor);
  const batch = 1000;
  for (let start = 0; start < CLEAN_NAME_CACHE_ENTRIES + 2 * batch; start += batch) {
    const holder: Record<string, number> = {};
    for (let i = start; i < start + batch; i++) holder[`name${i}`] = i;
    serializeVariables(holder, contextFor(redactor, { maxProperties: batch }));
    assert.ok(cache.size <= CLEAN_NAME_CACHE_ENTRIES, `size ${cache.size}`);
  }
  assert.ok(cache.size < CLEAN_NAME_CACHE_ENTRIES, 'it was started afresh');
  assert.equal(Object.keys(cache.entries).length, cache.size);
});

test('class names come from the prototype as it is at each capture, and many classes in one capture are all named', () => {
  const redactor = createTestRedactor();
  class Order {}
  const order = new Order();
  assert.equal(serializeValue(order, contextFor(redactor)).className, 'Order');
  Object.defineProperty(Order.prototype, 'constructor', { value: function Renamed() {} });
  assert.equal(serializeValue(order, contextFor(redactor)).className, 'Renamed', 'nothing is kept from the previous capture');

  const many: Record<string, object> = {};
  for (let i = 0; i < MAX_CACHED_PROTOTYPES + 8; i++) {
    const C = { [`C${i}`]: class {} }[`C${i}`]!;
    many[`v${i}`] = new C();
  }
  const ctx = contextFor(redactor, { maxProperties: 100 });
  const firstPass = serializeVariables(many, ctx).variables.map((v) => v.value?.className);
  const secondPass = serializeVariables(many, ctx).variables.map((v) => v.value?.className);
  const expected = Object.keys(many).map((_, i) => `C${i}`);
  assert.deepEqual(firstPass, expected);
  assert.deepEqual(secondPass, expected);

  // An own `constructor` speaks for the object itself, not for others of its prototype.
  const shadow = Object.assign(new Order(), { constructor: function Own() {} });
  const mixed = serializeVariables({ a: new Order(), b: shadow, c: new Order() }, contextFor(redactor)).variables;
  assert.deepEqual(
    mixed.map((v) => v.value?.className),
    ['Renamed', 'Own', 'Renamed'],
  );
});

test('an object met twice at depth 0 gives the same value and is charged twice', () => {
  const shared = { id: 7, tags: ['a', 'b'], nested: { deep: { deeper: { deepest: 1 } } } };
  const twin = { id: 7, tags: ['a', 'b'], nested: { deep: { deeper: { deepest: 1 } } } };
  const redactor = createTestRedactor();
  const reusing = contextFor(redactor);
  const a = serializeVariables({ req: shared }, reusing);
  const b = serializeVariables({ req: shared, self: shared }, reusing);
  const fresh = contextFor(redactor);
  const c = serializeVariables({ req: twin }, fresh);
  const d = serializeVariables({ req: twin, self: { id: 7, tags: ['a', 'b'], nested: { deep: { deeper: { deepest: 1 } } } } }, fresh);
  assert.deepEqual([a, b], [c, d]);
  assert.equal(reusing.budget.bytesUsed, fresh.budget.bytesUsed);
  assert.equal(serializeValue(shared, reusing), a.variables[0]!.value);
});

test('a reused value keeps its own masked kinds when a masked name points at it elsewhere', () => {
  const shared = { plain: 1 };
  const ctx = contextFor(createTestRedactor());
  const { variables } = serializeVariables({ first: shared, [SECRET]: shared, last: shared }, ctx);
  assert.deepEqual(
    variables.map((v) => [v.name, v.value?.masked]),
    [
      ['first', undefined],
      ['[MASKED:secret]', ['secret']],
      ['last', undefined],
    ],
  );
});

test('a reused value that no longer fits the byte budget is serialized afresh and cut', () => {
  const big = { text: 'x'.repeat(200), more: 'y'.repeat(200) };
  const limits = { maxBytes: 500 };
  const ctx = contextFor(createTestRedactor(), limits);
  const first = serializeValue(big, ctx);
  assert.equal(first.cut, undefined);
  const second = serializeValue(big, ctx);
  assert.notEqual(second, first);
  assert.equal(second.cut?.reason, pb.CutReason.BYTES);
});

test('depth-0 reuse is bounded per capture and still exact past the bound', () => {
  const objects = Array.from({ length: MAX_REUSED_VALUES + 5 }, (_, i) => ({ i }));
  const ctx = contextFor(createTestRedactor());
  for (const o of objects) serializeValue(o, ctx);
  assert.equal(ctx.reused.objects.length, MAX_REUSED_VALUES);
  const last = objects.at(-1)!;
  assert.deepEqual(serializeValue(last, ctx), { kind: K.OBJECT, text: 'Object', className: 'Object', properties: [{ name: 'i', value: { kind: K.NUMBER, text: `${MAX_REUSED_VALUES + 4}` } }] });
});

test('array extras after the items: named, non-enumerable and symbol keys, in key order, holes not miscounted', () => {
  const arr: unknown[] = [1, , 3];
  Object.defineProperty(arr, 'hidden', { value: 'h', enumerable: false });
  (arr as unknown as Record<string, unknown>).extra = 'e';
  (arr as unknown as Record<symbol, unknown>)[Symbol('tag')] = 't';
  const v = serializeValue(arr, contextFor(createTestRedactor()));
  assert.deepEqual(
    v.properties?.map((p) => [p.name, p.value?.text]),
    [
      ['0', '1'],
      ['2', '3'],
      ['hidden', 'h'],
      ['extra', 'e'],
      ['[Symbol(tag)]', 't'],
    ],
  );
});
