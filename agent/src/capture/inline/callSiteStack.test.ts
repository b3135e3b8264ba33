import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stackDeeperThan, takeStack } from './callSiteStack';

function probeSite(max: number) {
  return takeStack(probeSite, max);
}
function caller(max: number) {
  return probeSite(max);
}

test('frames below the given function, as file urls with 1-based positions; the host\'s stack hooks are restored', () => {
  const hostPrepare = (): string => 'host format';
  const E = Error as { prepareStackTrace?: unknown; stackTraceLimit: number };
  const saved = { prepare: E.prepareStackTrace, limit: E.stackTraceLimit };
  E.prepareStackTrace = hostPrepare;
  E.stackTraceLimit = 3;
  try {
    const stack = caller(20);
    assert.equal(stack.entries[0]!.functionName, 'caller');
    assert.match(stack.entries[0]!.url, /^file:\/\/.*callSiteStack\.test\.js$/);
    assert.ok(stack.entries[0]!.line > 0 && stack.entries[0]!.column > 0);
    assert.equal(E.prepareStackTrace, hostPrepare);
    assert.equal(E.stackTraceLimit, 3);
  } finally {
    E.prepareStackTrace = saved.prepare;
    E.stackTraceLimit = saved.limit;
  }
});

test('beyond maxFrames the stack is cut and says so', () => {
  const stack = caller(1);
  assert.equal(stack.entries.length, 1);
  assert.equal(stack.more, true);
});

test('file urls are the same on a second, cached take', () => {
  const first = caller(5).entries.map((e) => e.url);
  const second = caller(5).entries.map((e) => e.url);
  assert.deepEqual(second, first);
  assert.ok(first.every((u) => u.startsWith('file://') || u.startsWith('node:')), first.join(', '));
});

test('stackDeeperThan counts the frames below the given function, exactly at the edge, and restores the hooks', () => {
  const E = Error as { prepareStackTrace?: unknown; stackTraceLimit: number };
  const limit = E.stackTraceLimit;
  /** Recurses `n` more times, then asks whether more than `max` frames are below `check`. */
  const below = (n: number, max: number): boolean => (n === 0 ? check(max) : below(n - 1, max));
  function check(max: number): boolean {
    return stackDeeperThan(check, max);
  }
  // Frames below `me`: the arrow, then this test and the runner's frames; below check: `below` n+1 times, then the same.
  const base = ((): number => {
    function me(): number {
      return takeStack(me, 1000).entries.length;
    }
    return me();
  })();
  for (const n of [0, 10, 100]) {
    const frames = n + base;
    assert.equal(below(n, frames - 1), true, `${frames} frames are more than ${frames - 1}`);
    assert.equal(below(n, frames), false, `${frames} frames are not more than ${frames}`);
  }
  assert.equal(E.stackTraceLimit, limit);
});
