import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { compileCondition } from './condition';
import { DEFAULT_EXPRESSION_LIMITS } from './limits';
import { createExpressionRuntime } from './runtime';
import { evaluateCompiled } from './fixtures/evaluate';

class User {
  constructor(
    readonly id: number,
    readonly name: string,
  ) {}
}

const scope = {
  user: new User(4, 'ada'),
  items: [10, 20, 30],
  req: { query: { debug: 'yes', page: '2' }, headers: { 'x-id': 'abc' } },
  count: 7,
  big: 10n,
  flags: 0b101,
  label: 'hello',
  nothing: null,
  missing: undefined,
  key: 'name',
  index: 1,
};
const receiver = { tenant: 'acme', depth: 2 };

function run(source: string): unknown {
  const compiled = compileCondition(source);
  assert.ok(compiled.ok, `${source}: ${compiled.ok ? '' : compiled.message}`);
  return evaluateCompiled(compiled.js, scope, receiver);
}

const TABLE: readonly (readonly [string, boolean])[] = [
  ['user.id > 3 && items.length >= 2 && typeof req.query.debug === "string"', true],
  ['user.id > 4', false],
  ['user.name === "ada"', true],
  ['user[key] === "ada"', true],
  ['items[index] === 20', true],
  ['items[0] + items[1] === 30', true],
  ['items.length * 2 - 1 === 5', true],
  ['count % 4 === 3 && count / 2 === 3.5 && 2 ** 3 === 8', true],
  ['-count === -7 && +"3" === 3', true],
  ['req.query.page == 2', true],
  ['req.query.page != 2', false],
  ['req.headers["x-id"] === "abc"', true],
  ['label.length === 5 && label[0] === "h"', true],
  ['label[9] === undefined', true],
  ['label + "!" === "hello!"', true],
  ['big > 9n && big + 1n === 11n && big > 9', true],
  ['(flags & 4) !== 0 && (flags | 2) === 7 && (flags ^ 1) === 4 && ~0 === -1 && 1 << 3 === 8 && -8 >> 1 === -4 && -1 >>> 28 === 15', true],
  ['nothing == null && missing == null && nothing == undefined', true],
  ['nothing === null && missing === undefined', true],
  ['user != null && user == user', true],
  ['user == null', false],
  ['typeof user === "object" && typeof count === "number" && typeof big === "bigint"', true],
  ['typeof undeclaredName === "undefined"', true],
  ['nothing?.x === undefined && nothing?.x.y.z === undefined', true],
  ['user?.name === "ada" && req?.query?.debug === "yes"', true],
  ['nothing ?? count', true],
  ['(missing ?? 5) === 5 && (count ?? 5) === 7', true],
  ['count > 5 ? label === "hello" : false', true],
  ['!user || !items', false],
  ['this.tenant === "acme" && this.depth > 1', true],
  ['1e999 > 1 && 0x10 === 16 && 1_000 === 1000 && .5 === 0.5', true],
  ['"a" < "b" && "10" < 9 === false', true],
  ['items', true],
  ['label', true],
  ['""', false],
  ['0', false],
];

test('conditions evaluate like JavaScript over plain data', () => {
  for (const [source, expected] of TABLE) {
    assert.equal(run(source), expected, source);
  }
});

test('an undeclared name throws ReferenceError as in JavaScript (V8 then treats the condition as false)', () => {
  assert.throws(() => run('undeclaredName === undefined'), ReferenceError);
  assert.equal(run('typeof undeclaredName === "undefined"'), true);
});

test('what the language would throw for declines instead (false, never a throw)', () => {
  for (const source of [
    'nothing.x === undefined',
    'missing.x === undefined',
    'big + 1 === 11',
    'big / 0n === 0n',
    '2n ** -1n === 0n',
    'big >>> 1n === 5n',
    '2n ** 100000n > 0n',
    '1n << 100000n > 0n',
    '+big === 10',
  ]) {
    assert.equal(run(source), false, source);
  }
});

test('reads that would box a primitive into its (patchable) prototype decline', () => {
  for (const source of ['label.toUpperCase === undefined', 'count.toFixed === undefined', '!label.foo', 'big.x === undefined']) {
    assert.equal(run(source), false, source);
  }
});

test('a declined part makes the whole condition false, whatever native operators do with it', () => {
  // `!`, `!==` and `||` would turn the sentinel into true; the end() check wins.
  for (const source of ['!nothing.x', 'nothing.x !== 1', 'nothing.x || true', 'typeof nothing.x === "object"', 'nothing.x ? false : true']) {
    assert.equal(run(source), false, source);
  }
  // A declined part in a branch that is never evaluated does not matter.
  assert.equal(run('true || nothing.x'), true);
  assert.equal(run('false && nothing.x'), false);
  assert.equal(run('count > 1 ? true : nothing.x'), true);
});

test('the declined flag does not leak from one evaluation into the next', () => {
  const runtime = createExpressionRuntime();
  // An evaluation that declined and then threw (a `let` in its temporal dead
  // zone) never reaches end(); the next evaluation's begin() clears the flag.
  runtime.get(null, 'x');
  const compiled = compileCondition('count === 7');
  assert.ok(compiled.ok);
  assert.equal(evaluateCompiled(compiled.js, scope, undefined, runtime), true);
  const declined = compileCondition('nothing.x');
  assert.ok(declined.ok);
  assert.equal(evaluateCompiled(declined.js, scope, undefined, runtime), false);
  assert.equal(evaluateCompiled(compiled.js, scope, undefined, runtime), true);
});

