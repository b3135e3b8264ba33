// Blocked main-thread time per snapshot with the default capture limits at a
// 19-frame stack, against a bare pause + resume of the same line, measured
// side by side: each variant runs in a fresh process, interleaved over
// rounds, and the ratio is taken per round, then the median.
//
//   node bench/snapshot-cost.mjs [--quick] [rounds=5] [hits=200]
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { median } from './support/peer.mjs';
import { benchArgs } from './support/rounds.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { quick } = benchArgs();
const [roundsArg, hitsArg] = process.argv.slice(2).filter((a) => !a.startsWith('--'));
/** Rounds (every variant once each). Default 5, 3 with --quick. */
const rounds = Number(roundsArg ?? (quick ? 3 : 5));
/** Probe hits per process. Default 200, 100 with --quick. */
const hits = Number(hitsArg ?? (quick ? 100 : 200));
if (!(rounds > 0 && hits > 0)) throw new Error(`rounds and hits must be positive numbers, got ${roundsArg} and ${hitsArg}`);
// agent: default limits (5 frames with locals: a pause is needed for the
// callers' variables); agent-top: maxFramesWithLocals 1, captured without a pause.
const variants = ['base', 'bare', 'agent', 'agent-top'];
const results = Object.fromEntries(variants.map((v) => [v, []]));
const walls = Object.fromEntries(variants.map((v) => [v, []]));
const frames = {};
for (let r = 0; r < rounds; r++) {
  for (const v of variants) {
    const out = JSON.parse(execFileSync(process.execPath, ['--expose-gc', join(here, 'workloads', 'snapshot-cost-child.mjs'), v, String(hits)], { encoding: 'utf8' }));
    results[v].push(out.medianUs);
    walls[v].push(out.blockedUs);
    frames[v] = out.frames ?? frames[v];
    if (out.snapshotsReceived !== undefined) frames.received = out.snapshotsReceived;
  }
}
// Two figures per hit, each minus the same process kind without any probe:
// blocked = wall time the call was held (the pause and all work inside it);
// cpu = process CPU including what the agent defers until after the pause
// (mapping to original positions, encoding, sending).
const extra = (table, v, i) => table[v][i] - table.base[i];
const ratiosOf = (table, v) => table[v].map((_, i) => extra(table, v, i) / extra(table, 'bare', i));
const ratios = ratiosOf(walls, 'agent');
const cpuRatios = ratiosOf(results, 'agent');
const topRatios = ratiosOf(walls, 'agent-top');
const topCpuRatios = ratiosOf(results, 'agent-top');
console.log('| variant | blocked µs per hit (wall, in the call) | CPU µs per hit (incl. deferred work) |');
console.log('|---|---|---|');
for (const v of variants.slice(1)) console.log(`| ${v} | ${median(walls[v].map((_, i) => extra(walls, v, i))).toFixed(1)} | ${median(results[v].map((_, i) => extra(results, v, i))).toFixed(1)} |`);
console.log(`\nstack depth at the probe: ${frames.bare} frames; snapshots received by the peer in the last agent round: ${frames.received}`);
console.log(`blocked time, snapshot / bare pause+resume (median of per-round ratios): ${median(ratios).toFixed(2)}x  (goal <= 1.2x), min..max ${Math.min(...ratios).toFixed(2)}..${Math.max(...ratios).toFixed(2)}`);
console.log(`CPU incl. deferred work, snapshot / bare pause+resume: ${median(cpuRatios).toFixed(2)}x`);
console.log(`pause-free (maxFramesWithLocals 1) blocked time / bare pause+resume: ${median(topRatios).toFixed(2)}x, min..max ${Math.min(...topRatios).toFixed(2)}..${Math.max(...topRatios).toFixed(2)}; CPU incl. deferred work ${median(topCpuRatios).toFixed(2)}x`);
