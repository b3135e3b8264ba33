// What any capture of callers' variables must add to a pause, whatever the
// agent: with a bare inspector session (no agent loaded), the cheapest ways
// V8's protocol offers to get the paused frames' scope objects, against a
// bare pause + resume of the same 19-frame line, side by side. It is the
// floor under snapshot-cost.mjs's 1.2x goal: a call into JavaScript must be
// compiled anew on every pause (V8 turns its compilation cache off while the
// debugger is on), and the ways that compile nothing pay one protocol round
// trip per scope object instead.
//
//   node bench/pause-floor.mjs [--quick] [--rounds=N]
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { runChildJson } from './support/child.mjs';
import { benchArgs, runRounds } from './support/rounds.mjs';
import { fmt, median, spread, table } from './support/stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const args = benchArgs();
/** Rounds (every variant once each, fresh process). Default 5, 3 with --quick. */
const ROUNDS = args.rounds ?? (args.quick ? 3 : 5);
/** Pauses per process. Default 300, 150 with --quick. */
const HITS = args.quick ? 150 : 300;
/** snapshot-cost.mjs's goal: a snapshot may block the service this many times a bare pause. */
const GOAL = 1.2;

// Each process alternates hits between the variant and a bare pause + resume,
// and measures the same call without a breakpoint first (subtracted from both).
const VARIANTS = [
  { name: 'evaluate-1', what: 'Runtime.evaluate("1") inside the pause' },
  { name: 'call-empty', what: 'Runtime.callFunctionOn(function () {}) on one scope object' },
  { name: 'handoff', what: "the agent's hand-off: one callFunctionOn receiving every scope object" },
  { name: 'get-properties', what: 'Runtime.getProperties per scope object (compiles nothing)' },
  { name: 'set-variable', what: 'Debugger.setVariableValue per scope object into a variable of ours (compiles nothing)' },
];

const results = await runRounds({
  rounds: ROUNDS,
  variants: VARIANTS,
  label: 'pause-floor ',
  run: (v) => runChildJson(join(here, 'workloads', 'pause-floor-child.cjs'), [v.name, HITS]),
});

const bareOf = (r) => r.bareUs - r.baseUs;
const rows = VARIANTS.map((v) => {
  const rs = results[v.name];
  const ratios = rs.map((r) => (r.blockedUs - r.baseUs) / bareOf(r));
  return [v.name, v.what, fmt(median(rs.map(bareOf))), fmt(median(rs.map((r) => r.blockedUs - r.baseUs))), fmt(median(rs.map((r) => r.inPauseUs))), spread(ratios, 2)];
});
const last = results.handoff.at(-1);
console.log(table(['variant', 'inside the pause', 'bare pause µs', 'pause with it µs', 'the work inside µs', 'ratio (median, min..max)'], rows));
const bare = median(Object.values(results).flat().map(bareOf));
console.log(`\n${last.frames} frames at the line; ${last.objects} scope objects in the 5 frames with locals. Blocked times are per hit, the call without a breakpoint subtracted.`);
console.log(`A ${GOAL}x goal leaves ${fmt((GOAL - 1) * bare)} µs of a ${fmt(bare)} µs pause for everything the agent does in it (gate, hand-off, serializing, masking).`);
