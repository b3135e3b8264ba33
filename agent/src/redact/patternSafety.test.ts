import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkPatternSafety } from './patternSafety';

test('bounded patterns without nesting are accepted', () => {
  for (const p of ['EMP-\\d{6}', 'cust_[a-z0-9]{8,32}', '(?:ACME|ZZ)-\\d{4}', 'id(?:[a-z]{2}|\\d{3})?!', '[A-Z]{2}\\d{2,30}', 'ref#\\d{3}(?:-\\d{2})?', '(?<id>U\\d{8})', '\\bX\\d{4}\\b', '\\x41\\u0042\\d{2}']) {
    assert.equal(checkPatternSafety(p), undefined, p);
  }
});

test('catastrophic and unbounded shapes are refused with a reason', () => {
  const cases: Array<[string, RegExp]> = [
    ['(a+)+$', /unbounded/],
    ['\\d+x', /unbounded quantifier "\+"/],
    ['a*', /unbounded/],
    ['a{2,}', /give a maximum/],
    ['(?:a{1,5}){1,5}', /nested repetition/],
    ['(?:a|ab){1,10}', /ambiguous alternation/],
    ['(a)\\1', /backreference/],
    ['(?<n>a)\\k<n>', /named backreference/],
    ['a(?=b)', /lookaround/],
    ['(?<!a)b', /lookaround/],
    ['\\d{1,200}\\d{1,200}', /budget/],
    ['a{1,300}', /at most/],
    ['x{3}{2}', /quantifier on a quantifier/],
    ['a{', /malformed \{n,m\}/],
    ['{a}', /bare "\{"/],
    ['\\q', /escape \\q/],
    ['[]', /empty character class/],
    ['(abc', /unclosed/],
    ['abc)', /unbalanced/],
    ['a?', /empty string/],
    ['', /empty/],
    ['a'.repeat(300), /longer than/],
  ];
  for (const [p, why] of cases) {
    const problem = checkPatternSafety(p);
    assert.ok(problem !== undefined, `${p} was accepted`);
    assert.match(problem, why, `${p}: ${problem}`);
  }
});
