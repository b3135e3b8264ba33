// Idle cost in INSTRUCTIONS, not time: the agent connected to a broker peer,
// grant delivered, no probe, against no agent, for the loops of idle.mjs
// (sync, async/await, throw/catch, eval) and an HTTP server under load.
// CPU time on this small shared machine swings by tens of percent between
// rounds, too much to resolve the 0.5 % goal; an instruction count (valgrind,
// support/valgrind.mjs) does not depend on other tenants.
//
// Each process runs a FIXED amount of work. Every variant runs at two amounts
// N1 < N2 and the figure is the slope (Ir(N2) - Ir(N1)) / (N2 - N1):
// instructions per op or per request, with start-up (loading the agent,
// connecting, warming the JIT) cancelled out. What is left is what the goal
// is about, the agent's cost per op while idle, its periodic work (the 1 s
// sweep, heartbeats at the production default of 10 s) included. Under
// valgrind the process runs ~30-50x slower in wall time while timers keep
// wall time, so the agent does 30-50x MORE periodic work per op than
// natively: the figure is conservative.
//
// The HTTP slope varies by several percent between runs of the SAME variant
// (compare the two base slopes with 2 repeats): V8's optimizing decisions
// depend on how requests arrive in each event-loop turn, which depends on
// timing, and one compile more or less in a window moves the slope by
// thousands of instructions per request. That is larger than the 0.5 % the
// goal asks about; the loops, whose turns are fixed, resolve it.
//
// Goal: base / agent instructions per op >= 0.995 for every workload.
//
//   node bench/idle-instructions.mjs [--quick] [--only=sync|async|throw|eval|http]
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { countHttpServer, HTTP_SLOPE_REQUESTS } from './support/instrHttp.mjs';
import { instructionSlope, relSpread } from './support/instrSlope.mjs';
import { benchArgs } from './support/rounds.mjs';
import { fmt, median, spread, table, verdict } from './support/stats.mjs';
import { COUNTED, countInstructions, VALGRIND_ARGS, valgrindVersion } from './support/valgrind.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const workloads = join(here, 'workloads');
const { quick } = benchArgs();
/** --only=NAME runs the workloads whose name contains NAME (sync, async, throw, eval, http). */
const only = process.argv.find((a) => a.startsWith('--only='))?.slice('--only='.length);
const GOAL = 0.995;
/** Independent slope measurements per variant (two processes each). Default 2, 1 with --quick. */
const REPEATS = quick ? 1 : 2;
/**
 * [N1, N2] ops per loop workload: N1 well past JIT warm-up; N2 - N1 about
 * 400 M instructions, 2-4 s of valgrind wall time, so the window holds a few
 * heartbeats and sweeps. --quick halves the window.
 */
const LOOP_OPS = { sync: [20_000, 80_000], async: [50_000, 200_000], throw: [5_000, 22_000], eval: [20_000, 85_000] };
const window = ([n1, n2]) => (quick ? [n1, n1 + Math.round((n2 - n1) / 2)] : [n1, n2]);

/** The agent's heartbeat interval in every counted run: its production default (TransportSettings.heartbeatMs). Default 10 s. */
const HEARTBEAT_MS = 10_000;

const loopRun = (workload, variant) => (n) => countInstructions(join(workloads, 'instr-loop-child.mjs'), [workload, variant, n, 2000, HEARTBEAT_MS]);

/** One HTTP server process under valgrind serving exactly `n` requests from a native load generator. */
const httpRun = (variant) => (n) => countHttpServer(variant, [n], variant === 'base' ? {} : { agentOptions: { heartbeatIntervalMs: HEARTBEAT_MS } });

export async function runIdleInstructions() {
  const version = valgrindVersion();
  if (!version) {
    const text = 'idle-instructions: valgrind is not installed, so instructions cannot be counted. Install it (Debian/Ubuntu: `sudo apt-get install valgrind`) and run again.';
    return { text, summary: [{ bench: 'idle-instructions', metric: 'skipped: valgrind missing', value: 'n/a', goal: `>= ${GOAL}` }] };
  }
  const cases = [
    ...Object.entries(LOOP_OPS).map(([w, ns]) => ({ name: `${w} loop`, unit: 'instr/op', ns: window(ns), base: loopRun(w, 'base'), agent: loopRun(w, 'agent') })),
    { name: 'http server', unit: 'instr/req', ns: window(HTTP_SLOPE_REQUESTS), base: httpRun('base'), agent: httpRun('agent') },
  ];
  const t0 = performance.now();
  const selected = only ? cases.filter((c) => c.name.includes(only)) : cases;
  const rows = [];
  const summary = [];
  for (const c of selected) {
    const base = [];
    const agent = [];
    // One valgrind at a time: the machine has two cores and the HTTP load generator needs one.
    for (let k = 0; k < REPEATS; k++) {
      base.push(await instructionSlope(c.base, c.ns, `idle-instructions: ${c.name} base #${k + 1}`));
      agent.push(await instructionSlope(c.agent, c.ns, `idle-instructions: ${c.name} agent #${k + 1}`));
    }
    const b = base.map((s) => s.perOp);
    const a = agent.map((s) => s.perOp);
    const ratio = median(b) / median(a);
    const perRepeat = b.map((x, k) => x / a[k]);
    const beats = agent.map((s) => s.heartbeats);
    const secs = agent.map((s) => s.seconds);
    rows.push([c.name, `${c.ns[0]} → ${c.ns[1]}`, fmt(median(b)), fmt(median(a)), ratio.toFixed(4), spread(perRepeat, 4), `${relSpread(b)} / ${relSpread(a)}`, `${Math.min(...beats)}..${Math.max(...beats)} in ${fmt(Math.min(...secs))}..${fmt(Math.max(...secs))} s`, verdict(ratio, GOAL)]);
    summary.push({ bench: 'idle-instructions', metric: `${c.name} ${c.unit} ratio (base/agent)`, value: ratio, goal: `>= ${GOAL}` });
  }
  const text = [
    `## Idle agent (connected, grant, no probe) vs no agent, in instructions — slope of 2 fixed-work processes, ${REPEATS} repeat(s) (${fmt((performance.now() - t0) / 1000)} s)`,
    '',
    table(['workload', 'N1 → N2', 'no agent (instr/op)', 'agent (instr/op)', 'ratio base/agent', 'per repeat (min..max)', 'slope spread base / agent', 'agent heartbeats in window (valgrind wall)', `goal >= ${GOAL}`], rows),
    '',
    `Instructions per op (per request for HTTP) = (Ir(N2) - Ir(N1)) / (N2 - N1), Ir counted by \`valgrind ${VALGRIND_ARGS.join(' ')}\` over ${COUNTED} of the measured process (${version}). The broker peer and the HTTP load generator run natively in other processes and are not counted.`,
    `The agent does its periodic work (1 s sweep, heartbeats every ${HEARTBEAT_MS / 1000} s) on wall time, and valgrind runs the process 30-50x slower: per op it does far more of that work than natively, so the ratio is conservative. The HTTP slope varies by several percent between runs of the same variant (timing-dependent JIT decisions): compare the base slopes' spread.`,
  ].join('\n');
  return { text, summary };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log((await runIdleInstructions()).text);
