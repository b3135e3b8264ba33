import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileCondition } from './condition';
import { compileTemplate } from './template';
import { createExpressionRuntime } from './runtime';
import { formatValueSafely } from './format';
import { UNAVAILABLE } from './safeRead';
import { evaluateCompiled, prepareCompiled } from './fixtures/evaluate';
import { createHostileWorld, installHostileGlobal } from './fixtures/hostileWorld';

/** Allowed expressions that reach getters, Proxies, coercion hooks and hostile globals. */
const OVER_HOSTILE_VALUES: readonly string[] = [
  'withGetter.secret', 'withGetter.secret === 1', '!withGetter.secret', 'typeof withGetter.secret', 'withGetter?.secret',
  'withGetter["sec" + "ret"]', 'withGetter.id === 3 && withGetter.secret', 'prototypeGetter.computed', 'prototypeGetter.computed > 1',
  'proxy.id', 'proxy.nested.deep', 'proxy?.id', 'proxy[0]', 'proxy == 1', 'proxy != 1', 'proxy == proxy', 'proxy === proxy',
  '!proxy', 'typeof proxy', 'proxy ? 1 : 0', 'proxy ?? 1', 'proxy && proxy', 'proxy > 1', 'proxy <= 1', 'proxy + 1', '"" + proxy',
  '-proxy', '+proxy', '~proxy', 'proxy * 2', 'proxy ** 2', 'proxy & 1', 'plain[proxy]', 'plain[proxy] === 1',
  'callableProxy.name', 'typeof callableProxy', 'callableProxy == null',
  'revoked.id', 'typeof revoked', 'revoked == null', 'revoked === revoked', 'revoked > 1',
  'protoProxy.inherited', 'protoProxy.missing', 'protoProxy.own === 1',
  'coercer > 1', 'coercer >= 1', 'coercer == 1', 'coercer != "x"', 'coercer + ""', '"" + coercer', 'coercer - 1', 'coercer * 2',
  'coercer / 2', 'coercer % 2', '-coercer', '+coercer', '~coercer', 'coercer < coercer', 'plain[coercer]', 'coercerArray[0] == 1',
  'coercer.valueOf === coercer.valueOf', 'typeof coercer.toString',
  'HasInstance.name', 'typeof HasInstance', 'HasInstance == 1',
  'arrayWithGetter[0]', 'arrayWithGetter[0] === 1', 'arrayWithGetter.length === 2', 'arrayWithGetter[1] === 2',
  'nestedHostile.level.proxy.id', 'nestedHostile.level.coercer > 0', 'nestedHostile.level.withGetter.secret',
  'hostileGlobal', 'typeof hostileGlobal', 'hostileGlobal.x === 1', 'hostileGlobal?.x', 'this.secret', 'this.id > 1',
];

test('no allowed expression runs a getter, a Proxy trap, a coercion hook or Symbol.hasInstance', () => {
  const world = createHostileWorld();
  const removeGlobal = installHostileGlobal(world.calls, 'hostileGlobal');
  try {
    for (const source of OVER_HOSTILE_VALUES) {
      const compiled = compileCondition(source);
      assert.ok(compiled.ok, source);
      const result = evaluateCompiled(compiled.js, world.scope, world.scope.withGetter);
      assert.equal(typeof result, 'boolean', source);
      assert.deepEqual(world.calls, [], source);
    }
  } finally {
    removeGlobal();
  }
});

test('conditions that meet a getter, a Proxy or a coercion decline (false)', () => {
  const world = createHostileWorld();
  const removeGlobal = installHostileGlobal(world.calls, 'hostileGlobal');
  try {
    for (const source of ['withGetter.secret !== 1', '!proxy.id', 'proxy.id === 3', 'coercer != 2', 'revoked.id !== 1', 'protoProxy.missing === undefined', 'arrayWithGetter[0] !== 5', 'typeof hostileGlobal === "object"', 'plain[coercer] === undefined']) {
      const compiled = compileCondition(source);
      assert.ok(compiled.ok, source);
      assert.equal(evaluateCompiled(compiled.js, world.scope), false, source);
    }
    // What needs no code to run still works next to them.
    for (const source of ['withGetter.id === 3', 'proxy === proxy', 'typeof proxy === "object"', 'coercer == coercer', 'coercer != null', 'protoProxy.own === 1', 'arrayWithGetter[1] === 2']) {
      const compiled = compileCondition(source);
      assert.ok(compiled.ok, source);
      assert.equal(evaluateCompiled(compiled.js, world.scope), true, source);
    }
    assert.deepEqual(world.calls, []);
  } finally {
    removeGlobal();
  }
});

