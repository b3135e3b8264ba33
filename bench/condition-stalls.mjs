// Why the agent does not reset the Debugger domain: with a bare inspector
// session and a never-true condition on a hot line, V8 compiles the condition
// on every pass and keeps each script until a full GC; some passes then stall
// the thread for tens to hundreds of ms (a V8 behaviour with conditional
// breakpoints, chromium issue 1169895). Disabling and re-enabling the Debugger
// domain every N passes, which the agent once did to bound native memory,
// adds its own stalls (re-enabling reports every script still in the heap
// again) and does not remove V8's. Variants side by side, fresh process each,
// rounds interleaved; the table shows medians.
//
//   node bench/condition-stalls.mjs [--quick] [--rounds=N]
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { runChildJson } from './support/child.mjs';
import { benchArgs, runRounds } from './support/rounds.mjs';
import { fmt, median, table } from './support/stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = benchArgs();
/** Rounds (every variant once each). Default 3, 2 with --quick. */
const ROUNDS = args.rounds ?? (args.quick ? 2 : 3);
/** Condition evaluations per process. Default 100,000, 40,000 with --quick. */
const PASSES = args.quick ? 40_000 : 100_000;

const VARIANTS = [
  { name: 'none', what: 'Debugger left enabled (what the agent does)' },
  { name: 'reset:20000', what: 'disable + enable every 20,000 passes (the agent before)' },
  { name: 'reset:5000', what: 'disable + enable every 5,000 passes' },
];
const results = await runRounds({
  rounds: ROUNDS,
  variants: VARIANTS,
  label: 'condition-stalls ',
  run: (v) => runChildJson(join(here, 'workloads', 'condition-stalls-child.cjs'), [v.name, PASSES], { timeoutMs: 10 * 60_000 }),
});
const rows = VARIANTS.map((v) => {
  const rs = results[v.name];
  return [v.name, v.what, fmt(median(rs.map((r) => r.stalls))), fmt(median(rs.map((r) => r.stallMsTotal))), rs.map((r) => r.worstMs[0] ?? 0).join(', '), fmt(median(rs.map((r) => r.resetMsTotal))), fmt(median(rs.map((r) => r.rssMB))), fmt(median(rs.map((r) => r.passesPerSecond)))];
});
console.log(`## ${PASSES} evaluations of a never-true breakpoint condition on a hot line, bare session, ${ROUNDS} rounds (medians)\n`);
console.log(table(['variant', 'Debugger domain', 'stalls > 20 ms', 'stalled ms in all', 'worst stall ms, each round', 'of which resets ms', 'RSS at end MB', 'passes/s'], rows));
