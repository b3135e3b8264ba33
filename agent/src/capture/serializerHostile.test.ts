/**
 * Hostile values: everything here records a call if any user code runs
 * (getters, Proxy traps, coercion hooks, monkey-patched built-ins). After
 * serializing, the record must be empty and the result exactly as expected.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pb } from '@keyhole/protocol';
import { TEST_LIMITS } from './fixtures/testLimits';
import { createSerializeContext, MASK_LOOKAHEAD, serializeValue, serializeVariables } from './serializer';
import { createTestRedactor } from './fixtures/testRedactor';

const K = pb.ValueKind;
const calls: string[] = [];
const record = (label: string): void => {
  calls[calls.length] = label;
};

const PROXY_TRAPS = [
  'apply',
  'construct',
  'defineProperty',
  'deleteProperty',
  'get',
  'getOwnPropertyDescriptor',
  'getPrototypeOf',
  'has',
  'isExtensible',
  'ownKeys',
  'preventExtensions',
  'set',
  'setPrototypeOf',
] as const;

function recordingHandler(): ProxyHandler<object> {
  const handler: Record<string, unknown> = {};
  for (const trap of PROXY_TRAPS) {
    handler[trap] = (...args: unknown[]): unknown => {
      record(`trap:${trap}`);
      return (Reflect[trap] as (...a: unknown[]) => unknown)(...args);
    };
  }
  return handler as ProxyHandler<object>;
}

/** Replaces `key` on `target` with a recording wrapper (delegating to the original); returns the undo. */
function patch(target: object, key: PropertyKey, label: string): () => void {
  const original = Reflect.getOwnPropertyDescriptor(target, key)!;
  const replacement: PropertyDescriptor = { configurable: true, enumerable: original.enumerable ?? false };
  if (typeof original.get === 'function') {
    const get = original.get;
    replacement.get = function (this: unknown) {
      record(label);
      return Reflect.apply(get, this, []);
    };
  } else {
    const fn = original.value as (...a: unknown[]) => unknown;
    replacement.writable = true;
    replacement.value = function (this: unknown, ...args: unknown[]) {
      record(label);
      return Reflect.apply(fn, this, args);
    };
  }
  Reflect.defineProperty(target, key, replacement);
  return () => Reflect.defineProperty(target, key, original);
}

const MAP_ITERATOR_PROTOTYPE = Object.getPrototypeOf(new Map().entries()) as object;
const SET_ITERATOR_PROTOTYPE = Object.getPrototypeOf(new Set().values()) as object;

function patchBuiltins(): () => void {
  const undo = [
    patch(Map.prototype, 'entries', 'Map#entries'),
    patch(Map.prototype, 'forEach', 'Map#forEach'),
    patch(Map.prototype, 'keys', 'Map#keys'),
    patch(Map.prototype, 'values', 'Map#values'),
    patch(Map.prototype, 'get', 'Map#get'),
    patch(Map.prototype, Symbol.iterator, 'Map#@@iterator'),
    patch(Map.prototype, 'size', 'Map#size'),
    patch(MAP_ITERATOR_PROTOTYPE, 'next', 'MapIterator#next'),
    patch(SET_ITERATOR_PROTOTYPE, 'next', 'SetIterator#next'),
    patch(Set.prototype, 'values', 'Set#values'),
    patch(Set.prototype, Symbol.iterator, 'Set#@@iterator'),
    patch(Set.prototype, 'size', 'Set#size'),
    patch(Set.prototype, 'add', 'Set#add'),
    patch(Array.prototype, Symbol.iterator, 'Array#@@iterator'),
    patch(Array.prototype, 'push', 'Array#push'),
    patch(Array.prototype, 'map', 'Array#map'),
    patch(Object.prototype, 'toString', 'Object#toString'),
    patch(Object.prototype, 'hasOwnProperty', 'Object#hasOwnProperty'),
    patch(Object, 'getOwnPropertyDescriptor', 'Object.getOwnPropertyDescriptor'),
    patch(Reflect, 'ownKeys', 'Reflect.ownKeys'),
    patch(Function.prototype, 'toString', 'Function#toString'),
    patch(Date.prototype, 'getTime', 'Date#getTime'),
    patch(Date.prototype, 'toISOString', 'Date#toISOString'),
    patch(RegExp.prototype, 'source', 'RegExp#source'),
    patch(RegExp.prototype, 'flags', 'RegExp#flags'),
    patch(RegExp.prototype, 'global', 'RegExp#global'),
    patch(String.prototype, 'slice', 'String#slice'),
    patch(String.prototype, 'toString', 'String#toString'),
    patch(Symbol.prototype, 'description', 'Symbol#description'),
    patch(JSON, 'stringify', 'JSON.stringify'),
    patch(Number.prototype, 'valueOf', 'Number#valueOf'),
  ];
  const savedHook = Error.prepareStackTrace;
  Error.prepareStackTrace = (err, frames) => {
    record('Error.prepareStackTrace');
    return `${frames.length}`;
  };
  return () => {
    Error.prepareStackTrace = savedHook;
    for (let i = undo.length - 1; i >= 0; i--) undo[i]!();
  };
}

