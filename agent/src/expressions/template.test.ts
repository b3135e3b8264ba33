import { test } from 'node:test';
import assert from 'node:assert/strict';
import { compileTemplate } from './template';
import { formatTemplate, formatValueSafely } from './format';
import { DEFAULT_EXPRESSION_LIMITS } from './limits';
import { UNAVAILABLE } from './safeRead';
import { evaluateCompiled } from './fixtures/evaluate';

const scope = { user: { id: 3, name: 'ada' }, items: [1, 2], map: { '}': 'brace' }, nothing: null };

function render(template: string): string {
  const compiled = compileTemplate(template);
  assert.ok(compiled.ok, compiled.ok ? '' : compiled.message);
  const values = evaluateCompiled(compiled.valuesJs, scope) as unknown[];
  return formatTemplate(compiled.segments, values, (v) => formatValueSafely(v));
}

test('placeholders are replaced by their values between the literal segments', () => {
  const compiled = compileTemplate('user {user.id} has {items.length} items');
  assert.ok(compiled.ok);
  assert.deepEqual(compiled.segments, ['user ', ' has ', ' items']);
  assert.deepEqual(compiled.identifiers, ['user', 'items']);
  assert.deepEqual(evaluateCompiled(compiled.valuesJs, scope), [3, 2]);
  assert.equal(render('user {user.id} has {items.length} items'), 'user 3 has 2 items');
});

test('{{ and }} are literal braces; a } inside a string literal does not end the placeholder', () => {
  assert.equal(render('{{literal}} {user.name}'), '{literal} ada');
  assert.equal(render('{map["}"]}'), 'brace');
  assert.equal(render('{ user.id + 1 }'), '4');
  assert.equal(render('{user}'), '{id: 3, name: "ada"}');
  assert.equal(render('no placeholders'), 'no placeholders');
  assert.equal(render(''), '');
});

test('an undeclared name prints as undefined instead of silencing the whole line', () => {
  assert.equal(render('{notDeclaredAnywhere} {user.id}'), 'undefined 3');
});

test('a value that meets a getter or a nullish holder is unavailable; the others still print', () => {
  const compiled = compileTemplate('{nothing.x} {!nothing.x} {user.id}');
  assert.ok(compiled.ok);
  assert.deepEqual(evaluateCompiled(compiled.valuesJs, scope), [UNAVAILABLE, UNAVAILABLE, 3]);
  assert.equal(render('{nothing.x} {!nothing.x} {user.id}'), '(unavailable) (unavailable) 3');
});

test('unbalanced braces, empty and refused placeholders are refused with their column', () => {
  const cases: readonly (readonly [string, string, string, number])[] = [
    ['a } b', 'KH_EXPR_SYNTAX', 'unbalanced "}" at column 3 (write "}}" for a literal brace)', 3],
    ['a {user.id', 'KH_EXPR_SYNTAX', 'unclosed "{" at column 3: expected "}" at column 11', 3],
    ['a {', 'KH_EXPR_SYNTAX', 'unclosed "{" at column 3 (write "{{" for a literal brace)', 3],
    ['a {user.id b}', 'KH_EXPR_SYNTAX', 'unclosed "{" at column 3: expected "}" at column 12', 3],
    ['x {} y', 'KH_EXPR_SYNTAX', 'empty placeholder at column 3', 3],
    ['{user.}', 'KH_EXPR_SYNTAX', 'placeholder is not valid JavaScript: Unexpected token at column 7', 7],
    ['id={user.getId()}', 'KH_EXPR_FORBIDDEN', 'calls are not allowed: "user.getId()" at column 5', 5],
    ['{a, b}', 'KH_EXPR_FORBIDDEN', 'comma sequences are not allowed: "a, b" at column 2', 2],
    ['{a = 1}', 'KH_EXPR_FORBIDDEN', 'assignments are not allowed: "a = 1" at column 2', 2],
  ];
  for (const [template, code, message, column] of cases) {
    const result = compileTemplate(template);
    assert.deepEqual(result, { ok: false, code, message, column }, template);
  }
});

test('the length cap covers the whole template and the node cap all placeholders together', () => {
  const long = compileTemplate('x'.repeat(DEFAULT_EXPRESSION_LIMITS.maxSourceLength + 1));
  assert.equal(long.ok ? undefined : long.code, 'KH_EXPR_TOO_LONG');
  const limits = { maxSourceLength: 1000, maxNodes: 4 };
  assert.equal(compileTemplate('{a.b} {c.d}', undefined, limits).ok, true);
  const many = compileTemplate('{a.b} {c.d} {e}', undefined, limits);
  assert.equal(many.ok ? undefined : many.code, 'KH_EXPR_TOO_LONG');
});
