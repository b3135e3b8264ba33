import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileCondition } from './condition';

/** [source, code, message] — the message names the offending part and its 1-based column. */
const REFUSED: readonly (readonly [string, string, string])[] = [
  ['user.getName()', 'KH_EXPR_FORBIDDEN', 'calls are not allowed: "user.getName()" at column 1'],
  ['a && user.getName()', 'KH_EXPR_FORBIDDEN', 'calls are not allowed: "user.getName()" at column 6'],
  ['a?.b()', 'KH_EXPR_FORBIDDEN', 'calls are not allowed: "a?.b()" at column 1'],
  ['new Date()', 'KH_EXPR_FORBIDDEN', '`new` is not allowed: "new Date()" at column 1'],
  ['tag`x`', 'KH_EXPR_FORBIDDEN', 'tagged templates are not allowed: "tag`x`" at column 1'],
  ['a === `x${b}`', 'KH_EXPR_FORBIDDEN', 'template literals are not allowed (they call toString): "`x${b}`" at column 7'],
  ['a = 1', 'KH_EXPR_FORBIDDEN', 'assignments are not allowed: "a = 1" at column 1'],
  ['a.b += 1', 'KH_EXPR_FORBIDDEN', 'assignments are not allowed: "a.b += 1" at column 1'],
  ['a++', 'KH_EXPR_FORBIDDEN', 'increments and decrements are not allowed: "a++" at column 1'],
  ['--a', 'KH_EXPR_FORBIDDEN', 'increments and decrements are not allowed: "--a" at column 1'],
  ['a, b', 'KH_EXPR_FORBIDDEN', 'comma sequences are not allowed: "a, b" at column 1'],
  ['[...a]', 'KH_EXPR_FORBIDDEN', 'array literals are not allowed: "[...a]" at column 1'],
  ['a === [1]', 'KH_EXPR_FORBIDDEN', 'array literals are not allowed: "[1]" at column 7'],
  ['a === ({})', 'KH_EXPR_FORBIDDEN', 'object literals are not allowed: "{}" at column 8'],
  ['(() => 1)', 'KH_EXPR_FORBIDDEN', 'functions are not allowed: "() => 1" at column 2'],
  ['a === function () {}', 'KH_EXPR_FORBIDDEN', 'functions are not allowed: "function () {}" at column 7'],
  ['a === class {}', 'KH_EXPR_FORBIDDEN', 'classes are not allowed: "class {}" at column 7'],
  ['delete a.b', 'KH_EXPR_FORBIDDEN', '`delete` is not allowed: "delete a.b" at column 1'],
  ['void 0', 'KH_EXPR_FORBIDDEN', '`void` is not allowed: "void 0" at column 1'],
  ['"id" in user', 'KH_EXPR_FORBIDDEN', '`in` is not allowed (it runs Proxy traps): "\"id\" in user" at column 1'],
  ['user instanceof User', 'KH_EXPR_FORBIDDEN', '`instanceof` is not allowed (it runs Symbol.hasInstance): "user instanceof User" at column 1'],
  ['/ab+c/.source', 'KH_EXPR_FORBIDDEN', 'regular expression literals are not allowed: "/ab+c/" at column 1'],
  ['import("fs")', 'KH_EXPR_FORBIDDEN', '`import()` is not allowed: "import("fs")" at column 1'],
  ['__keyhole.get', 'KH_EXPR_FORBIDDEN', 'the name __keyhole is reserved: "__keyhole" at column 1'],
  ['if (a) b', 'KH_EXPR_FORBIDDEN', 'statements are not allowed: "if (a) b" at column 1'],
  ['a; b', 'KH_EXPR_FORBIDDEN', 'only one expression is allowed: "b" at column 4'],
  ['var a = 1', 'KH_EXPR_FORBIDDEN', 'statements are not allowed: "var a = 1" at column 1'],
  ['user.', 'KH_EXPR_SYNTAX', 'condition is not valid JavaScript: Unexpected token at column 6'],
  ['a >', 'KH_EXPR_SYNTAX', 'condition is not valid JavaScript: Unexpected token at column 4'],
  ['   ', 'KH_EXPR_SYNTAX', 'condition is empty'],
];

test('every construct outside the subset is refused with its code, message and column', () => {
  for (const [source, code, message] of REFUSED) {
    const result = compileCondition(source);
    assert.equal(result.ok, false, source);
    if (result.ok) continue;
    assert.equal(result.code, code, source);
    assert.equal(result.message, message, source);
    const column = /at column (\d+)$/.exec(message)?.[1];
    assert.equal(result.column, column === undefined ? undefined : Number(column), source);
  }
});

test('refusal messages cut long offending parts', () => {
  const result = compileCondition(`f(${'x'.repeat(200)})`);
  assert.ok(!result.ok);
  assert.ok(result.message.length < 120, result.message);
  assert.match(result.message, /^calls are not allowed: "f\(x+…" at column 1$/);
});

test('the first offending part is reported, reading left to right', () => {
  const result = compileCondition('a.b === 1 && c.d(2) && e++');
  assert.ok(!result.ok);
  assert.equal(result.column, 14);
});
