// What locating a probe and mapping a snapshot's frames in a large bundle
// costs the service's main thread: the source map read, decoded and indexed
// in place (as the agent did) against the location worker
// (agent/src/location/locationWorker.ts), side by side in one run. The
// bundle: TypeScript's compiler bundled by esbuild with an external source
// map (about 10 MB of code, 14 MB of map), built into a temp folder.
// Figures: the main thread's longest event-loop delay (monitorEventLoopDelay)
// and the heap it still holds afterwards (after a forced GC).
// Goal: a few ms of main-thread delay, no heap held on the main thread.
//
//   node --expose-gc bench/location-stall.mjs
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { table } from './support/stats.mjs';

const require = createRequire(import.meta.url);
const here = dirname(fileURLToPath(import.meta.url));
const { ScriptIndex, resolveProbeLocation, mapGeneratedToOriginal, DEFAULT_LOCATION_SETTINGS } = require('../agent/dist/location/index.js');
const { LocationWorker } = require('../agent/dist/location/locationWorker.js');

function buildBundle(dir) {
  const entry = join(dir, 'entry.js');
  writeFileSync(entry, `const ts = require(${JSON.stringify(require.resolve('typescript'))});\nmodule.exports = function handler(x) {\n  const kind = ts.SyntaxKind[x] || 'none';\n  return kind;\n};\n`);
  execFileSync(join(here, '..', 'node_modules', '.bin', 'esbuild'), [entry, '--bundle', '--platform=node', '--sourcemap', `--outfile=${join(dir, 'out', 'bundle.js')}`, '--log-level=error']);
  return { scriptId: '1', url: pathToFileURL(join(dir, 'out', 'bundle.js')).href, sourceMapURL: 'bundle.js.map' };
}

const gc = globalThis.gc ?? (() => undefined);
const heapNow = () => {
  gc();
  return process.memoryUsage().heapUsed;
};

/** Runs `work(done)` and measures the main thread until `done`. */
function measure(work) {
  return new Promise((resolve) => {
    const keepAlive = setInterval(() => {}, 1000);
    const delay = monitorEventLoopDelay({ resolution: 2 });
    const heap0 = heapNow();
    delay.enable();
    const t0 = performance.now();
    setTimeout(() =>
      work((answer) =>
        setTimeout(() => {
          delay.disable();
          clearInterval(keepAlive);
          resolve({ answer, ms: performance.now() - t0, maxDelayMs: delay.max / 1e6, heapHeldMb: (heapNow() - heap0) / 1e6 });
        }, 20),
      ), 20);
  });
}

export async function runLocationStall() {
  const dir = mkdtempSync(join(tmpdir(), 'kh-location-stall-'));
  try {
    const record = buildBundle(dir);
    const frame = { script: '1', line: 100_000, column: 10 };
    // In place: what the agent did, a fresh index per variant so the map is read and decoded each time.
    const index = new ScriptIndex();
    index.add(record);
    const mapInPlace = await measure((done) => done(mapGeneratedToOriginal(index, frame.script, frame.line, frame.column)));
    const resolveInPlace = await measure((done) => done(resolveProbeLocation(index, 'entry.js', 3)));
    const main = new ScriptIndex();
    main.add(record);
    const worker = new LocationWorker(DEFAULT_LOCATION_SETTINGS, main);
    const mapWorker = await measure((done) => worker.map([frame], (r) => done(r[0])));
    const resolveWorker = await measure((done) => worker.resolve('entry.js', 3, undefined, done));
    worker.stop();
    const same = JSON.stringify(mapInPlace.answer) === JSON.stringify(mapWorker.answer) && JSON.stringify(resolveInPlace.answer) === JSON.stringify(resolveWorker.answer);
    const row = (what, m) => [what, m.ms.toFixed(0), m.maxDelayMs.toFixed(1), m.heapHeldMb.toFixed(1)];
    const rows = [
      row('map the first snapshot\'s frame, in place', mapInPlace),
      row('then place the first probe, in place', resolveInPlace),
      row('map the first snapshot\'s frame, location worker', mapWorker),
      row('then place the first probe, location worker', resolveWorker),
    ];
    const summary = [
      { bench: 'location-stall', metric: 'main-thread max delay, map + place, worker (ms)', value: Math.max(mapWorker.maxDelayMs, resolveWorker.maxDelayMs), goal: 'a few ms' },
      { bench: 'location-stall', metric: 'main-thread max delay, map + place, in place (ms)', value: Math.max(mapInPlace.maxDelayMs, resolveInPlace.maxDelayMs), goal: 'reported' },
    ];
    const text = [
      '## Source maps of a large bundle: main-thread stall, in place vs the location worker',
      '',
      table(['step', 'ms until answered', 'max event-loop delay ms', 'main heap held afterwards, MB'], rows),
      '',
      `Bundle: TypeScript's compiler by esbuild, external map. Both ways give the same answers: ${same ? 'yes' : 'NO'}. Heap held is measured after a forced GC${globalThis.gc ? '' : ' (run with --expose-gc for it)'}.`,
    ].join('\n');
    return { text, summary };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log((await runLocationStall()).text);
