import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TokenBucket } from './tokenBucket';
import { BlockedTimeBudget, Spent } from './blockedTimeBudget';

test('a token bucket allows its burst, then its rate', () => {
  const b = new TokenBucket(1, 5, 0);
  for (let i = 0; i < 5; i++) assert.ok(b.take(0), `burst token ${i}`);
  assert.equal(b.take(0), false);
  assert.equal(b.msUntilToken(0), 1000);
  assert.equal(b.take(999), false);
  assert.ok(b.take(1000));
  assert.equal(b.has(1000), false);
  assert.ok(b.has(2000));
  // Never more than the burst, however long it rests.
  for (let i = 0; i < 5; i++) assert.ok(b.take(1_000_000));
  assert.equal(b.take(1_000_000), false);
});

test('msUntilTokens waits for a batch of tokens, capped at the burst', () => {
  const b = new TokenBucket(1, 5, 0);
  for (let i = 0; i < 5; i++) b.take(0);
  assert.equal(b.msUntilTokens(3, 0), 3000);
  assert.equal(b.msUntilTokens(3, 1000), 2000);
  assert.equal(b.msUntilTokens(9, 1000), 4000, 'never more than the burst');
  assert.equal(b.msUntilTokens(3, 3000), 0);
});

test('has() does not take', () => {
  const b = new TokenBucket(100, 1, 0);
  assert.ok(b.has(0));
  assert.ok(b.has(0));
  assert.ok(b.take(0));
  assert.equal(b.has(0), false);
  assert.ok(b.has(10));
});

test('the blocked-time budget rolls over its window', () => {
  const budget = new BlockedTimeBudget(10, 1000);
  budget.spend(4, 0);
  budget.spend(4, 150);
  assert.equal(budget.exceeded(200), false);
  budget.spend(3, 300);
  assert.ok(budget.exceeded(300));
  assert.equal(budget.used(300), 11);
  // The first 4 ms expire one window after their slot began.
  assert.ok(budget.msUntilRefilled(300) > 0);
  assert.equal(budget.exceeded(1000), false);
  assert.equal(budget.used(1000), 7);
  assert.equal(budget.used(5000), 0);
});

test('the blocked-time budget says what its time went on, over the same window', () => {
  const budget = new BlockedTimeBudget(10, 1000);
  budget.spend(1, 0, Spent.checks);
  budget.spend(6, 150, Spent.captures);
  budget.spend(2, 300, Spent.arming);
  budget.spend(0.5, 300, Spent.checks);
  assert.deepEqual(budget.breakdown(300), { checks: 1.5, captures: 6, arming: 2 });
  // The slot at 0 expires first: its check goes, the rest stay.
  assert.deepEqual(budget.breakdown(1000), { checks: 0.5, captures: 6, arming: 2 });
  assert.equal(budget.used(1000), 8.5);
  // A slot reused a window later starts empty in every kind.
  budget.spend(3, 2000, Spent.checks);
  assert.deepEqual(budget.breakdown(2000), { checks: 3, captures: 0, arming: 0 });
});
