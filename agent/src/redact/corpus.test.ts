// The proof that planted personal data never leaves the process: 10,000
// generated objects (corpusGenerator.ts) with PII of every kind in keys,
// values, Maps, Sets, arrays, errors and long strings, serialized by the real
// serializer with the real redactor, encoded as a pb.Snapshot, and searched
// byte-wise for every planted value. Near-misses must come out as written.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { createRedactor } from './piiRedactor';
import { checkCase, corpusCaseArbitrary } from './corpusGenerator';

/** Objects per run; bench/masking-corpus-large.mjs runs more. */
const CORPUS_SIZE = 10_000;
/** Near-misses are built so that no validator accepts them; this allows for one-in-a-thousand coincidences, no more. */
const MAX_FALSE_POSITIVE_RATE = 0.001;

test(`corpus: ${CORPUS_SIZE} generated objects leak no planted value after capture and encoding`, (t) => {
  const redactor = createRedactor();
  const stats = { plants: 0, skipped: 0, nearMisses: 0, falsePositives: [] as string[], dropped: 0, bytes: 0 };
  fc.assert(
    fc.property(corpusCaseArbitrary, (c) => {
      const r = checkCase(c, redactor);
      assert.deepEqual(r.leaks, [], 'planted values found in the encoded snapshot');
      stats.plants += r.plantsChecked;
      stats.skipped += r.needlesSkipped;
      stats.nearMisses += r.nearMissesPlaced;
      stats.falsePositives.push(...r.nearMissesMasked);
      if (r.dropped) stats.dropped++;
      stats.bytes += r.encodedBytes;
    }),
    { numRuns: CORPUS_SIZE },
  );
  const rate = stats.nearMisses ? stats.falsePositives.length / stats.nearMisses : 0;
  t.diagnostic(`plants checked ${stats.plants}, needles skipped ${stats.skipped}, near-misses ${stats.nearMisses}, false positives ${stats.falsePositives.length} (${(rate * 100).toFixed(3)}%), objects with a dropped text ${stats.dropped}, encoded ${stats.bytes} bytes${stats.falsePositives.length ? `; false positives: ${stats.falsePositives.slice(0, 5).join(' | ')}` : ''}`);
  assert.ok(stats.plants >= CORPUS_SIZE, 'every object holds plants');
  assert.ok(rate <= MAX_FALSE_POSITIVE_RATE, `false positives: ${stats.falsePositives.slice(0, 10).join(' | ')}`);
});