test('logpoint values over hostile objects are unavailable or summarised, with no recorded call', () => {
  const world = createHostileWorld();
  const template = compileTemplate('{withGetter.secret} {proxy.id} {coercer + 1} {withGetter.id} {proxy} {coercer} {withGetter} {revoked} {callableProxy} {arrayWithGetter} {nestedHostile} {HasInstance} {prototypeGetter}');
  assert.ok(template.ok);
  const values = evaluateCompiled(template.valuesJs, world.scope) as unknown[];
  assert.deepEqual(values.slice(0, 4), [UNAVAILABLE, UNAVAILABLE, UNAVAILABLE, 3]);
  const printed = values.map((value) => formatValueSafely(value));
  assert.deepEqual(world.calls, []);
  assert.deepEqual(printed, [
    '(unavailable)',
    '(unavailable)',
    '(unavailable)',
    '3',
    'Proxy',
    '{valueOf: [Function: valueOf], toString: [Function: toString], toJSON: [Function: toJSON]}',
    '{id: 3, secret: (getter)}',
    'Proxy',
    'Proxy',
    '[(getter), 2]',
    '{level: {proxy: Proxy, coercer: {valueOf: [Function: valueOf], toString: [Function: toString], toJSON: [Function: toJSON]}, withGetter: {id: 3, secret: (getter)}}}',
    '[Function: HasInstance]',
    'WithPrototypeGetter {own: 1}',
  ]);
});

test('patched built-ins (Reflect, Object, String, Array, Map, JSON) are never reached', () => {
  // The runtime captured its built-ins at load; patches made afterwards must not run.
  const calls: string[] = [];
  const runtime = createExpressionRuntime();
  const compiled = compileCondition('user.name.length === 3 && user.name[0] === "a" && user.tags[1] === "y" && user.missing === undefined && user.name[9] === undefined');
  const template = compileTemplate('{user}');
  assert.ok(compiled.ok && template.ok);
  const scope = { user: { name: 'ada', tags: ['x', 'y'], when: new Map([[1, 2]]) } };
  const condition = prepareCompiled(compiled.js, scope, undefined, runtime);
  const values = prepareCompiled(template.valuesJs, scope, undefined, runtime);

  const recordingGetter = (key: PropertyKey): PropertyDescriptor =>
    // Null-prototype descriptors: Object.prototype itself is patched below.
    Object.setPrototypeOf({ configurable: true, get: () => void calls.push(`get ${String(key)}`) }, null) as PropertyDescriptor;
  const targets: [object, PropertyKey[]][] = [
    [Reflect, ['getOwnPropertyDescriptor', 'getPrototypeOf', 'ownKeys', 'apply']],
    [Object, ['hasOwn', 'is']],
    [String.prototype, ['slice', 'charCodeAt', 'toString', '9']],
    [Array.prototype, [Symbol.iterator, 'map', 'join']],
    [Map.prototype, ['get']],
    [JSON, ['stringify']],
    [Object.prototype, ['get', 'set', 'value', 'enumerable']], // last: descriptors read through it
  ];
  // Flat lists walked with index loops: for…of and destructuring would use
  // the patched Array iterator in this test's own code.
  const patched: { target: object; key: PropertyKey; original: PropertyDescriptor | undefined }[] = [];
  for (const [target, keys] of targets) for (const key of keys) patched.push({ target, key, original: Object.getOwnPropertyDescriptor(target, key) });
  let result: unknown;
  let printed = '';
  let installed = 0;
  try {
    for (; installed < patched.length; installed++) {
      const entry = patched[installed] as (typeof patched)[number];
      Object.defineProperty(entry.target, entry.key, recordingGetter(entry.key));
    }
    result = condition();
    printed = formatValueSafely((values() as unknown[])[0]);
  } finally {
    for (let i = installed - 1; i >= 0; i--) {
      const entry = patched[i] as (typeof patched)[number];
      if (entry.original === undefined) delete (entry.target as Record<PropertyKey, unknown>)[entry.key];
      else Object.defineProperty(entry.target, entry.key, Object.setPrototypeOf(entry.original, null) as PropertyDescriptor);
    }
  }
  assert.deepEqual(calls, []);
  assert.equal(result, true);
  assert.equal(printed, '{name: "ada", tags: ["x", "y"], when: Map(1)}');
});