function hostileValue() {
  const coercive = {
    valueOf(): number {
      record('valueOf');
      return 1;
    },
    toString(): string {
      record('toString');
      return 's';
    },
    toJSON(): string {
      record('toJSON');
      return 'j';
    },
    [Symbol.toPrimitive](): number {
      record('toPrimitive');
      return 2;
    },
    get [Symbol.toStringTag](): string {
      record('toStringTag');
      return 'Tag';
    },
  };
  class Sneaky {
    static get name(): string {
      record('static name getter');
      return 'Sneaky';
    }
  }
  class HostileError extends Error {
    override get name(): string {
      record('error name getter');
      return 'HostileError';
    }
  }
  const err = new Error('plain');
  Object.defineProperty(err, 'message', {
    get() {
      record('error message getter');
      return 'm';
    },
  });
  const map = new Map([['a', 1]]);
  Object.defineProperty(map, 'size', {
    get() {
      record('own size getter');
      return 99;
    },
  });
  Object.assign(map, {
    entries: function entries() {
      record('own entries');
    },
  });
  const revocable = Proxy.revocable({}, recordingHandler());
  revocable.revoke();
  const h: Record<string, unknown> = {
    get getterThrows(): never {
      record('getterThrows');
      throw new Error('getter ran');
    },
    get getterMutates(): number {
      record('getterMutates');
      h.mutated = true;
      return 1;
    },
    set onlySetter(_v: unknown) {
      record('onlySetter');
    },
    proxy: new Proxy({ inner: 1 }, recordingHandler()),
    fnProxy: new Proxy(function target() {}, recordingHandler()),
    revoked: revocable.proxy,
    coercive,
    sneaky: new Sneaky(),
    protoProxyChild: Object.create(new Proxy({}, recordingHandler())),
    ctorGetter: Object.create({
      get constructor() {
        record('constructor getter');
        return Object;
      },
    }),
    map,
    set: new Set(['s']),
    err,
    hostileError: new HostileError('x'),
    date: new Date(0),
    re: /x/g,
  };
  h.list = [h];
  h.self = h;
  return h;
}

const getter = { kind: K.GETTER, text: '[Getter]' };
const method = (name: string) => ({ kind: K.FUNCTION, text: name, className: 'Function' });
const cycle = { kind: K.CYCLE, text: '[Circular]', className: 'Object' };
const unreadStack = { kind: K.GETTER, text: '[Getter: stack not read]' };

const EXPECTED: pb.Value.$Properties = {
  kind: K.OBJECT,
  text: 'Object',
  className: 'Object',
  properties: [
    { name: 'getterThrows', value: getter },
    { name: 'getterMutates', value: getter },
    { name: 'onlySetter', value: { kind: K.GETTER, text: '[Setter]' } },
    { name: 'proxy', value: { kind: K.PROXY, text: 'Proxy' } },
    { name: 'fnProxy', value: { kind: K.PROXY, text: 'Proxy(function)' } },
    { name: 'revoked', value: { kind: K.PROXY, text: 'Proxy' } },
    {
      name: 'coercive',
      value: {
        kind: K.OBJECT,
        text: 'Object',
        className: 'Object',
        properties: [
          { name: 'valueOf', value: method('valueOf') },
          { name: 'toString', value: method('toString') },
          { name: 'toJSON', value: method('toJSON') },
          { name: '[Symbol(Symbol.toPrimitive)]', value: method('[Symbol.toPrimitive]') },
          { name: '[Symbol(Symbol.toStringTag)]', value: getter },
        ],
      },
    },
    { name: 'sneaky', value: { kind: K.OBJECT, text: 'Object' } },
    { name: 'protoProxyChild', value: { kind: K.OBJECT, text: 'Object' } },
    { name: 'ctorGetter', value: { kind: K.OBJECT, text: 'Object' } },
    {
      name: 'map',
      value: {
        kind: K.MAP,
        text: 'Map(1)',
        className: 'Map',
        entries: [{ key: { kind: K.STRING, text: 'a' }, value: { kind: K.NUMBER, text: '1' } }],
        properties: [
          { name: 'size', value: getter },
          { name: 'entries', value: method('entries') },
        ],
      },
    },
    { name: 'set', value: { kind: K.SET, text: 'Set(1)', className: 'Set', entries: [{ value: { kind: K.STRING, text: 's' } }] } },
    {
      name: 'err',
      value: {
        kind: K.ERROR,
        text: 'Error',
        className: 'Error',
        properties: [
          { name: 'stack', value: unreadStack },
          { name: 'message', value: getter },
        ],
      },
    },
    {
      name: 'hostileError',
      value: {
        kind: K.ERROR,
        text: 'HostileError: x',
        className: 'HostileError',
        properties: [
          { name: 'stack', value: unreadStack },
          { name: 'message', value: { kind: K.STRING, text: 'x' } },
        ],
      },
    },
    { name: 'date', value: { kind: K.DATE, text: '1970-01-01T00:00:00.000Z', className: 'Date' } },
    { name: 're', value: { kind: K.REGEXP, text: '/x/g', className: 'RegExp' } },
    { name: 'list', value: { kind: K.ARRAY, text: 'Array(1)', className: 'Array', properties: [{ name: '0', value: cycle }] } },
    { name: 'self', value: cycle },
  ],
};

