// Runs the agent's host-cost benchmarks one after another (never in parallel:
// they would measure each other) and prints each one's tables, then one
// summary table. --quick runs each in a shortened form (about 30 s each).
//
//   node bench/run-all.mjs [--quick]
import { runIdle } from './idle.mjs';
import { runUnsampled } from './unsampled.mjs';
import { runRateLimited } from './rate-limited.mjs';
import { runMemory } from './memory.mjs';
import { runBroker } from './broker.mjs';
import { runPlanStall } from './plan-stall.mjs';
import { runLocationStall } from './location-stall.mjs';
import { fmt, table } from './support/stats.mjs';

const benches = [runIdle, runUnsampled, runRateLimited, runMemory, runPlanStall, runLocationStall, runBroker];
const summary = [];
const t0 = performance.now();
for (const run of benches) {
  const started = performance.now();
  const r = await run();
  console.log(r.text + `\n\n(${fmt((performance.now() - started) / 1000)} s)\n`);
  summary.push(...r.summary);
}
console.log(`## Summary (${fmt((performance.now() - t0) / 1000)} s in all)\n`);
console.log(table(['benchmark', 'figure', 'value', 'goal'], summary.map((s) => [s.bench, s.metric, typeof s.value === 'number' ? (Math.abs(s.value) < 10 ? s.value.toFixed(3) : fmt(s.value)) : String(s.value), s.goal])));
