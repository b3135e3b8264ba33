import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { reconnectDelayMs } from './backoff';
import { RECONNECT_JITTER_FRACTION } from './transportConstants';

const settings = { reconnectMinMs: 500, reconnectMaxMs: 30_000 };
const fixed = (r: number) => () => r;

test('the ceiling doubles per attempt from reconnectMinMs', () => {
  const ceilings = [0, 1, 2, 3].map((a) => reconnectDelayMs(a, settings, false, fixed(0)));
  assert.deepEqual(ceilings, [500, 1000, 2000, 4000]);
});

test('delays are capped at reconnectMaxMs, however many attempts failed', () => {
  for (const attempt of [6, 7, 20, 1000, Number.MAX_SAFE_INTEGER]) {
    assert.equal(reconnectDelayMs(attempt, settings, false, fixed(0)), 30_000);
  }
});

test('jitter spreads a delay over [ceiling × (1 − fraction), ceiling]', () => {
  assert.equal(reconnectDelayMs(2, settings, false, fixed(0)), 2000);
  assert.equal(reconnectDelayMs(2, settings, false, fixed(0.5)), Math.round(2000 * (1 - RECONNECT_JITTER_FRACTION / 2)));
  assert.equal(reconnectDelayMs(2, settings, false, fixed(0.999999)), Math.round(2000 * (1 - RECONNECT_JITTER_FRACTION * 0.999999)));
  // Even the first attempt is jittered: agents that lost the same broker do not dial back in step.
  assert.notEqual(reconnectDelayMs(0, settings, false, fixed(0)), reconnectDelayMs(0, settings, false, fixed(0.9)));
});

test('after a fatal refusal every retry waits about reconnectMaxMs', () => {
  for (const attempt of [0, 1, 5]) {
    const d = reconnectDelayMs(attempt, settings, true, fixed(0.3));
    assert.equal(d, Math.round(30_000 * (1 - RECONNECT_JITTER_FRACTION * 0.3)));
  }
});

test('a broken random source cannot produce a negative, zero or endless delay', () => {
  for (const r of [Number.NaN, -5, 7, Number.POSITIVE_INFINITY]) {
    const d = reconnectDelayMs(3, settings, false, fixed(r));
    assert.ok(d >= 1 && d <= settings.reconnectMaxMs, `random ${r} gave ${d}`);
  }
});

test('property: delays stay within bounds and never shrink as attempts grow', () => {
  fc.assert(
    fc.property(
      fc.integer({ min: 1, max: 60_000 }),
      fc.integer({ min: 1, max: 600_000 }),
      fc.integer({ min: 0, max: 80 }),
      fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
      (min, max, attempt, r) => {
        const s = { reconnectMinMs: min, reconnectMaxMs: max };
        const d = reconnectDelayMs(attempt, s, false, fixed(r));
        const next = reconnectDelayMs(attempt + 1, s, false, fixed(r));
        const ceiling = Math.min(max, min * 2 ** attempt);
        assert.ok(d <= Math.max(1, max), `delay ${d} above max ${max}`);
        assert.ok(d >= Math.floor(ceiling * (1 - RECONNECT_JITTER_FRACTION)), `delay ${d} below the jitter floor of ${ceiling}`);
        assert.ok(next >= d, `attempt ${attempt + 1} waits ${next} < ${d}`);
      },
    ),
  );
});
