import { TEST_LIMITS } from './fixtures/testLimits';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pb } from '@keyhole/protocol';
import { type CaptureLimits } from './limits';
import { createSerializeContext, serializeValue, serializeVariables, type SerializeContext } from './serializer';
import { createTestRedactor } from './fixtures/testRedactor';

const K = pb.ValueKind;

function capture(value: unknown, limits: Partial<CaptureLimits> = {}): { value: pb.Value.$Properties; ctx: SerializeContext } {
  const ctx = createSerializeContext({ ...TEST_LIMITS, ...limits }, createTestRedactor());
  return { value: serializeValue(value, ctx), ctx };
}

const ser = (value: unknown, limits?: Partial<CaptureLimits>): pb.Value.$Properties => capture(value, limits).value;
const num = (n: string): pb.Value.$Properties => ({ kind: K.NUMBER, text: n });
const str = (s: string): pb.Value.$Properties => ({ kind: K.STRING, text: s });
const prop = (name: string, value: pb.Value.$Properties): pb.Property.$Properties => ({ name, value });

test('primitives, -0, NaN, BigInt and symbols', () => {
  assert.deepEqual(ser(undefined), { kind: K.UNDEFINED, text: 'undefined' });
  assert.deepEqual(ser(null), { kind: K.NULL, text: 'null' });
  assert.deepEqual(ser(true), { kind: K.BOOLEAN, text: 'true' });
  assert.deepEqual(ser(42.5), num('42.5'));
  assert.deepEqual(ser(-0), num('-0'));
  assert.deepEqual(ser(0), num('0'));
  assert.deepEqual(ser(NaN), num('NaN'));
  assert.deepEqual(ser(-Infinity), num('-Infinity'));
  assert.deepEqual(ser(123456789012345678901234567890n), { kind: K.BIGINT, text: '123456789012345678901234567890n' });
  assert.deepEqual(ser(Symbol('tag')), { kind: K.SYMBOL, text: 'Symbol(tag)' });
  assert.deepEqual(ser(Symbol()), { kind: K.SYMBOL, text: 'Symbol()' });
  assert.deepEqual(ser('héllo 👋'), str('héllo 👋'));
  assert.deepEqual(ser(''), str(''));
});

test('arrays, sparse arrays (holes left out) and extra own properties', () => {
  assert.deepEqual(ser([1, 'a']), { kind: K.ARRAY, text: 'Array(2)', className: 'Array', properties: [prop('0', num('1')), prop('1', str('a'))] });
  const sparse = [1, , 3];
  assert.deepEqual(ser(sparse), { kind: K.ARRAY, text: 'Array(3)', className: 'Array', properties: [prop('0', num('1')), prop('2', num('3'))] });
  const match = /b/.exec('abc')!;
  const m = ser(match);
  assert.equal(m.text, 'Array(1)');
  assert.deepEqual(
    m.properties?.map((p) => p.name),
    ['0', 'index', 'input', 'groups'],
  );
  const huge: unknown[] = [];
  huge[1e9] = 'far';
  assert.deepEqual(ser(huge), { kind: K.ARRAY, text: 'Array(1000000001)', className: 'Array', cut: { reason: pb.CutReason.COLLECTION_ITEMS, originalSize: 1000000001 } });
  class Row extends Array {}
  assert.deepEqual(ser(Row.from([7])), { kind: K.ARRAY, text: 'Row(1)', className: 'Row', properties: [prop('0', num('7'))] });
});

test('typed arrays, Buffer, ArrayBuffer and DataView', () => {
  assert.deepEqual(ser(new Uint16Array([1, 65535])), { kind: K.TYPED_ARRAY, text: 'Uint16Array(2)', className: 'Uint16Array', properties: [prop('0', num('1')), prop('1', num('65535'))] });
  assert.deepEqual(ser(Buffer.from('hi')), { kind: K.TYPED_ARRAY, text: 'Buffer(2)', className: 'Buffer', properties: [prop('0', num('104')), prop('1', num('105'))] });
  assert.deepEqual(ser(new BigInt64Array([-5n])), { kind: K.TYPED_ARRAY, text: 'BigInt64Array(1)', className: 'BigInt64Array', properties: [prop('0', { kind: K.BIGINT, text: '-5n' })] });
  const buf = new ArrayBuffer(2);
  new Uint8Array(buf)[1] = 9;
  assert.deepEqual(ser(buf), { kind: K.ARRAY_BUFFER, text: 'ArrayBuffer(2)', className: 'ArrayBuffer', properties: [prop('0', num('0')), prop('1', num('9'))] });
  assert.deepEqual(ser(new SharedArrayBuffer(0)), { kind: K.ARRAY_BUFFER, text: 'SharedArrayBuffer(0)', className: 'SharedArrayBuffer' });
  assert.deepEqual(ser(new DataView(new ArrayBuffer(4))), { kind: K.OTHER, text: 'DataView(4)', className: 'DataView' });
  const detached = new ArrayBuffer(8);
  structuredClone(detached, { transfer: [detached] });
  assert.deepEqual(ser(detached), { kind: K.ARRAY_BUFFER, text: 'ArrayBuffer(0)', className: 'ArrayBuffer' });
});

