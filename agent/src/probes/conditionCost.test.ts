// What one evaluation of a condition costs (conditionCost.ts), measured on a
// real in-process inspector session: remembered per condition text, and
// measured again on demand, since passes get slower as V8's compiled
// conditions pile up between full GCs.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DebuggerControl } from '../inspector/debuggerControl';
import { SyncSession } from '../inspector/session';
import { ConditionCostMeter, MAX_CONDITION_COST_MS, MIN_CONDITION_COST_MS } from './conditionCost';

/** A real session that counts the breakpoints set through it: one per measurement. */
class CountingSession extends SyncSession {
  breakpointsSet = 0;
  override post<T>(method: string, params: Record<string, unknown> = {}): T {
    if (method === 'Debugger.setBreakpointByUrl') this.breakpointsSet++;
    return super.post<T>(method, params);
  }
}

function withMeter(run: (meter: ConditionCostMeter, session: CountingSession) => void): void {
  const session = new CountingSession();
  session.connect();
  const control = new DebuggerControl(session, () => undefined, () => undefined, () => undefined);
  control.enable();
  try {
    run(new ConditionCostMeter(control), session);
  } finally {
    control.disable();
    session.disconnect();
  }
}

const CONDITION = 'typeof x === "number" && x < 0';

test('a condition is measured once, then its figure is remembered', () => {
  withMeter((meter, session) => {
    const cost = meter.costOf(CONDITION, 99);
    assert.notEqual(cost, 99, 'measured, not the fallback');
    assert.ok(cost >= MIN_CONDITION_COST_MS && cost <= MAX_CONDITION_COST_MS, `${cost} within the clamps`);
    assert.equal(session.breakpointsSet, 1);
    assert.equal(meter.costOf(CONDITION, 99), cost);
    assert.equal(session.breakpointsSet, 1, 'no second measurement');
  });
});

test('measureAgain measures anew and the new figure is the one remembered', () => {
  withMeter((meter, session) => {
    meter.costOf(CONDITION, 99);
    const again = meter.measureAgain(CONDITION, 99);
    assert.equal(session.breakpointsSet, 2, 'a second measurement');
    assert.notEqual(again, 99);
    assert.equal(meter.costOf(CONDITION, 99), again);
    assert.equal(session.breakpointsSet, 2);
  });
});
