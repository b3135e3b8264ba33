import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Session } from 'node:inspector';
import { pathToFileURL } from 'node:url';
import { compileCondition } from './condition';
import { createExpressionRuntime } from './runtime';
import { createHostileWorld } from './fixtures/hostileWorld';
import { TEST_RUNTIME_NAME } from './fixtures/evaluate';
import { inspectOrder } from './fixtures/breakpointTarget';

const FIXTURE = require.resolve('./fixtures/breakpointTarget');
const BREAKPOINT_LINE = readFileSync(FIXTURE, 'utf8')
  .split('\n')
  .findIndex((line) => line.includes('KEYHOLE_BREAKPOINT_LINE'));

/**
 * A same-thread session answers `post` synchronously (the callback has run
 * when post returns), which is how the agent uses it too.
 */
function postNow(session: Session, method: string, params?: object): Record<string, unknown> {
  let answer: { error: Error | null; result: Record<string, unknown> } | undefined;
  session.post(method, params ?? {}, (error, result) => {
    answer = { error, result: (result ?? {}) as Record<string, unknown> };
  });
  assert.ok(answer !== undefined, `${method} did not answer synchronously`);
  assert.equal(answer.error, null, `${method}: ${String(answer.error)}`);
  return answer.result;
}

test('a real V8 breakpoint: hostile reads decline without pausing, a throwing condition declines, a true condition pauses', () => {
  assert.ok(BREAKPOINT_LINE > 0, 'marker line found in the compiled fixture');
  const world = createHostileWorld();
  const hostileOrder = {
    id: 3,
    get secret(): number {
      world.calls.push('order.secret');
      return 1;
    },
    proxy: world.scope.proxy,
    coercer: world.scope.coercer,
  };
  Object.defineProperty(globalThis, TEST_RUNTIME_NAME, { value: createExpressionRuntime(), configurable: true, enumerable: false, writable: false });
  const session = new Session();
  session.connect();
  let paused = 0;
  session.on('Debugger.paused', () => {
    paused++;
    // The pause also ends when this handler returns; resuming says so explicitly.
    session.post('Debugger.resume');
  });

  /** Sets a breakpoint with `condition` on the marker line, runs the fixture once, and returns the pauses it caused. */
  const pausesWith = (condition: string): number => {
    const { breakpointId } = postNow(session, 'Debugger.setBreakpointByUrl', {
      url: pathToFileURL(FIXTURE).href,
      lineNumber: BREAKPOINT_LINE,
      condition,
    });
    const before = paused;
    try {
      inspectOrder(hostileOrder);
    } finally {
      postNow(session, 'Debugger.removeBreakpoint', { breakpointId });
    }
    return paused - before;
  };
  const compiled = (source: string): string => {
    const result = compileCondition(source, TEST_RUNTIME_NAME);
    assert.ok(result.ok, source);
    return result.js;
  };

  try {
    postNow(session, 'Debugger.enable');
    // The breakpoint really is live: an unconditional one pauses once.
    assert.equal(pausesWith(''), 1);

    // Reads through a getter, a Proxy and a coercion hook: declined, no pause, nothing ran.
    assert.equal(pausesWith(compiled('order.secret === 1 || order.proxy.id === 3 || order.coercer > 0 || !order.secret')), 0);
    assert.deepEqual(world.calls, []);

    // What V8 does when a condition throws: it treats it as false and does
    // not pause (nothing reaches the host either). This covers a `let` read
    // in its temporal dead zone from a closure context, the one case where
    // a compiled condition can still throw. (A TDZ `let` that lives on the
    // stack reads as undefined in V8's debug-evaluate instead.)
    assert.equal(pausesWith('(() => { throw new Error("condition threw"); })()'), 0);
    assert.equal(pausesWith(compiled('laterInClosure === undefined')), 0);
    assert.equal(pausesWith(compiled('typeof laterInClosure === "undefined"')), 0);

    // A true condition over the same object pauses, still without running anything.
    assert.equal(pausesWith(compiled('order.id === 3 && typeof order.proxy === "object" && order.coercer != null')), 1);
    assert.deepEqual(world.calls, []);
  } finally {
    postNow(session, 'Debugger.disable');
    session.disconnect();
    delete (globalThis as Record<string, unknown>)[TEST_RUNTIME_NAME];
  }
});
