// The compile drain (compileDrain.ts) runs, on a real in-process inspector
// session, before every command that gives user code break info, and recovers
// when its target function is released. The race it prevents is exercised
// end to end by test/agent/compileRace.test.ts.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { COMPILE_DRAIN_GROUP } from './compileDrain';
import { DebuggerControl } from './debuggerControl';
import { SyncSession } from './session';

/** A real session that also remembers the methods it sent, in order. */
class RecordingSession extends SyncSession {
  readonly sent: string[] = [];
  override post<T>(method: string, params: Record<string, unknown> = {}): T {
    this.sent.push(method);
    return super.post<T>(method, params);
  }
}

function probed(n: number): number {
  const doubled = n * 2; // @probe:drain
  return doubled + 1;
}
/** 1-based line of the marked statement in the compiled file V8 runs. */
const PROBED_LINE = readFileSync(__filename, 'utf8').split('\n').findIndex((l) => l.includes('// @probe' + ':drain')) + 1;

function withControl(run: (session: RecordingSession, control: DebuggerControl, scriptId: string) => void): void {
  const session = new RecordingSession();
  session.connect();
  let scriptId = '';
  const url = pathToFileURL(__filename).href;
  const control = new DebuggerControl(
    session,
    (s) => {
      if (s.url === url || s.url === __filename) scriptId = s.scriptId;
    },
    () => undefined,
    () => undefined,
  );
  try {
    control.enable();
    assert.ok(scriptId, 'this test file is a loaded script');
    session.sent.length = 0;
    run(session, control, scriptId);
  } finally {
    control.disable();
    session.disconnect();
  }
}

const drainThen = (method: string) => ['Debugger.setBreakpointOnFunctionCall', 'Debugger.removeBreakpoint', method];

test('every breakpoint is set right after a drain: V8 has finished its background compiles before user code gets break info', () => {
  withControl((session, control) => {
    const url = pathToFileURL(__filename).href;
    const first = control.setBreakpoint(url, PROBED_LINE, 1, 'false');
    assert.ok(first.ok, JSON.stringify(first));
    assert.equal(first.actualLine, PROBED_LINE);
    assert.deepEqual(session.sent.filter((m) => m !== 'Runtime.evaluate'), drainThen('Debugger.setBreakpointByUrl'));
    assert.equal(probed(2), 5); // the code runs on; the condition is false
    control.removeBreakpoint(first.breakpointId);
    session.sent.length = 0;
    const again = control.setBreakpoint(url, PROBED_LINE, 1, 'false');
    assert.ok(again.ok);
    assert.deepEqual(session.sent, drainThen('Debugger.setBreakpointByUrl'), 'the drain target is made once and reused');
  });
});

test('asking for breakable positions is drained too: it gives the functions there break info', () => {
  withControl((session, control, scriptId) => {
    const at = control.breakablePosition(scriptId, PROBED_LINE, 1);
    assert.equal(at?.line, PROBED_LINE);
    assert.deepEqual(session.sent.filter((m) => m !== 'Runtime.evaluate'), drainThen('Debugger.getPossibleBreakpoints'));
  });
});

test('a released drain target is made again, and the breakpoint is still set', () => {
  withControl((session, control) => {
    const url = pathToFileURL(__filename).href;
    const first = control.setBreakpoint(url, PROBED_LINE, 1, 'false');
    assert.ok(first.ok);
    control.removeBreakpoint(first.breakpointId);
    session.post('Runtime.releaseObjectGroup', { objectGroup: COMPILE_DRAIN_GROUP });
    session.sent.length = 0;
    const r = control.setBreakpoint(url, PROBED_LINE, 1, 'true');
    assert.ok(r.ok, JSON.stringify(r));
    assert.deepEqual(session.sent, ['Debugger.setBreakpointOnFunctionCall', 'Runtime.evaluate', ...drainThen('Debugger.setBreakpointByUrl')]);
  });
});
