import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BrokerErrorCode, isBrokerError } from '../errors';
import { DEFAULT_POLICY, mayRequest, POLICY_LIMITS, resolvePolicy } from './policy';

const badRequest = (pattern: RegExp) => (err: unknown) => isBrokerError(err) && err.code === BrokerErrorCode.BadRequest && pattern.test(err.message);

test('an empty input gives the documented defaults: 1 approval, 1 h window, 24 h snapshots', () => {
  assert.deepEqual(resolvePolicy({}), DEFAULT_POLICY);
  assert.equal(DEFAULT_POLICY.snapshotTtlMs, 24 * 60 * 60 * 1000);
  assert.equal(DEFAULT_POLICY.maxWindowMs, 60 * 60 * 1000);
});

test('only the fields given change; the rest come from the base', () => {
  const base = resolvePolicy({ approvalsRequired: 2, masking: { names: ['iban'] } });
  const next = resolvePolicy({ maxWindowMs: 600_000 }, base);
  assert.equal(next.approvalsRequired, 2);
  assert.deepEqual(next.masking.names, ['iban']);
  assert.equal(next.maxWindowMs, 600_000);
});

test('out-of-range and wrongly typed fields are refused with the field named', () => {
  assert.throws(() => resolvePolicy({ approvalsRequired: 0 }), badRequest(/approvalsRequired/));
  assert.throws(() => resolvePolicy({ approvalsRequired: POLICY_LIMITS.maxApprovalsRequired + 1 }), badRequest(/approvalsRequired/));
  assert.throws(() => resolvePolicy({ approvalsRequired: 1.5 }), badRequest(/approvalsRequired/));
  assert.throws(() => resolvePolicy({ maxWindowMs: POLICY_LIMITS.maxWindowMsCeiling + 1 }), badRequest(/maxWindowMs/));
  assert.throws(() => resolvePolicy({ snapshotTtlMs: '1d' }), badRequest(/snapshotTtlMs/));
  assert.throws(() => resolvePolicy({ enabled: 'yes' }), badRequest(/enabled/));
  assert.throws(() => resolvePolicy({ masking: { valuePatterns: ['(unclosed'] } }), badRequest(/valuePatterns.*regular expression/));
  assert.throws(() => resolvePolicy({ masking: { names: 'password' } }), badRequest(/masking.names/));
  assert.throws(() => resolvePolicy({ requesters: { roles: ['wizard'] } }), badRequest(/requesters.roles/));
  assert.throws(() => resolvePolicy({ masking: { names: Array.from({ length: POLICY_LIMITS.maxMaskingEntries + 1 }, (_, i) => `n${i}`) } }), badRequest(/limit/));
});

test('requesters are allowed by role or by name', () => {
  const policy = resolvePolicy({ requesters: { roles: ['developer'], users: ['sam'] } });
  assert.equal(mayRequest(policy, { id: 'dev', roles: ['developer'] }), true);
  assert.equal(mayRequest(policy, { id: 'sam', roles: ['ops'] }), true);
  assert.equal(mayRequest(policy, { id: 'ops1', roles: ['ops'] }), false);
});
