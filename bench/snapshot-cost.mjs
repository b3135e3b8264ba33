// Blocked main-thread time per snapshot with the default capture limits at a
// 19-frame stack, against a bare pause + resume of the same line, measured
// side by side: each variant runs in a fresh process, interleaved over
// rounds, and the ratio is taken per round, then the median.
//
//   node bench/snapshot-cost.mjs [rounds=5] [hits=200]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { median } from './support/peer.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const rounds = Number(process.argv[2] ?? 5);
const hits = Number(process.argv[3] ?? 200);
const variants = ['base', 'bare', 'agent'];
const results = Object.fromEntries(variants.map((v) => [v, []]));
const frames = {};
for (let r = 0; r < rounds; r++) {
  for (const v of variants) {
    const out = JSON.parse(execFileSync(process.execPath, ['--expose-gc', join(here, 'workloads', 'snapshot-cost-child.mjs'), v, String(hits)], { encoding: 'utf8' }));
    results[v].push(out.medianUs);
    frames[v] = out.frames ?? frames[v];
    if (out.snapshotsReceived !== undefined) frames.received = out.snapshotsReceived;
  }
}
const blocked = (v, i) => results[v][i] - results.base[i];
const ratios = results.agent.map((_, i) => blocked('agent', i) / blocked('bare', i));
console.log('| variant | call µs (median of rounds) | blocked µs per hit |');
console.log('|---|---|---|');
for (const v of variants) console.log(`| ${v} | ${median(results[v]).toFixed(1)} | ${v === 'base' ? '-' : median(results[v].map((_, i) => blocked(v, i))).toFixed(1)} |`);
console.log(`\nstack depth at the probe: ${frames.bare} frames; snapshots received by the peer in the last agent round: ${frames.received}`);
console.log(`snapshot / bare pause+resume (median of per-round ratios): ${median(ratios).toFixed(2)}x  (goal <= 1.2x)`);
