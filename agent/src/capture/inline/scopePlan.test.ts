import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pb } from '@keyhole/protocol';
import { MAX_SCOPE_ANALYSIS_CHARS, offsetOf, planScopes, ScriptScopes } from './scopePlan';

const lineOf = (src: string, marker: string) => src.split('\n').findIndex((l) => l.includes(marker)) + 1;
const summary = (src: string, marker: string, module = false, max = 20) => {
  const r = planScopes(src, lineOf(src, marker), 1, module, max);
  assert.ok(r.ok, r.ok ? '' : r.reason);
  return r.scopes.map((s) => `${pb.ScopeKind[s.kind]}${s.name ? `(${s.name})` : ''}: ${s.bindings.map((b) => b.name + (b.uninitialized ? '!' : '')).join(' ')}${s.total > s.bindings.length ? ` (+${s.total - s.bindings.length})` : ''}`);
};

test("CommonJS: the probe function's block and local scopes whole; of outer functions only what a closure uses", () => {
  const src = [
    "const dep = require('x');",
    'const unusedByAnyFunction = 1;',
    'function outer(a, notUsedInside) {',
    '  var hoisted = 1;',
    '  return function inner(b) {',
    '    for (let i = 0; i < 1; i++) {',
    '      const inLoop = i;',
    '      use(b, a, hoisted, dep); // HERE',
    '      let afterInLoop = 2;',
    '    }',
    '    const after = 3;',
    '  };',
    '}',
  ].join('\n');
  assert.deepEqual(summary(src, 'HERE'), ['BLOCK: inLoop afterInLoop!', 'BLOCK: i', 'LOCAL(inner): b after!', 'CLOSURE(outer): a hoisted', 'CLOSURE: dep']);
});

test('an ES module: top-level names a function uses are the module scope; imports are bindings too', () => {
  const src = ["import { a } from 'a';", 'export const b = 1;', 'const c = 2;', 'export function f(x) {', '  return x + a + b; // HERE', '}'].join('\n');
  assert.deepEqual(summary(src, 'HERE', true), ['LOCAL(f): x', 'MODULE: a b']);
});

test('a catch binding is its own scope; arrow functions and class methods are functions', () => {
  const src = ['class C {', '  m(p) {', '    const g = (q) => {', '      try { q(p); } catch (err) {', '        log(err, C); // HERE', '      }', '    };', '  }', '}'].join('\n');
  // Inside the class, C is the class scope's own binding (not planned); the outer C no closure uses.
  assert.deepEqual(summary(src, 'HERE'), ['CATCH: err', 'LOCAL: q', 'CLOSURE: p']);
});

test('bindings beyond the limit are counted, not planned', () => {
  const src = ['function f() {', '  let a = 1, b = 2, c = 3, d = 4;', '  use(a); // HERE', '}'].join('\n');
  assert.deepEqual(summary(src, 'HERE', false, 2), ['LOCAL(f): a b (+2)']);
});

test('one analysis serves several positions', () => {
  const src = ['function f(a) {', '  const x = a; // ONE', '  return function g(b) {', '    return b + x; // TWO', '  };', '}'].join('\n');
  const analysed = ScriptScopes.analyse(src, false);
  assert.ok(analysed.ok);
  const one = analysed.scopes.planAt(lineOf(src, 'ONE'), 1, 20);
  const two = analysed.scopes.planAt(lineOf(src, 'TWO'), 1, 20);
  assert.deepEqual(one.ok && one.scopes.map((s) => s.bindings.map((b) => b.name)), [['a', 'x']]);
  assert.deepEqual(two.ok && two.scopes.map((s) => s.bindings.map((b) => b.name)), [['b'], ['x']]);
});

test('a script that does not parse, a line past the end, or a script too large to analyse is refused with a reason', () => {
  const bad = planScopes('function (', 1, 1, false, 20);
  assert.equal(bad.ok, false);
  assert.match(bad.ok ? '' : bad.reason, /could not be parsed/);
  const past = planScopes('let a = 1;', 5, 1, false, 20);
  assert.match(past.ok ? '' : past.reason, /line 5 is not in the script/);
  const big = planScopes(' '.repeat(MAX_SCOPE_ANALYSIS_CHARS + 1), 1, 1, false, 20);
  assert.match(big.ok ? '' : big.reason, /more than the/);
});

test('offsets count UTF-16 units per line, as V8 columns do', () => {
  assert.equal(offsetOf('ab\ncd', 2, 2), 4);
  assert.equal(offsetOf('😀x\ny', 1, 3), 2);
  assert.equal(offsetOf('a', 3, 1), undefined);
});
