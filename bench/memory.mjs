// Memory over many snapshots: the agent at unlimited rates (every call is a
// snapshot), heap and RSS after forced GC at each checkpoint. Goal: flat,
// growth <= 5 MB from the first checkpoint (after warm-up) to the last. When
// growth passes the goal, a check without the agent (a bare session) shows
// whether the inspector itself keeps each pause's objects.
//
//   node bench/memory.mjs [--quick] [--snapshots=N]
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { runChildJson } from './support/child.mjs';
import { benchArgs } from './support/rounds.mjs';
import { fmt, table } from './support/stats.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const argv = process.argv.slice(2);
const flag = (name, dflt) => Number(argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1] ?? dflt);
const { quick } = benchArgs(argv);
const snapshots = flag('snapshots', quick ? 10_000 : 100_000);
const every = snapshots / 10;
const GOAL_MB = 5;

async function one(n, pauseFree = false) {
  const args = [n, n / 10];
  const env = { ...process.env, KH_BENCH_PAUSE_FREE: pauseFree ? '1' : '0' };
  return runChildJson(join(here, 'workloads', 'memory-child.mjs'), args, { nodeArgs: ['--expose-gc'], timeoutMs: 15 * 60_000, env });
}

/** Least-squares slope of y over x, in y units per 10k snapshots. */
function slopePer10k(points, y) {
  const n = points.length;
  const mx = points.reduce((a, p) => a + p.snapshots, 0) / n;
  const my = points.reduce((a, p) => a + p[y], 0) / n;
  const sxy = points.reduce((a, p) => a + (p.snapshots - mx) * (p[y] - my), 0);
  const sxx = points.reduce((a, p) => a + (p.snapshots - mx) ** 2, 0);
  return sxx ? (sxy / sxx) * 10_000 : 0;
}

function describe(r) {
  const cps = r.checkpoints;
  const first = cps[0];
  const last = cps[cps.length - 1];
  const per10k = (x) => ((last[x] - first[x]) / (last.snapshots - first.snapshots)) * 10_000;
  // A leak is a trend: the fitted slope over the second half says whether RSS still climbs once the
  // process has reached its working size (JIT code, heap sizing and malloc arenas grow early, in steps).
  const secondHalf = cps.slice(Math.floor(cps.length / 2) - 1);
  const halfSpan = (last.snapshots - secondHalf[0].snapshots) / 10_000;
  return {
    rssSecondHalfTrend: slopePer10k(secondHalf, 'rssMB') * halfSpan,
    heapSecondHalfTrend: slopePer10k(secondHalf, 'heapMB') * halfSpan,
    rows: cps.map((c) => [String(c.snapshots), String(c.received), fmt(c.seconds), c.heapMB.toFixed(2), c.rssMB.toFixed(1), c.externalMB.toFixed(2)]),
    heapGrowth: last.heapMB - first.heapMB,
    rssGrowth: last.rssMB - first.rssMB,
    heapPer10k: per10k('heapMB'),
    rssPer10k: per10k('rssMB'),
    line: `growth from ${first.snapshots} to ${last.snapshots} snapshots: heap ${fmt(last.heapMB - first.heapMB)} MB (${fmt(per10k('heapMB'))} MB per 10k), RSS ${fmt(last.rssMB - first.rssMB)} MB (${fmt(per10k('rssMB'))} MB per 10k); fitted trend over the second half (${secondHalf[0].snapshots} to ${last.snapshots}): heap ${fmt(slopePer10k(secondHalf, 'heapMB') * halfSpan)} MB, RSS ${fmt(slopePer10k(secondHalf, 'rssMB') * halfSpan)} MB; snapshots captured ${r.captured}, dropped frames ${r.dropped}`,
  };
}

/** Pauses of the bare-inspector cause check (workloads/backtrace-retention.cjs). */
const CAUSE_PAUSES = 2000;

/**
 * Without the agent: does a bare in-process session retain each pause's
 * scope objects, and does releasing the "backtrace" object group, or a
 * Debugger disable/enable, give them back?
 */
async function causeCheck() {
  const rows = [];
  for (const mode of ['keep', 'release', 'reset']) {
    const r = await runChildJson(join(here, 'workloads', 'backtrace-retention.cjs'), [mode, CAUSE_PAUSES], { nodeArgs: ['--expose-gc'] });
    rows.push([mode, ...r.checkpoints.map((c) => c.heapMB.toFixed(2))]);
  }
  return [
    `### Cause check without the agent: bare in-process session, ${CAUSE_PAUSES} pauses, heapUsed MB after forced GC`,
    '',
    table(['Debugger.paused handler', ...[1, 2, 3, 4].map((k) => `${(k * CAUSE_PAUSES) / 4} pauses`)], rows),
    '',
    'keep: does nothing; release: Runtime.releaseObjectGroup({objectGroup: "backtrace"}) in the handler; reset: Debugger.disable + enable every quarter.',
  ].join('\n');
}

export async function runMemory() {
  const header = ['snapshots', 'received by peer', 's', 'heapUsed MB', 'RSS MB', 'external MB'];
  process.stderr.write(`memory: ${snapshots} snapshots\n`);
  const main = describe(await one(snapshots));
  const parts = [`## Memory over ${snapshots} snapshots (unlimited rates), forced GC at each checkpoint`, '', table(header, main.rows), '', main.line];
  const summary = [
    { bench: 'memory', metric: `heap growth over ${snapshots} snapshots (MB)`, value: main.heapGrowth, goal: `<= ${GOAL_MB}` },
    { bench: 'memory', metric: `RSS growth over ${snapshots} snapshots (MB)`, value: main.rssGrowth, goal: `<= ${GOAL_MB}` },
    { bench: 'memory', metric: 'RSS fitted trend over the second half (MB)', value: main.rssSecondHalfTrend, goal: `<= ${GOAL_MB}` },
  ];
  // Pause-free snapshots compile two scripts per hit (the condition and the reader's eval) and hand nothing over.
  process.stderr.write(`memory: ${snapshots} pause-free snapshots (capture.maxFramesWithLocals 1)\n`);
  const free = describe(await one(snapshots, true));
  parts.push('', `### Same, pause-free snapshots (capture.maxFramesWithLocals 1)`, '', table(header, free.rows), '', free.line);
  summary.push({ bench: 'memory', metric: `heap growth over ${snapshots} pause-free snapshots (MB)`, value: free.heapGrowth, goal: `<= ${GOAL_MB}` });
  summary.push({ bench: 'memory', metric: `RSS growth over ${snapshots} pause-free snapshots (MB)`, value: free.rssGrowth, goal: `<= ${GOAL_MB}` });
  summary.push({ bench: 'memory', metric: 'RSS fitted trend over the second half, pause-free (MB)', value: free.rssSecondHalfTrend, goal: `<= ${GOAL_MB}` });
  if ([main, free].some((m) => m.rssGrowth > GOAL_MB || m.heapGrowth > GOAL_MB)) {
    process.stderr.write(`memory: growth above ${GOAL_MB} MB; cause check without the agent\n`);
    parts.push('', await causeCheck());
  }
  return { text: parts.join('\n'), summary };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log((await runMemory()).text);
