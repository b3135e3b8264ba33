// What planning a pause-free probe costs the service's main thread: the
// script analysis (acorn + eslint-scope) run in place, as the agent first
// did, against the agent's worker thread (agent/src/capture/inline/planWorker.ts),
// side by side in one run, for a small handler and bundle-sized scripts.
// Figures: the main thread's longest event-loop delay while the plan is made
// (monitorEventLoopDelay), and its heap growth. Goal: planning never stalls
// the main thread for more than a few ms, whatever the script's size.
//
//   node bench/plan-stall.mjs
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { table } from './support/stats.mjs';

const require = createRequire(import.meta.url);
const { planInWorker } = require('../agent/dist/capture/inline/planWorker.js');
const { planScopes } = require('../agent/dist/capture/inline/scopePlan.js');
const { SyncSession } = require('../agent/dist/inspector/session.js');

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

/** Runs `start(end)` (which makes a plan and calls `end` with it) and measures the main thread meanwhile. */
function measure(start) {
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
    setTimeout(() => start(end), 20);
  });
}

/**
 * The script loaded into V8 from a file, as a service's module is: the
 * worker can then either be sent the source the main thread fetched from V8
 * (Debugger.getScriptSource, as the agent did before) or read the file
 * itself, checked against V8's hash (what the agent does now).
 */
function loaded(source, name) {
  const path = join(dir, `${name}.js`);
  writeFileSync(path, source);
  require(path);
  const url = pathToFileURL(path).href;
  const script = seen.get(url);
  if (!script) throw new Error(`V8 did not report ${url}`);
  return { path, ...script };
}

const dir = mkdtempSync(join(tmpdir(), 'kh-plan-stall-'));
// The agent's own synchronous session: its commands answer before post() returns.
const session = new SyncSession();
session.connect();
const seen = new Map();
session.on('Debugger.scriptParsed', (m) => seen.set(m.params.url, { scriptId: m.params.scriptId, sha256: m.params.hash }));
session.post('Debugger.enable');
const post = (method, params) => session.post(method, params);

export async function runPlanStall() {
  const rows = [];
  const summary = [];
  for (const [name, source] of [
    ['small handler', script(1_000)],
    ...LARGE_CHARS.map((n) => [`${n / 1024 / 1024} Mi bundle`, script(n)]),
  ]) {
    const request = { module: false, line: 3, column: 3, maxBindings: 20 };
    const file = loaded(source, name.replace(/\W+/g, '-'));
    const inPlace = await measure((end) => end(planScopes(source, request.line, request.column, request.module, request.maxBindings)));
    const fetched = await measure((end) => planInWorker({ ...request, source: post('Debugger.getScriptSource', { scriptId: file.scriptId }).scriptSource }, end));
    const fromFile = await measure((end) => planInWorker({ ...request, file: { path: file.path, sha256: file.sha256 } }, end));
    const cells = (m) => [`${m.ms.toFixed(0)}${m.ok ? '' : ' (no plan)'}`, m.maxDelayMs.toFixed(1), m.heapMb.toFixed(1)];
    rows.push([name, String(source.length), ...cells(inPlace), ...cells(fetched), ...cells(fromFile)]);
    summary.push({ bench: 'plan-stall', metric: `${name}: main-thread max event-loop delay, worker reading the file (ms)`, value: fromFile.maxDelayMs, goal: 'a few ms' });
  }
  post('Debugger.disable');
  session.disconnect();
  rmSync(dir, { recursive: true, force: true });
  const text = [
    '## Planning a pause-free probe: main-thread stall, in place vs on a worker thread',
    '',
    table(['script', 'chars', 'in place: ms', 'max event-loop delay ms', 'main heap +MB', 'worker, source fetched from V8: ms', 'max delay ms', 'main heap +MB', 'worker reads the file: ms', 'max delay ms', 'main heap +MB'], rows),
    '',
    'In place: the analysis on the main thread, as the agent first did. Worker, source fetched: the main thread copies the source out of V8 (Debugger.getScriptSource) and sends it, as the agent did next. Worker reads the file: the worker reads the file V8 loaded and checks it against V8\'s SHA-256, what the agent does now for scripts loaded from files (it fetches the source only when the file changed on disk). The first run is cold (first analysis in this process, as for a service\'s first probe).',
  ].join('\n');
  return { text, summary };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log((await runPlanStall()).text);
