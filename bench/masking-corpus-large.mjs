// The masking corpus at scale: N generated objects (default 100,000) with
// planted personal data of every kind, serialized by the real serializer with
// the real redactor, encoded as snapshots, and searched byte-wise for every
// planted value (see agent/src/redact/corpusGenerator.ts). Prints leaks (must
// be none), the false-positive rate on near-misses, drops and throughput.
// Run `npx tsc -b agent` first, then
//   node bench/masking-corpus-large.mjs [N] [seed]
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';

const require = createRequire(import.meta.url);
const fc = require('fast-check');
const { createRedactor } = require('../agent/dist/redact/piiRedactor.js');
const { checkCase, corpusCaseArbitrary } = require('../agent/dist/redact/corpusGenerator.js');

const n = Number(process.argv[2] ?? 100_000);
const seed = Number(process.argv[3] ?? Date.now() % 2 ** 31);
const redactor = createRedactor();
const stats = { objects: 0, plants: 0, skipped: 0, nearMisses: 0, falsePositives: [], dropped: 0, bytes: 0, leaks: [] };
const t0 = performance.now();
fc.assert(
  fc.property(corpusCaseArbitrary, (c) => {
    const r = checkCase(c, redactor);
    stats.objects++;
    stats.plants += r.plantsChecked;
    stats.skipped += r.needlesSkipped;
    stats.nearMisses += r.nearMissesPlaced;
    stats.falsePositives.push(...r.nearMissesMasked);
    if (r.dropped) stats.dropped++;
    stats.bytes += r.encodedBytes;
    stats.leaks.push(...r.leaks);
    return r.leaks.length === 0;
  }),
  { numRuns: n, seed },
);
const seconds = (performance.now() - t0) / 1000;
const rate = stats.nearMisses ? stats.falsePositives.length / stats.nearMisses : 0;
console.log(`seed ${seed}: ${stats.objects} objects in ${seconds.toFixed(1)} s (${(stats.objects / seconds).toFixed(0)}/s), ${(stats.bytes / 1e6).toFixed(1)} MB encoded`);
console.log(`planted values checked ${stats.plants} (needles skipped as unjudgeable ${stats.skipped}); leaks ${stats.leaks.length}`);
console.log(`near-misses ${stats.nearMisses}, masked by mistake ${stats.falsePositives.length} (false-positive rate ${(rate * 100).toFixed(4)}%)`);
if (stats.falsePositives.length) console.log(`  e.g. ${stats.falsePositives.slice(0, 5).join(' | ')}`);
console.log(`objects with a text dropped by the masking time budget: ${stats.dropped}`);
