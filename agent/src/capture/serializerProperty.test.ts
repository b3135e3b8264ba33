import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { pb } from '@keyhole/protocol';
import { TEST_LIMITS } from './fixtures/testLimits';
import { createSerializeContext, serializeValue, serializeVariables } from './serializer';
import { createTestRedactor } from './fixtures/testRedactor';

const anything = fc.anything({
  maxDepth: 5,
  withBigInt: true,
  withBoxedValues: true,
  withDate: true,
  withMap: true,
  withSet: true,
  withNullPrototype: true,
  withObjectString: true,
  withSparseArray: true,
  withTypedArray: true,
  withUnicodeString: true,
});

test('any value serializes without throwing and encodes as pb.Value', () => {
  fc.assert(
    fc.property(anything, fc.integer({ min: 0, max: 4 }), (value, maxDepth) => {
      const ctx = createSerializeContext({ ...TEST_LIMITS, maxDepth, maxProperties: 5, maxCollectionItems: 5, maxStringLength: 20 }, createTestRedactor());
      const v = serializeValue(value, ctx);
      const decoded = pb.Value.decode(pb.Value.encode(v).finish());
      assert.equal(decoded.kind, v.kind);
      if (value !== null && typeof value === 'object') serializeVariables(value, ctx);
      assert.deepEqual(
        ctx.errors.filter((e) => e.code === 'KH_CAPTURE_INTERNAL'),
        [],
      );
    }),
    { numRuns: 500 },
  );
});