// Random expressions from the whole allowed grammar over the hostile world:
// whatever their shape, evaluation returns a boolean, never throws, and
// records no call.
const leaf = fc.oneof(
  fc.constantFrom('withGetter', 'prototypeGetter', 'HasInstance', 'proxy', 'callableProxy', 'revoked', 'protoProxy', 'coercer', 'coercerArray', 'arrayWithGetter', 'nestedHostile', 'plain', 'hostileGlobal', 'this', 'undeclared'),
  fc.constantFrom('1', '0', '-1', '"x"', '""', 'true', 'null', 'undefined', '1n', '0n', 'NaN'),
);
const propertyName = fc.constantFrom('secret', 'computed', 'id', 'nested', 'inherited', 'own', 'level', 'proxy', 'coercer', 'withGetter', 'valueOf', 'toString', 'length', 'x', '0');
const { expression } = fc.letrec<{ expression: string }>((tie) => ({
  expression: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    leaf,
    fc.tuple(tie('expression'), fc.constantFrom('.', '?.'), propertyName).map(([o, dot, p]) => (/^\d/.test(p) ? `(${o})${dot === '.' ? '' : '?.'}[${p}]` : `(${o})${dot}${p}`)),
    fc.tuple(tie('expression'), tie('expression')).map(([o, k]) => `(${o})[${k}]`),
    fc.tuple(fc.constantFrom('!', '-', '+', '~', 'typeof '), tie('expression')).map(([op, a]) => `${op}(${a})`),
    fc
      .tuple(tie('expression'), fc.constantFrom('===', '!==', '==', '!=', '<', '>', '<=', '>=', '+', '-', '*', '/', '%', '**', '&', '|', '^', '<<', '>>', '>>>', '&&', '||', '??'), tie('expression'))
      .map(([a, op, b]) => `(${a}) ${op} (${b})`),
    fc.tuple(tie('expression'), tie('expression'), tie('expression')).map(([t, c, a]) => `(${t}) ? (${c}) : (${a})`),
  ),
}));

test('property: any allowed expression over hostile values runs no application code and never throws', () => {
  const world = createHostileWorld();
  const removeGlobal = installHostileGlobal(world.calls, 'hostileGlobal');
  const runtime = createExpressionRuntime();
  try {
    fc.assert(
      fc.property(expression, (source) => {
        world.calls.length = 0;
        const compiled = compileCondition(source);
        if (!compiled.ok) return compiled.code === 'KH_EXPR_TOO_LONG';
        let result: unknown;
        try {
          result = evaluateCompiled(compiled.js, world.scope, world.scope.withGetter, runtime);
        } catch (error) {
          // The one throw left is the language's own for an undeclared name;
          // V8 treats it as false. Templates read such names as undefined.
          if (!(error instanceof ReferenceError && error.message === 'undeclared is not defined')) throw error;
          result = false;
        }
        const values = compileTemplate(`{${source}}`);
        if (values.ok) formatValueSafely((evaluateCompiled(values.valuesJs, world.scope, world.scope.withGetter, runtime) as unknown[])[0]);
        return typeof result === 'boolean' && world.calls.length === 0;
      }),
      { numRuns: 2000 },
    );
  } finally {
    removeGlobal();
  }
});
