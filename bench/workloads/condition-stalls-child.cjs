'use strict';
// One variant of bench/condition-stalls.mjs in a fresh process: a bare
// inspector session (no agent) with a breakpoint whose condition never holds
// on a hot line that allocates little, so V8 compiles the condition on every
// pass and the scripts it compiles pile up until a full GC. `none` leaves the
// Debugger domain alone; `reset:N` disables and enables it every N passes
// (between event-loop turns) and sets the breakpoint again, as the agent once
// did to bound native memory. Prints one JSON line: every stall over
// STALL_MS (a call, or the time a reset took), RSS, and passes per second.
//
//   node condition-stalls-child.cjs <none|reset:N> <passes>
const inspector = require('node:inspector');
const { pathToFileURL } = require('node:url');

const [variant, passesArg] = process.argv.slice(2);
const passes = Number(passesArg);
const resetEvery = variant.startsWith('reset:') ? Number(variant.slice('reset:'.length)) : 0;
if (variant !== 'none' && !(resetEvery > 0)) throw new Error(`unknown variant ${variant}`);
/** A stall worth counting: longer than this many ms. Default 20 (a frame of an interactive app, a slow request). */
const STALL_MS = 20;
/** Calls per event-loop turn: a busy service's request burst. Default 250. */
const CALLS_PER_TURN = 250;

function handle(req) {
  const user = { id: req.i, name: 'n' };
  return user.id + 1; // @line
}
const LINE = require('node:fs').readFileSync(__filename, 'utf8').split('\n').findIndex((l) => l.includes('// @line'));

const session = new inspector.Session();
session.connect();
const post = (method, params) => {
  let error;
  session.post(method, params, (err) => (error = err));
  if (error) throw error;
};
// Shaped like the agent's conditions: a call into the agent, then the user's test.
globalThis.__conditionStalls = { gate: () => true };
function arm() {
  post('Debugger.enable', { maxScriptsCacheSize: 1024 * 1024 });
  post('Debugger.setBreakpointByUrl', { url: pathToFileURL(__filename).href, lineNumber: LINE, condition: '__conditionStalls.gate(1) && req.i === -1' });
}
arm();

const stalls = [];
let done = 0;
let resetMs = 0;
const started = performance.now();
function turn() {
  for (let k = 0; k < CALLS_PER_TURN && done < passes; k++) {
    const t0 = performance.now();
    handle({ i: done++ });
    const ms = performance.now() - t0;
    if (ms > STALL_MS) stalls.push(Math.round(ms));
    if (resetEvery && done % resetEvery === 0) setImmediate(reset);
  }
  if (done < passes) setImmediate(turn);
  else {
    const seconds = (performance.now() - started) / 1000;
    stalls.sort((a, b) => b - a);
    process.stdout.write(JSON.stringify({ passes: done, passesPerSecond: Math.round(done / seconds), stalls: stalls.length, worstMs: stalls.slice(0, 5), stallMsTotal: stalls.reduce((a, b) => a + b, 0), resetMsTotal: Math.round(resetMs), rssMB: Math.round(process.memoryUsage().rss / 1e6) }) + '\n');
  }
}
function reset() {
  const t0 = performance.now();
  post('Debugger.disable');
  arm();
  const ms = performance.now() - t0;
  resetMs += ms;
  if (ms > STALL_MS) stalls.push(Math.round(ms));
}
setImmediate(turn);
