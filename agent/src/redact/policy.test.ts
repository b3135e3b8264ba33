import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEFAULT_MASKING_POLICY, MASKING_FILE_ENV, MaskingPolicyErrorCode, loadMaskingPolicyFromEnv, mergeAdditions, resolveMaskingPolicy } from './policy';

function withFile(content: string, body: (path: string) => void): void {
  const dir = mkdtempSync(join(tmpdir(), 'keyhole-masking-'));
  try {
    const path = join(dir, 'masking.json');
    writeFileSync(path, content);
    body(path);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

test('no KEYHOLE_MASKING_FILE means the defaults', () => {
  const r = loadMaskingPolicyFromEnv({});
  assert.ok(r.ok);
  assert.deepEqual(r.policy, DEFAULT_MASKING_POLICY);
  assert.equal(r.policy.revealLength, false);
});

test('a valid file is loaded with defaults filled in', () => {
  const policy = { extraNames: ['customer_ref'], extraPatterns: [{ kind: 'employee_id', pattern: 'EMP-\\d{6}' }], exemptNames: ['sessionData'], revealLength: true };
  withFile(JSON.stringify(policy), (path) => {
    const r = loadMaskingPolicyFromEnv({ [MASKING_FILE_ENV]: path });
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(r.policy.extraNames, ['customer_ref']);
    assert.deepEqual(r.policy.extraPatterns, [{ kind: 'employee_id', pattern: 'EMP-\\d{6}' }]);
    assert.equal(r.policy.revealLength, true);
    assert.equal(r.policy.timeBudgetMs, DEFAULT_MASKING_POLICY.timeBudgetMs);
  });
});

test('an unreadable or non-JSON file is a problem with the file named', () => {
  const missing = loadMaskingPolicyFromEnv({ [MASKING_FILE_ENV]: '/nonexistent/masking.json' });
  assert.ok(!missing.ok);
  assert.equal(missing.code, MaskingPolicyErrorCode.UNREADABLE);
  assert.match(missing.problems[0]!, /\/nonexistent\/masking\.json/);
  withFile('{not json', (path) => {
    const r = loadMaskingPolicyFromEnv({ [MASKING_FILE_ENV]: path });
    assert.ok(!r.ok);
    assert.equal(r.code, MaskingPolicyErrorCode.UNREADABLE);
  });
});

test('every problem in a policy is listed, with a clear message', () => {
  const r = resolveMaskingPolicy({
    extraNames: ['ok', 7, '--'],
    extraPatterns: [{ kind: 'Bad Kind', pattern: 'x' }, { kind: 'slow', pattern: '(a+)+$' }, { kind: 'fine', pattern: 'F\\d{3}' }],
    revealLength: 'yes',
    timeBudgetMs: -1,
    typo: true,
  });
  assert.ok(!r.ok);
  assert.equal(r.code, MaskingPolicyErrorCode.INVALID);
  const text = r.problems.join('\n');
  assert.match(text, /extraNames\[1\]/);
  assert.match(text, /extraNames\[2\]/);
  assert.match(text, /extraPatterns\[0\]\.kind/);
  assert.match(text, /extraPatterns\[1\] \(slow\) pattern "\(a\+\)\+\$" is refused: .*unbounded/);
  assert.match(text, /revealLength must be true or false/);
  assert.match(text, /timeBudgetMs must be a positive number/);
  assert.match(text, /unknown field "typo"/);
  assert.equal(r.problems.length, 7);
});

test('broker additions only add names and patterns', () => {
  const base = resolveMaskingPolicy({ exemptNames: ['sessionData'], extraNames: ['a_ref'] });
  assert.ok(base.ok);
  const r = mergeAdditions(base.policy, { names: ['order_secret_ref'], valuePatterns: ['ORD-\\d{8}'] });
  assert.ok(r.ok);
  assert.deepEqual(r.policy.extraNames, ['a_ref', 'order_secret_ref']);
  assert.deepEqual(r.policy.extraPatterns, [{ kind: 'custom', pattern: 'ORD-\\d{8}' }]);
  assert.deepEqual(r.policy.exemptNames, ['sessionData']);
  assert.equal(r.policy.revealLength, false);
  assert.equal(mergeAdditions(base.policy, null).ok, true);
});

test('a refused broker pattern refuses the whole addition', () => {
  const r = mergeAdditions(DEFAULT_MASKING_POLICY, { names: ['x_ref'], valuePatterns: ['ok\\d{2}', '.*'] });
  assert.ok(!r.ok);
  assert.match(r.problems.join(), /broker masking patterns\[1\]/);
});
