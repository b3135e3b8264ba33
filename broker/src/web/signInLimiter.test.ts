import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SignInLimiter } from './signInLimiter';

test('an address over its attempts waits until the oldest leaves the window; others are not affected', () => {
  let now = 1_000_000;
  const limiter = new SignInLimiter({ attemptsPerWindow: 3, windowMs: 60_000, trackedAddresses: 100 }, () => now);
  assert.deepEqual([limiter.attempt('a'), limiter.attempt('a'), limiter.attempt('a')], [0, 0, 0]);
  now += 15_000;
  assert.equal(limiter.attempt('a'), 45);
  assert.equal(limiter.attempt('b'), 0);
  now += 45_000;
  assert.equal(limiter.attempt('a'), 0);
});

test('it remembers at most trackedAddresses addresses, forgetting the least recent', () => {
  const limiter = new SignInLimiter({ attemptsPerWindow: 1, windowMs: 60_000, trackedAddresses: 2 }, () => 0);
  limiter.attempt('a');
  limiter.attempt('b');
  limiter.attempt('c');
  assert.equal(limiter.attempt('a'), 0, 'a was forgotten');
  assert.ok(limiter.attempt('c') > 0);
});
