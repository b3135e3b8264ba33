'use strict';
// One variant of bench/pause-floor.mjs in a fresh process: a bare inspector
// session (no agent) pauses at deep-stack.cjs's probe line and, inside the
// pause, does the least a capture of callers' variables must do, one way per
// variant. Hits alternate between doing it and doing nothing, so the bare
// pause is measured in the same process, under the same JIT and heap state.
// Prints { baseUs, bareUs, blockedUs, inPauseUs, frames, objects }: medians of
// the call's wall time without a breakpoint, with a bare pause, with the
// variant's work, and of that work alone.
//
//   node pause-floor-child.cjs <variant> <hits>
const inspector = require('node:inspector');
const vm = require('node:vm');
const work = require('./deep-stack.cjs');

const [variant, hitsArg] = process.argv.slice(2);
const hits = Number(hitsArg);
/** Recursion depth below the entry call: 15 gives 19 frames at the probe line, as in snapshot-cost.mjs. */
const DEPTH = 15;
/** Frames whose scopes are handed over: the agent's default capture.maxFramesWithLocals. */
const FRAMES_WITH_LOCALS = 5;
/** Scope kinds the agent captures (global and script scopes are the whole program). */
const CAPTURED_SCOPES = new Set(['local', 'closure', 'block', 'catch', 'module']);
/** Script-scope variables the setVariableValue variant writes into: one per object handed over. */
const SLOTS = 64;

const session = new inspector.Session();
session.connect();
const post = (method, params) => {
  let error;
  let result;
  session.post(method, params, (err, res) => {
    error = err;
    result = res;
  });
  if (error) throw error;
  return result;
};

globalThis.__pauseFloor = { received: [] };
vm.runInThisContext(Array.from({ length: SLOTS }, (_, k) => `let __pauseFloorSlot${k};`).join(''));
const HANDOFF = 'function () { globalThis.__pauseFloor.received = [this, ...arguments]; }';

/** The work each variant does inside the pause, given the paused event and the scope object ids. */
const inPause = {
  // The cheapest JavaScript there is: V8 compiles it anew (its compilation cache is off while the debugger is on) and reports it as a script.
  'evaluate-1': () => post('Runtime.evaluate', { expression: '1', silent: true, returnByValue: true }),
  // The cheapest call that can receive objects: an empty function on the first scope object.
  'call-empty': (_e, ids) => post('Runtime.callFunctionOn', { objectId: ids[0], functionDeclaration: 'function () {}', silent: true, returnByValue: true }),
  // The agent's hand-off: every scope object of the frames with locals, in one call (capture/scopeHandoff.ts).
  handoff: (_e, ids) =>
    post('Runtime.callFunctionOn', { objectId: ids[0], functionDeclaration: HANDOFF, arguments: ids.slice(1).map((objectId) => ({ objectId })), silent: true, returnByValue: true }),
  // No compile: one protocol round trip per scope object, values serialized by the protocol (one level).
  'get-properties': (_e, ids) => {
    for (const objectId of ids) post('Runtime.getProperties', { objectId, ownProperties: true });
  },
  // No compile either: each scope object written into a script-scope variable of our own.
  'set-variable': (e, ids) => {
    const top = e.callFrames[0];
    const scopeNumber = top.scopeChain.findIndex((s) => s.type === 'script');
    ids.forEach((objectId, k) => post('Debugger.setVariableValue', { callFrameId: top.callFrameId, scopeNumber, variableName: `__pauseFloorSlot${k}`, newValue: { objectId } }));
  },
};
const doInPause = inPause[variant];
if (!doInPause) throw new Error(`unknown variant ${variant}; one of ${Object.keys(inPause).join(', ')}`);

let frames = 0;
let objects = 0;
let doWork = false;
const inPauseUs = [];
session.on('Debugger.paused', (m) => {
  const e = m.params;
  frames = e.callFrames.length;
  if (!doWork) return;
  const ids = [];
  for (const f of e.callFrames.slice(0, FRAMES_WITH_LOCALS)) {
    for (const s of f.scopeChain) if (CAPTURED_SCOPES.has(s.type) && s.object.objectId) ids.push(s.object.objectId);
  }
  objects = ids.length;
  const t0 = performance.now();
  doInPause(e, ids);
  inPauseUs.push((performance.now() - t0) * 1000);
});

/** Calls before measuring: past the JIT's and the inspector's first-use costs. */
const WARMUP = 30;
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[s.length >> 1] : 0;
};
const samples = { base: [], bare: [], work: [] };
// From setImmediate, as a request handler runs: probed + 16 descend + step + processImmediate = 19 frames.
function step(i) {
  const phase = i < 2 * WARMUP ? 'base' : i % 2 ? 'work' : 'bare';
  if (i === 2 * WARMUP) {
    post('Debugger.enable');
    post('Debugger.setBreakpointByUrl', { url: work.url, lineNumber: work.probeLine - 1 });
  }
  doWork = phase === 'work';
  const t0 = performance.now();
  work.descend(DEPTH, i);
  const us = (performance.now() - t0) * 1000;
  if (i >= WARMUP && (phase === 'base' || i >= 4 * WARMUP)) samples[phase].push(us);
  if (i < 2 * WARMUP + 2 * hits + 2 * WARMUP) setImmediate(step, i + 1);
  else process.stdout.write(JSON.stringify({ baseUs: median(samples.base), bareUs: median(samples.bare), blockedUs: median(samples.work), inPauseUs: median(inPauseUs), frames, objects }) + '\n');
}
setImmediate(step, 0);
