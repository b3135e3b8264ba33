import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as delay } from 'node:timers/promises';
import { RearmSchedule, type Waiting } from './rearmSchedule';

const probe = (): Waiting => ({ rearm: undefined });

function schedule(probes: Waiting[]) {
  let fired = 0;
  const s = new RearmSchedule(() => probes, () => fired++);
  return { s, fired: () => fired };
}

test('the timer fires once for the soonest wait, and only probes whose time came are due', async () => {
  const [a, b, c] = [probe(), probe(), probe()];
  const { s, fired } = schedule([a, b, c]);
  const now = performance.now();
  s.waitUntil(a, now + 20);
  s.waitUntil(b, now + 60_000);
  await delay(80);
  assert.equal(fired(), 1);
  assert.deepEqual(s.takeDue(performance.now()), [a]);
  assert.equal(a.rearm, undefined, 'its wait ended');
  assert.deepEqual(b.rearm, { until: 'time', at: now + 60_000 });
  assert.equal(c.rearm, undefined);
  assert.deepEqual(s.takeDue(performance.now()), [], 'taken once');
  s.close();
});

test('postponing moves timed waits no earlier than asked and leaves waits for a GC alone', () => {
  const [soon, late, gc] = [probe(), probe(), probe()];
  const { s } = schedule([soon, late, gc]);
  s.waitUntil(soon, 10);
  s.waitUntil(late, 5000);
  s.waitForGc(gc);
  s.postponeTimed(1000);
  assert.deepEqual([soon.rearm, late.rearm, gc.rearm], [{ until: 'time', at: 1000 }, { until: 'time', at: 5000 }, { until: 'gc' }]);
  assert.deepEqual(s.takeDue(2000), [soon], 'no timer promises a GC');
  s.close();
});

test('a full GC makes the probes waiting for it due, and says whether there were any', () => {
  const [gc, timed] = [probe(), probe()];
  const { s } = schedule([gc, timed]);
  assert.equal(s.gcCame(0), false);
  s.waitForGc(gc);
  s.waitUntil(timed, 9000);
  assert.equal(s.gcCame(100), true);
  assert.deepEqual(s.takeDue(100), [gc]);
  assert.equal(s.gcCame(200), false, 'nothing waits for a GC any more');
  s.close();
});

test('a closed schedule never fires, and with no timed wait no timer is set', async () => {
  const a = probe();
  const { s, fired } = schedule([a]);
  s.waitForGc(a);
  s.reschedule();
  s.waitUntil(a, performance.now() + 10);
  s.close();
  await delay(40);
  assert.equal(fired(), 0);
});
