import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvCell, OTHER_MESSAGES, RUN_RESULT_LIMITS, resultsCsv, RunResults } from './runResults';

const probe = { kind: 'LOGPOINT' as const, label: 'Orders', path: 'a.js', line: 1, template: 'x' };

test('lines are grouped by message, most frequent first, with first and last times', () => {
  const r = new RunResults();
  r.track('p1', probe);
  r.addLine('p1', 'x2', 30, ['email']);
  r.addLine('p1', 'x3', 10, []);
  r.addLine('p1', 'x2', 20, []);
  r.addLine('p-other', 'ignored', 5, []);
  assert.deepEqual(r.view(), [
    {
      probeId: 'p1',
      label: 'Orders',
      kind: 'LOGPOINT',
      total: 3,
      maskedKinds: ['email'],
      rows: [
        { message: 'x2', count: 2, firstAtMs: 20, lastAtMs: 30 },
        { message: 'x3', count: 1, firstAtMs: 10, lastAtMs: 10 },
      ],
    },
  ]);
});

test('past the distinct-message limit, new messages are counted together', () => {
  const r = new RunResults();
  r.track('p1', probe);
  for (let i = 0; i < RUN_RESULT_LIMITS.maxDistinctMessages + 5; i++) r.addLine('p1', `m${i}`, i, []);
  const rows = r.view()[0]!.rows;
  assert.equal(rows.length, RUN_RESULT_LIMITS.maxDistinctMessages + 1);
  assert.equal(rows.find((row) => row.message === OTHER_MESSAGES)?.count, 5);
});

test('CSV quotes what needs quoting and defuses spreadsheet formulas', () => {
  assert.equal(csvCell('plain'), 'plain');
  assert.equal(csvCell('a,"b"'), '"a,""b"""');
  assert.equal(csvCell('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.equal(csvCell('-1'), "'-1");
  const r = new RunResults();
  r.track('p1', probe);
  r.addLine('p1', 'x2', 0, []);
  assert.equal(resultsCsv(r.view()), 'probe,kind,message,count,first_seen_utc,last_seen_utc\r\nOrders,LOGPOINT,x2,1,1970-01-01T00:00:00.000Z,1970-01-01T00:00:00.000Z\r\n');
});
