// Every request passes a snapshot probe with no condition, limited by the
// agent's default rate (1 snapshot/s per probe, burst 5). Measures the HTTP
// server against no agent (goal >= 0.99) and counts the snapshots the peer
// received, which should be about 5 + the seconds the probe was installed.
//
//   node bench/rate-limited.mjs [--quick] [--rounds=N]
import { fileURLToPath } from 'node:url';
import { measureHttp } from './support/httpBench.mjs';
import { HTTP_HEADER, httpRatios, httpRows } from './support/httpCompare.mjs';
import { benchArgs, runRounds } from './support/rounds.mjs';
import { fmt, median, table } from './support/stats.mjs';

const { quick, rounds: roundsArg } = benchArgs();
const rounds = roundsArg ?? (quick ? 2 : 7);
const http = quick ? { warmupMs: 500, durationMs: 2000 } : { warmupMs: 1000, durationMs: 5000 };
const GOAL = 0.99;
/** Default snapshot burst (DEFAULT_RATE.snapshotBurst). */
const BURST = 5;

// snapshot-limited: default limits (pausing capture); snapshot-limited-top:
// capture.maxFramesWithLocals 1, captured without a pause.
const variants = [{ name: 'base' }, { name: 'snapshot-limited' }, { name: 'snapshot-limited-top' }];

export async function runRateLimited() {
  const res = await runRounds({ rounds, variants, label: 'rate-limited: ', run: (v) => measureHttp(v.name, http) });
  const rs = res['snapshot-limited'];
  const top = res['snapshot-limited-top'];
  const { cpu, rps } = httpRatios(res.base, rs);
  const topRatios = httpRatios(res.base, top);
  const countRows = [['pausing', rs], ['pause-free', top]].flatMap(([mode, runs]) => runs.map((r, i) => [`${mode} ${i + 1}`, fmt(r.loadSeconds), String(r.counts.snapshot), fmt(r.loadSeconds + BURST), String(r.heartbeats.snapshotsCaptured), String(r.heartbeats.droppedFrames), fmt(median(r.snapshotMicros) / 1000), fmt(median(r.heartbeats.budgetUsedMicros) / 1000), fmt(r.rps)]));
  const text = [
    `## Snapshot probe on every request, default rate limit (1/s, burst ${BURST}) vs no agent — ${rounds} rounds × ${http.durationMs / 1000} s, 8 keep-alive connections`,
    '',
    table(HTTP_HEADER(GOAL), [...httpRows('snapshot 1/s', res.base, rs, GOAL), ...httpRows('snapshot 1/s, pause-free (maxFramesWithLocals 1)', res.base, top, GOAL)]),
    '',
    table(['round', 's of requests since installed', 'snapshots at peer', 'expected ≈ s + burst', 'agent snapshotsCaptured', 'dropped frames', 'blocked ms per snapshot (median)', 'budget used ms/s (median heartbeat)', 'req/s'], countRows),
    '',
    's of requests: from the first request after the probe was installed to the last (warm-up and measured load, with the short gap between).',
  ].join('\n');
  const summary = [
    { bench: 'rate-limited', metric: 'CPU/req ratio', value: median(cpu), goal: `>= ${GOAL}` },
    { bench: 'rate-limited', metric: 'req/s ratio', value: median(rps), goal: `>= ${GOAL}` },
    { bench: 'rate-limited', metric: 'CPU/req ratio, pause-free', value: median(topRatios.cpu), goal: `>= ${GOAL}` },
    { bench: 'rate-limited', metric: 'req/s ratio, pause-free', value: median(topRatios.rps), goal: `>= ${GOAL}` },
    { bench: 'rate-limited', metric: 'snapshots received / (s + burst)', value: median(rs.map((r) => r.counts.snapshot / (r.loadSeconds + BURST))), goal: '≈ 1' },
  ];
  return { text, summary };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log((await runRateLimited()).text);
