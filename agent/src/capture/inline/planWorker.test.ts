import assert from 'node:assert/strict';
import { test } from 'node:test';
import { planInWorker, type PlanRequest } from './planWorker';
import { planScopes, type ScopePlanResult } from './scopePlan';

const plan = (request: PlanRequest) => new Promise<ScopePlanResult>((resolve) => planInWorker(request, resolve));

const SOURCE = ['function outer(a) {', '  let kept = a;', '  return function inner(b) {', '    const c = b + kept; // HERE', '    return c;', '  };', '}'].join('\n');

test('a plan made on the worker thread is the plan made in place', async () => {
  const request = { source: SOURCE, module: false, line: 4, column: 5, maxBindings: 20 };
  const inPlace = planScopes(request.source, request.line, request.column, request.module, request.maxBindings);
  assert.ok(inPlace.ok);
  assert.deepEqual(await plan(request), inPlace);
});

test('a script that does not parse gives a reason, not an exception', async () => {
  const r = await plan({ source: 'function (', module: false, line: 1, column: 1, maxBindings: 20 });
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.reason, /could not be parsed/);
});

test('a cancelled plan never calls back', async () => {
  let called = false;
  const cancel = planInWorker({ source: SOURCE, module: false, line: 4, column: 5, maxBindings: 20 }, () => (called = true));
  cancel();
  // Long enough for a worker to start, plan and post: the callback must stay silent.
  const control = await plan({ source: SOURCE, module: false, line: 4, column: 5, maxBindings: 20 });
  assert.ok(control.ok);
  assert.equal(called, false);
});