test('Map and Set entries, with own properties of subclasses', () => {
  assert.deepEqual(ser(new Map<unknown, unknown>([['a', 1], [{ k: true }, null]])), {
    kind: K.MAP,
    text: 'Map(2)',
    className: 'Map',
    entries: [
      { key: str('a'), value: num('1') },
      { key: { kind: K.OBJECT, text: 'Object', className: 'Object', properties: [prop('k', { kind: K.BOOLEAN, text: 'true' })] }, value: { kind: K.NULL, text: 'null' } },
    ],
  });
  assert.deepEqual(ser(new Set(['x'])), { kind: K.SET, text: 'Set(1)', className: 'Set', entries: [{ value: str('x') }] });
  class Lru extends Map<string, number> {
    limit = 2;
  }
  assert.deepEqual(ser(new Lru([['k', 1]])), { kind: K.MAP, text: 'Lru(1)', className: 'Lru', entries: [{ key: str('k'), value: num('1') }], properties: [prop('limit', num('2'))] });
});

test('Date, RegExp, Promise, WeakMap and WeakSet', () => {
  assert.deepEqual(ser(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6))), { kind: K.DATE, text: '2024-01-02T03:04:05.006Z', className: 'Date' });
  assert.deepEqual(ser(new Date(NaN)), { kind: K.DATE, text: 'Invalid Date', className: 'Date' });
  assert.deepEqual(ser(/a\/b+/dgimsuy), { kind: K.REGEXP, text: '/a\\/b+/dgimsuy', className: 'RegExp' });
  assert.deepEqual(ser(Promise.resolve(1)), { kind: K.PROMISE, text: 'Promise', className: 'Promise' });
  assert.deepEqual(ser(new WeakMap()), { kind: K.WEAK_COLLECTION, text: 'WeakMap', className: 'WeakMap' });
  assert.deepEqual(ser(new WeakSet()), { kind: K.WEAK_COLLECTION, text: 'WeakSet', className: 'WeakSet' });
});

test('errors: name, message, stack (read only when no user code can run) and cause', () => {
  const cause = new RangeError('inner');
  const err = new TypeError('outer', { cause });
  const v = ser(err, { maxStringLength: 5000 });
  assert.equal(v.kind, K.ERROR);
  assert.equal(v.className, 'TypeError');
  assert.equal(v.text, 'TypeError: outer');
  const byName = new Map(v.properties?.map((p) => [p.name, p.value]));
  assert.deepEqual([...byName.keys()], ['stack', 'message', 'cause']);
  assert.equal(byName.get('stack')?.kind, K.STRING);
  assert.match(byName.get('stack')?.text ?? '', /^TypeError: outer\n {4}at /);
  assert.deepEqual(byName.get('message'), str('outer'));
  assert.equal(byName.get('cause')?.text, 'RangeError: inner');

  class AppError extends Error {
    code = 'E_APP';
  }
  const app = ser(new AppError('x'));
  assert.equal(app.className, 'AppError');
  assert.equal(app.text, 'Error: x', 'name comes from the chain: AppError does not set one');
  assert.deepEqual(app.properties?.find((p) => p.name === 'code')?.value, str('E_APP'));
});

