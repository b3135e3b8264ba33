import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { planInWorker, type PlanAnswer, type PlanRequest } from './planWorker';
import { planScopes } from './scopePlan';

/** The worker is unref'd, as it must be in a host: the test keeps its own event loop alive until the plan is back. */
const plan = (request: PlanRequest, heapMb?: number) =>
  new Promise<PlanAnswer>((resolve) => {
    const keepAlive = setInterval(() => undefined, 1000);
    planInWorker(
      request,
      (r) => {
        clearInterval(keepAlive);
        resolve(r);
      },
      heapMb,
    );
  });

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

test('a script whose analysis needs more heap than the worker may use gives a reason; this thread is untouched', async () => {
  // About 30 MB of analysis for a 8 MB old generation: the worker runs out of memory, not this thread.
  const big = Array.from({ length: 4000 }, (_, i) => `function f${i}(a) { let k = a + ${i}; return () => k; }`).join('\n');
  const r = await plan({ source: big, module: false, line: 1, column: 1, maxBindings: 20 }, 8);
  assert.equal(r.ok, false);
  assert.match(r.ok ? '' : r.reason, /memory|without a plan|failed/i);
});

test('given the file V8 loaded and its hash, the worker reads the file itself and plans as from the source', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kh-plan-'));
  try {
    const path = join(dir, 'handler.js');
    writeFileSync(path, SOURCE);
    const sha256 = createHash('sha256').update(SOURCE, 'utf8').digest('hex');
    const fromFile = await plan({ file: { path, sha256 }, module: false, line: 4, column: 5, maxBindings: 20 });
    assert.deepEqual(fromFile, await plan({ source: SOURCE, module: false, line: 4, column: 5, maxBindings: 20 }));
    // Changed on disk since V8 compiled it (an in-place deploy): the worker will not plan from it.
    writeFileSync(path, SOURCE.replace('kept', 'other'));
    const changed = await plan({ file: { path, sha256 }, module: false, line: 4, column: 5, maxBindings: 20 });
    assert.deepEqual(changed, { ok: false, needsSource: true, reason: 'the file on disk is not the source V8 runs' });
    const gone = await plan({ file: { path: join(dir, 'missing.js'), sha256 }, module: false, line: 4, column: 5, maxBindings: 20 });
    assert.equal(gone.ok, false);
    assert.ok(!gone.ok && 'needsSource' in gone, 'an unreadable file asks for the source too');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
