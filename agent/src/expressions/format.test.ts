import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTemplate, formatValueSafely } from './format';
import { UNAVAILABLE } from './safeRead';

class User {
  constructor(
    readonly id: number,
    readonly name: string,
  ) {}
}

test('primitives print directly; a top-level string as is, nested strings quoted', () => {
  const cases: readonly (readonly [unknown, string])[] = [
    ['plain text', 'plain text'],
    [3, '3'],
    [-0, '-0'],
    [NaN, 'NaN'],
    [10n, '10n'],
    [true, 'true'],
    [null, 'null'],
    [undefined, 'undefined'],
    [Symbol('tag'), 'Symbol(tag)'],
    [['a', 'b"c'], '["a", "b\\"c"]'],
    [UNAVAILABLE, '(unavailable)'],
  ];
  for (const [value, expected] of cases) assert.equal(formatValueSafely(value), expected);
});

test('objects are summarised by class name and own enumerable data properties', () => {
  assert.equal(formatValueSafely(new User(3, 'a')), 'User {id: 3, name: "a"}');
  assert.equal(formatValueSafely({ 'x-id': 1, ok: true }), '{"x-id": 1, ok: true}');
  assert.equal(formatValueSafely(Object.assign(Object.create(null) as object, { a: 1 })), '[null prototype] {a: 1}');
  assert.equal(formatValueSafely(new Map([[1, 2]])), 'Map(1)');
  assert.equal(formatValueSafely(new Set([1, 2, 3])), 'Set(3)');
  assert.equal(formatValueSafely(new Date(0)), '1970-01-01T00:00:00.000Z');
  assert.equal(formatValueSafely(new Date(NaN)), 'Invalid Date');
  assert.equal(formatValueSafely(new TypeError('bad input')), 'TypeError: bad input');
  assert.equal(formatValueSafely(function namedFunction() {}), '[Function: namedFunction]');
  assert.equal(formatValueSafely(new Proxy({}, {})), 'Proxy');
  assert.equal(
    formatValueSafely({
      get g() {
        return 1;
      },
    }),
    '{g: (getter)}',
  );
});

test('depth, properties per object and total length are capped', () => {
  assert.equal(formatValueSafely({ a: { b: { c: { d: 1 } } } }), '{a: {b: {c: {…}}}}');
  assert.equal(formatValueSafely([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]), '[1, 2, 3, 4, 5, 6, 7, 8, … 2 more]');
  assert.equal(formatValueSafely({ a: 1, b: 2, c: 3 }, 200, { maxDepth: 2, maxProperties: 2 }), '{a: 1, b: 2, … 1 more}');
  const long = formatValueSafely('x'.repeat(500), 20);
  assert.equal(long, `${'x'.repeat(19)}…`);
  assert.equal(formatValueSafely({ text: 'y'.repeat(500) }, 30).length, 30);
});

test('formatTemplate interleaves segments and formatted values', () => {
  assert.equal(formatTemplate(['user ', ' has ', ' items'], [3, [1, 2]], (v) => formatValueSafely(v)), 'user 3 has [1, 2] items');
  assert.equal(formatTemplate(['only'], []), 'only');
});