test('process and Buffer read the globals captured at start; other global accessors decline', () => {
  assert.equal(run('typeof process.env.PATH === "string" && process.pid > 0 && Buffer.name === "Buffer"'), true);
  // `crypto` is a getter on Node's global object: referencing it would run
  // the getter, so the whole condition declines, even when a local of that
  // name shadows it (the check cannot see locals).
  for (const source of ['typeof crypto === "object"', 'crypto === undefined', 'count === 7 && !performance']) {
    const compiled = compileCondition(source);
    assert.ok(compiled.ok);
    assert.equal(evaluateCompiled(compiled.js, scope), false, source);
  }
  const shadowed = compileCondition('crypto.x === 1');
  assert.ok(shadowed.ok);
  assert.equal(evaluateCompiled(shadowed.js, { crypto: { x: 1 } }), false);
});

test('identifiers list the names read from the frame, once each, in order', () => {
  const compiled = compileCondition('user.id > 3 && items.length > user.id && typeof req === "object"');
  assert.ok(compiled.ok);
  assert.deepEqual(compiled.identifiers, ['user', 'items', 'req']);
});

test('a custom runtime name is used throughout, and a bad one is refused', () => {
  const compiled = compileCondition('a.b > 1', 'rt');
  assert.ok(compiled.ok);
  assert.ok(!compiled.js.includes('__keyhole'));
  assert.match(compiled.js, /^\(rt\.begin\("a"\) && rt\.end\(/);
  const bad = compileCondition('a', 'rt; process.exit()');
  assert.equal(bad.ok, false);
});

test('length and node-count caps are named settings', () => {
  const long = compileCondition('a'.repeat(DEFAULT_EXPRESSION_LIMITS.maxSourceLength + 1));
  assert.deepEqual(long.ok ? undefined : [long.code, long.message], [
    'KH_EXPR_TOO_LONG',
    `condition is ${DEFAULT_EXPRESSION_LIMITS.maxSourceLength + 1} characters long; at most ${DEFAULT_EXPRESSION_LIMITS.maxSourceLength} are allowed`,
  ]);
  const atLimit = compileCondition('a'.repeat(DEFAULT_EXPRESSION_LIMITS.maxSourceLength));
  assert.equal(atLimit.ok, true);
  const many = compileCondition('a + a + a + a', undefined, { maxSourceLength: 1000, maxNodes: 6 });
  assert.equal(many.ok ? undefined : many.code, 'KH_EXPR_TOO_LONG');
  assert.equal(compileCondition('a + a + a', undefined, { maxSourceLength: 1000, maxNodes: 5 }).ok, true);
});

// Differential check against the language itself: over primitive-valued
// expressions (where no coercion hook exists to refuse), a compiled
// condition is true exactly when the same source is truthy in plain JS, and
// false wherever plain JS would throw (V8 treats a throwing condition as false).
const differentialScope = {
  n: 5,
  m: -2.5,
  s: 'ab',
  t: '10',
  b: true,
  z: null,
  u: undefined,
  big: 3n,
  o: { a: 1, s: 'x', inner: { k: 2 }, list: [1, 2] },
};
const primitiveLeaf = fc.constantFrom(
  'n', 'm', 's', 't', 'b', 'z', 'u', 'big', '0', '1', '-1', '2.5', '"ab"', '"10"', '""', 'true', 'false', 'null', 'undefined', '1n', 'NaN',
  'o.a', 'o.s', 'o.inner.k', 'o.list[0]', 'o.list[1]', 'o.list.length', 'o.missing', 'o?.inner?.k', 'z?.x', 'u?.x.y', 's.length', 's[0]', 's[5]', 'o["a"]',
  'u.x', 'z.x',
);
const { primitive } = fc.letrec<{ primitive: string }>((tie) => ({
  primitive: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    primitiveLeaf,
    fc.tuple(fc.constantFrom('!', '-', '+', '~', 'typeof '), tie('primitive')).map(([op, a]) => `${op}(${a})`),
    fc
      .tuple(tie('primitive'), fc.constantFrom('===', '!==', '==', '!=', '<', '>', '<=', '>=', '+', '-', '*', '/', '%', '&', '|', '^', '&&', '||', '??'), tie('primitive'))
      .map(([a, op, c]) => `(${a}) ${op} (${c})`),
    fc.tuple(tie('primitive'), tie('primitive'), tie('primitive')).map(([c, a, d]) => `(${c}) ? (${a}) : (${d})`),
  ),
}));

test('property: over primitive values a compiled condition agrees with JavaScript', () => {
  const names = Object.keys(differentialScope);
  const values = names.map((name) => differentialScope[name as keyof typeof differentialScope]);
  fc.assert(
    fc.property(primitive, (source) => {
      let expected: boolean;
      try {
        expected = !!(new Function(...names, `return (${source});`) as (...args: unknown[]) => unknown)(...values);
      } catch {
        expected = false;
      }
      const compiled = compileCondition(source);
      if (!compiled.ok) return compiled.code === 'KH_EXPR_TOO_LONG';
      return evaluateCompiled(compiled.js, differentialScope) === expected;
    }),
    { numRuns: 3000 },
  );
});