test('class instances, null-prototype objects and boxed primitives', () => {
  class Point {
    constructor(
      public x: number,
      public y: number,
    ) {}
  }
  assert.deepEqual(ser(new Point(1, 2)), { kind: K.OBJECT, text: 'Point', className: 'Point', properties: [prop('x', num('1')), prop('y', num('2'))] });
  const bare = Object.create(null) as Record<string, unknown>;
  bare.a = 1;
  assert.deepEqual(ser(bare), { kind: K.OBJECT, text: '[Object: null prototype]', properties: [prop('a', num('1'))] });
  assert.deepEqual(ser(new Number(-0)), { kind: K.OBJECT, text: '[Number: -0]', className: 'Number' });
  assert.deepEqual(ser(new String('abc')), { kind: K.OBJECT, text: '[String: abc]', className: 'String' });
  assert.deepEqual(ser(new Boolean(false)), { kind: K.OBJECT, text: '[Boolean: false]', className: 'Boolean' });
  assert.deepEqual(ser(Object(5n)), { kind: K.OBJECT, text: '[BigInt: 5n]', className: 'BigInt' });
  assert.deepEqual(ser(Object(Symbol('s'))), { kind: K.OBJECT, text: '[Symbol: Symbol(s)]', className: 'Symbol' });
});

test('functions by name, class constructors as class X', () => {
  function handler(): void {}
  class Service {}
  const anonymousClass = (() => class {})();
  assert.deepEqual(ser(handler), { kind: K.FUNCTION, text: 'handler', className: 'Function' });
  assert.deepEqual(ser(Service), { kind: K.FUNCTION, text: 'class Service', className: 'Function' });
  assert.deepEqual(ser(anonymousClass), { kind: K.FUNCTION, text: 'class (anonymous)', className: 'Function' });
  assert.deepEqual(ser(async () => {}), { kind: K.FUNCTION, text: '(anonymous)', className: 'AsyncFunction' });
  assert.deepEqual(ser(function* gen() {}), { kind: K.FUNCTION, text: 'gen', className: 'GeneratorFunction' });
  assert.deepEqual(ser(handler.bind(null)), { kind: K.FUNCTION, text: 'bound handler', className: 'Function' });
  assert.deepEqual(ser(Map), { kind: K.FUNCTION, text: 'Map', className: 'Function' });
});

test('variables of a scope holder, `this`, and closure variables', () => {
  const ctx = createSerializeContext(TEST_LIMITS, createTestRedactor());
  const scope = { id: 7, user: { name: 'ann' }, password: 'hunter2' };
  assert.deepEqual(serializeVariables(scope, ctx), {
    variables: [
      prop('id', num('7')),
      prop('user', { kind: K.OBJECT, text: 'Object', className: 'Object', properties: [prop('name', str('ann'))] }),
      prop('password', { kind: K.STRING, text: '[MASKED:password]', masked: ['password'] }),
    ],
  });
  // A closure scope is a holder like any other; `this` is a value.
  const counter = 3;
  const closure = { counter, step: (): number => counter + 1 };
  assert.deepEqual(serializeVariables(closure, ctx).variables[1], prop('step', { kind: K.FUNCTION, text: 'step', className: 'Function' }));
  class Handler {
    requests = 2;
  }
  assert.deepEqual(serializeValue(new Handler(), ctx), { kind: K.OBJECT, text: 'Handler', className: 'Handler', properties: [prop('requests', num('2'))] });
  assert.deepEqual([...ctx.maskedKinds], ['password']);
  assert.deepEqual(ctx.errors, []);
});

test('a Proxy or non-object scope holder yields no variables and an error', () => {
  const ctx = createSerializeContext(TEST_LIMITS, createTestRedactor());
  assert.deepEqual(serializeVariables(new Proxy({ a: 1 }, {}), ctx), { variables: [] });
  assert.deepEqual(serializeVariables(5 as unknown as object, ctx), { variables: [] });
  assert.deepEqual(ctx.errors.map((e) => e.code), ['KH_CAPTURE_BAD_SCOPE', 'KH_CAPTURE_BAD_SCOPE']);
});

test('cycles are marked, repeated siblings are not', () => {
  const node: Record<string, unknown> = { id: 1 };
  node.self = node;
  const shared = { s: 1 };
  const v = ser({ node, a: shared, b: shared });
  const nodeValue = v.properties?.[0]?.value;
  assert.deepEqual(nodeValue?.properties?.[1], prop('self', { kind: K.CYCLE, text: '[Circular]', className: 'Object' }));
  assert.deepEqual(v.properties?.[1]?.value, v.properties?.[2]?.value);
  assert.equal(v.properties?.[2]?.value?.kind, K.OBJECT);
});

test('every result encodes and decodes as pb.Value', () => {
  const v = ser({ a: [1, 'x', new Map([[1, new Set([2n])]])], e: new Error('e'), d: new Date(0) });
  const back = pb.Value.toObject(pb.Value.decode(pb.Value.encode(v).finish()), { defaults: false });
  assert.equal(back.properties.length, 3);
});
