import { test } from 'node:test';
import assert from 'node:assert/strict';
import { budgetNote } from './probeNotes';

const busyLine = { conditionCostMs: 0.08, passes: 140 };

test('a budget spent on checks points at the busy line, with how often it ran and what a pass cost', () => {
  const note = budgetNote(busyLine, 10, { checks: 11.2, captures: 1.4, arming: 0.3 });
  assert.match(note, /budget of 10 ms per second .*rate\.blockedMsPerSecond.* ran out/);
  assert.match(note, /11\.2 ms went on checking passes, 1\.4 ms on captures .*, 0\.3 ms on re-arming probes/);
  assert.match(note, /Its line ran 140 times while armed, about 80 µs each/);
  assert.match(note, /inside the branch you are after/);
  assert.doesNotMatch(note, /Captures spent most/);
});

test('a budget spent on captures points at lighter or rarer captures, not at the line', () => {
  const note = budgetNote({ conditionCostMs: 0.08, passes: 1 }, 10, { checks: 0.1, captures: 12.5, arming: 0.4 });
  assert.match(note, /Captures spent most of it/);
  assert.match(note, /framesWithLocals 1 captures without pausing/);
  assert.doesNotMatch(note, /Its line ran/);
});

test('a budget spent on re-arming is the churn of a busy line: the line advice', () => {
  const note = budgetNote(busyLine, 10, { checks: 3, captures: 2, arming: 6 });
  assert.match(note, /Its line ran 140 times/);
});
