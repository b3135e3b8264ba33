import { test } from 'node:test';
import assert from 'node:assert/strict';
import { pb } from '@keyhole/protocol';
import { DEFAULT_CAPTURE_LIMITS } from './limits';
import { createSerializeContext, serializeValue, serializeVariables } from './serializer';
import { scheduleSerializerWarmUp, warmUpSample, warmUpSerializer } from './serializerWarmUp';
import { createTestRedactor } from './fixtures/testRedactor';

const K = pb.ValueKind;

function kindsIn(values: readonly (pb.Value.$Properties | null | undefined)[], into = new Set<pb.ValueKind>()): Set<pb.ValueKind> {
  for (const v of values) {
    if (!v) continue;
    into.add(v.kind ?? K.VALUE_KIND_UNSPECIFIED);
    kindsIn((v.properties ?? []).map((p) => p.value), into);
    kindsIn((v.entries ?? []).flatMap((e) => [e.key, e.value]), into);
  }
  return into;
}

test('the warm-up sample walks every kind of value the serializer makes for a scope', () => {
  // A generous time budget: a cold first capture on a loaded machine must not cut what is checked here.
  const ctx = createSerializeContext({ ...DEFAULT_CAPTURE_LIMITS, timeBudgetMs: 60_000 }, createTestRedactor());
  const { variables } = serializeVariables(warmUpSample(1), ctx);
  const kinds = kindsIn(variables.map((v) => v.value));
  const expected = [K.OBJECT, K.ARRAY, K.STRING, K.NUMBER, K.BIGINT, K.BOOLEAN, K.NULL, K.UNDEFINED, K.SYMBOL, K.FUNCTION, K.DATE, K.REGEXP, K.ERROR, K.MAP, K.SET, K.TYPED_ARRAY, K.GETTER, K.CYCLE];
  assert.deepEqual(expected.filter((k) => !kinds.has(k)), []);
  assert.deepEqual(ctx.errors, []);
  assert.deepEqual([...ctx.maskedKinds], ['password']);
});

test('warmUpSerializer runs its rounds, stops at its time limit, and never throws', () => {
  assert.equal(warmUpSerializer(DEFAULT_CAPTURE_LIMITS, createTestRedactor(), 3, 60_000).rounds, 3);
  assert.equal(warmUpSerializer(DEFAULT_CAPTURE_LIMITS, createTestRedactor(), 3, 0).rounds, 0);
  const failing = createTestRedactor({ throwOnMask: true });
  assert.doesNotThrow(() => warmUpSerializer(DEFAULT_CAPTURE_LIMITS, failing, 2, 60_000));
});

test('a capture after a warm-up gives exactly what it gives without one', () => {
  const warmed = createTestRedactor();
  warmUpSerializer(DEFAULT_CAPTURE_LIMITS, warmed, 5, 60_000);
  const cold = createTestRedactor();
  const value = { req: { method: 'POST', headers: { host: 'h' } }, password: 'p', started: 1_700_000_000_123 };
  const limits = { ...DEFAULT_CAPTURE_LIMITS, timeBudgetMs: 60_000 };
  const afterWarmUp = createSerializeContext(limits, warmed);
  const withoutWarmUp = createSerializeContext(limits, cold);
  assert.deepEqual(serializeValue(value, afterWarmUp), serializeValue(value, withoutWarmUp));
  assert.deepEqual([...afterWarmUp.maskedKinds], [...withoutWarmUp.maskedKinds]);
  assert.deepEqual(afterWarmUp.budget.bytesUsed, withoutWarmUp.budget.bytesUsed);
});

test('a scheduled warm-up runs its rounds over several event-loop turns and can be cancelled', async () => {
  let turns = 0;
  let counting = true;
  const tick = (): void => {
    turns++;
    if (counting) setImmediate(tick);
  };
  setImmediate(tick);
  const full = await scheduleSerializerWarmUp(DEFAULT_CAPTURE_LIMITS, createTestRedactor(), 6, 0).done;
  counting = false;
  assert.equal(full.rounds, 6);
  assert.ok(turns >= 5, `the host got turns in between (${turns})`);

  const cancelled = scheduleSerializerWarmUp(DEFAULT_CAPTURE_LIMITS, createTestRedactor(), 1000, 0);
  cancelled.cancel();
  assert.ok((await cancelled.done).rounds < 1000);
});
