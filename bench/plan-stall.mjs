// What planning a pause-free probe costs the service's main thread: the
// script analysis (acorn + eslint-scope) run in place, as the agent first
// did, against the agent's worker thread (agent/src/capture/inline/planWorker.ts),
// side by side in one run, for a small handler and bundle-sized scripts.
// Figures: the main thread's longest event-loop delay while the plan is made
// (monitorEventLoopDelay), and its heap growth. Goal: planning never stalls
// the main thread for more than a few ms, whatever the script's size.
//
//   node bench/plan-stall.mjs
import { createRequire } from 'node:module';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { table } from './support/stats.mjs';

const require = createRequire(import.meta.url);
const { planInWorker } = require('../agent/dist/capture/inline/planWorker.js');
const { planScopes } = require('../agent/dist/capture/inline/scopePlan.js');

/**
 * Sizes of the large scripts, in characters. Default 1 Mi and 3 Mi (bundles;
 * the agent analyses up to 4 Mi). This script's analysis needs about 380 MB
 * of heap at 3 Mi, more than the worker's cap (PLAN_WORKER_HEAP_MB): the
 * worker gives up there and the probe pauses instead.
 */
const LARGE_CHARS = [1024 * 1024, 3 * 1024 * 1024];

/** A script of about `chars` characters: functions with closures, as a bundle has. */
function script(chars) {
  const parts = [];
  let size = 0;
  for (let i = 0; size < chars; i++) {
    const f = `function f${i}(a, b) {\n  let kept = a + ${i};\n  const local = [b, kept];\n  return function inner${i}(c) { return kept + c + local.length; };\n}\n`;
    parts.push(f);
    size += f.length;
  }
  return parts.join('');
}

function measure(source, inWorker) {
  return new Promise((resolve) => {
    // The agent's worker never keeps a process alive (it is unref'd): this bench has to.
    const keepAlive = setInterval(() => {}, 1000);
    const delay = monitorEventLoopDelay({ resolution: 2 });
    delay.enable();
    const heap0 = process.memoryUsage().heapUsed;
    const t0 = performance.now();
    const end = (plan) =>
      setTimeout(() => {
        delay.disable();
        clearInterval(keepAlive);
        resolve({ ok: plan.ok, ms: performance.now() - t0, maxDelayMs: delay.max / 1e6, heapMb: (process.memoryUsage().heapUsed - heap0) / 1e6 });
      }, 20);
    setTimeout(() => {
      const request = { source, module: false, line: 3, column: 3, maxBindings: 20 };
      if (inWorker) planInWorker(request, end);
      else end(planScopes(request.source, request.line, request.column, request.module, request.maxBindings));
    }, 20);
  });
}

export async function runPlanStall() {
  const rows = [];
  const summary = [];
  for (const [name, source] of [
    ['small handler', script(1_000)],
    ...LARGE_CHARS.map((n) => [`${n / 1024 / 1024} Mi bundle`, script(n)]),
  ]) {
    const inPlace = await measure(source, false);
    const worker = await measure(source, true);
    rows.push([name, String(source.length), `${inPlace.ms.toFixed(0)}${inPlace.ok ? '' : ' (no plan)'}`, inPlace.maxDelayMs.toFixed(1), inPlace.heapMb.toFixed(1), `${worker.ms.toFixed(0)}${worker.ok ? '' : ' (no plan)'}`, worker.maxDelayMs.toFixed(1), worker.heapMb.toFixed(1), (worker.maxDelayMs / inPlace.maxDelayMs).toFixed(3)]);
    summary.push({ bench: 'plan-stall', metric: `${name}: main-thread max event-loop delay, worker / in place`, value: worker.maxDelayMs / inPlace.maxDelayMs, goal: 'a few ms' });
  }
  const text = [
    '## Planning a pause-free probe: main-thread stall, in place vs on a worker thread',
    '',
    table(['script', 'chars', 'in place: ms', 'max event-loop delay ms', 'main heap +MB', 'worker: ms', 'max event-loop delay ms', 'main heap +MB', 'delay ratio worker / in place'], rows),
    '',
    'The agent plans on the worker; the in-place column is what it did before. Each run is cold (first analysis in this process for the small script, as for a service\'s first probe).',
  ].join('\n');
  return { text, summary };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log((await runPlanStall()).text);
