import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ORDERS_QTY_RUNBOOK_ENTRY } from '../testing/runbooks';
import { validateRunbookFile } from './runbook';

/** A valid entry of a runbooks file; the tests below break copies of it. */
const good = ORDERS_QTY_RUNBOOK_ENTRY;

test('a valid file gives its runbooks', () => {
  const r = validateRunbookFile({ version: 1, runbooks: [good] });
  assert.ok(r.ok);
  assert.equal(r.runbooks[0]?.probes[0]?.template, 'x{quantity}');
  assert.deepEqual(r.runbooks[0]?.selector, {});
});

test('every problem is listed, each naming its field', () => {
  const r = validateRunbookFile({
    version: 2,
    runbooks: [
      { ...good, id: 'Bad Id', allowedRoles: ['approver'], durationMinutes: 0, probes: [{ kind: 'LOGPOINT', label: 'x', path: 'src/**', line: 0 }] },
      good,
      good,
    ],
  });
  assert.equal(r.ok, false);
  assert.deepEqual(!r.ok && r.problems, [
    'version: must be 1',
    'runbooks[0].id: use lower-case letters, digits and "-", e.g. "orders-failed-checkout"',
    'runbooks[0].allowedRoles: approver may not request grants, so it cannot start a runbook; use a role that may (developer)',
    'runbooks[0].durationMinutes: must be a whole number of minutes from 1 to 1440',
    'runbooks[0].probes[0].path: must name one file, not a glob',
    'runbooks[0].probes[0].line: must be a line number from 1 to 10000000',
    'runbooks[0].probes[0].template: must be a non-empty string of at most 2000 characters',
    'runbooks[2].id: "orders-qty" is used twice; ids must be unique',
  ]);
});

test('a file that is not the right shape says so', () => {
  assert.deepEqual(validateRunbookFile([]), { ok: false, problems: ['the file must hold a JSON object {"version": 1, "runbooks": [...]}'] });
  assert.deepEqual(validateRunbookFile({ version: 1 }), { ok: false, problems: ['runbooks: must be a list'] });
  const snapshotWithTemplate = validateRunbookFile({ version: 1, runbooks: [{ ...good, probes: [{ kind: 'SNAPSHOT', label: 's', path: 'a.js', line: 3, template: 'x' }] }] });
  assert.deepEqual(!snapshotWithTemplate.ok && snapshotWithTemplate.problems, ['runbooks[0].probes[0].template: only a LOGPOINT has a template; remove it or make the probe a LOGPOINT']);
});

test('standingApprovals is off unless the file says true, and must be a boolean', () => {
  const off = validateRunbookFile({ version: 1, runbooks: [good] });
  assert.ok(off.ok && off.runbooks[0]?.standingApprovals === undefined);
  const on = validateRunbookFile({ version: 1, runbooks: [{ ...good, standingApprovals: true }] });
  assert.ok(on.ok && on.runbooks[0]?.standingApprovals === true);
  const bad = validateRunbookFile({ version: 1, runbooks: [{ ...good, standingApprovals: 'yes' }] });
  assert.deepEqual(bad.ok ? [] : bad.problems, ['runbooks[0].standingApprovals: must be true or false']);
});
