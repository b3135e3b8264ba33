// Idle cost: the agent connected to a broker peer, grant delivered, no probe,
// against no agent at all. Loops (sync, async/await, throw/catch, eval) by
// ops/s, and an HTTP server under load by server CPU µs per request and req/s.
// Goal: every ratio >= 0.995 (1.000 = no cost; higher is better).
//
//   node bench/idle.mjs [--quick] [--rounds=N]
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { runChildJson } from './support/child.mjs';
import { measureHttp } from './support/httpBench.mjs';
import { benchArgs, runRounds } from './support/rounds.mjs';
import { fmt, median, pairedRatios, spread, table, verdict } from './support/stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const { quick, rounds: roundsArg } = benchArgs();
const rounds = roundsArg ?? (quick ? 2 : 5);
const batches = quick ? 8 : 15;
const http = quick ? { warmupMs: 500, durationMs: 1500 } : { warmupMs: 1000, durationMs: 3000 };
const GOAL = 0.995;
const LOOPS = ['sync', 'async', 'throw', 'eval'];

const variants = [
  ...LOOPS.flatMap((w) => ['base', 'agent'].map((v) => ({ name: `${w}/${v}`, loop: w, v }))),
  { name: 'http/base', http: 'base' },
  { name: 'http/agent', http: 'idle' },
];

export async function runIdle() {
  const res = await runRounds({
    rounds,
    variants,
    label: 'idle: ',
    run: (v) => (v.http ? measureHttp(v.http, http) : runChildJson(join(here, 'workloads', 'idle-loop-child.mjs'), [v.loop, v.v, batches])),
  });
  const rows = [];
  const summary = [];
  for (const w of LOOPS) {
    const base = res[`${w}/base`].map((r) => r.opsPerSec);
    const agent = res[`${w}/agent`].map((r) => r.opsPerSec);
    const ratios = pairedRatios(agent, base);
    rows.push([`${w} loop`, 'ops/s', fmt(median(base)), fmt(median(agent)), spread(ratios), verdict(median(ratios), GOAL)]);
    summary.push({ bench: 'idle', metric: `${w} loop throughput ratio`, value: median(ratios), goal: `>= ${GOAL}` });
  }
  const hb = res['http/base'];
  const ha = res['http/agent'];
  const cpuRatios = pairedRatios(hb.map((r) => r.cpuUsPerReq), ha.map((r) => r.cpuUsPerReq));
  const rpsRatios = pairedRatios(ha.map((r) => r.rps), hb.map((r) => r.rps));
  rows.push(['http server', 'CPU µs/req', fmt(median(hb.map((r) => r.cpuUsPerReq))), fmt(median(ha.map((r) => r.cpuUsPerReq))), spread(cpuRatios), verdict(median(cpuRatios), GOAL)]);
  rows.push(['http server', 'req/s', fmt(median(hb.map((r) => r.rps))), fmt(median(ha.map((r) => r.rps))), spread(rpsRatios), verdict(median(rpsRatios), GOAL)]);
  summary.push({ bench: 'idle', metric: 'http CPU/req ratio (base/agent)', value: median(cpuRatios), goal: `>= ${GOAL}` });
  summary.push({ bench: 'idle', metric: 'http req/s ratio', value: median(rpsRatios), goal: `>= ${GOAL}` });
  const text = [
    `## Idle agent (connected, grant, no probe) vs no agent — ${rounds} rounds, fresh process per variant, interleaved`,
    '',
    table(['workload', 'metric', 'no agent (median)', 'agent (median)', 'ratio median (min..max)', `goal >= ${GOAL}`], rows),
    '',
    'Ratio = agent throughput / no-agent throughput, or no-agent CPU per request / agent CPU per request, per round.',
  ].join('\n');
  return { text, summary };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log((await runIdle()).text);