test('hostile values: no getter, trap, coercion hook or patched built-in runs, and the result is exact', () => {
  const h = hostileValue();
  calls.length = 0;
  const ctx = createSerializeContext(TEST_LIMITS, createTestRedactor());
  const unpatch = patchBuiltins();
  let value: pb.Value.$Properties;
  let variables: ReturnType<typeof serializeVariables>;
  try {
    value = serializeValue(h, ctx);
    variables = serializeVariables(h, ctx);
  } finally {
    unpatch();
  }
  assert.deepEqual(calls, []);
  assert.equal(h.mutated, undefined);
  assert.deepEqual(value, EXPECTED);
  // As variables, `list` and `self` are expanded once more: the holder is a scope, not on the path.
  const plain = EXPECTED.properties!.length - 2;
  assert.deepEqual(variables.variables.slice(0, plain), EXPECTED.properties!.slice(0, plain));
  assert.equal(variables.variables.length, EXPECTED.properties!.length);
  assert.deepEqual(ctx.errors, []);
  assert.equal(pb.Value.decode(pb.Value.encode(value).finish()).properties.length, EXPECTED.properties!.length);
});

test('the stack is read when the default hook is in place, and not when a user hook is installed', () => {
  const withDefault = serializeValue(new Error('e'), createSerializeContext(TEST_LIMITS, createTestRedactor()));
  assert.equal(withDefault.properties?.[0]?.value?.kind, K.STRING);
  const saved = Error.prepareStackTrace;
  Error.prepareStackTrace = () => {
    record('user hook');
    return 'x';
  };
  calls.length = 0;
  try {
    const withUserHook = serializeValue(new Error('e'), createSerializeContext(TEST_LIMITS, createTestRedactor()));
    assert.deepEqual(withUserHook.properties?.[0]?.value, unreadStack);
  } finally {
    Error.prepareStackTrace = saved;
  }
  assert.deepEqual(calls, []);
  const captured: { stack?: string; name?: string } = {};
  Object.defineProperty(captured, 'name', {
    get() {
      record('captured name getter');
      return 'n';
    },
  });
  Error.captureStackTrace(captured);
  const v = serializeValue(captured, createSerializeContext(TEST_LIMITS, createTestRedactor()));
  assert.deepEqual(v.properties, [
    { name: 'name', value: getter },
    { name: 'stack', value: unreadStack },
  ]);
  assert.deepEqual(calls, []);
});

test('a 100 MB string is cut without being copied or masked whole', () => {
  const big = 'x'.repeat(100 * 1024 * 1024);
  const redactor = createTestRedactor();
  const ctx = createSerializeContext(TEST_LIMITS, redactor);
  const unpatch = patchBuiltins();
  let value: pb.Value.$Properties;
  try {
    value = serializeValue({ big }, ctx);
  } finally {
    unpatch();
  }
  assert.deepEqual(calls, []);
  assert.deepEqual(value.properties?.[0]?.value, { kind: K.STRING, text: 'x'.repeat(255), cut: { reason: pb.CutReason.STRING_LENGTH, originalSize: 100 * 1024 * 1024 } });
  assert.deepEqual(redactor.maskedLengths, [3, TEST_LIMITS.maxStringLength + MASK_LOOKAHEAD]);
});
