import assert from 'node:assert/strict';
import { test } from 'node:test';
import { type GrantRow } from './brokerApi';
import { activeGrant, formatDuration, grantRequestSummary, parseLabels, statusText } from './grantText';

const grant = (over: Partial<GrantRow>): GrantRow => ({
  id: 'g1',
  state: 'active',
  status: 'approved',
  service: 'orders',
  requester: 'dev',
  selector: {},
  scopeGlobs: ['src/a.ts'],
  kinds: ['SNAPSHOT'],
  notAfterMs: 0,
  notBeforeMs: 0,
  createdAtMs: 0,
  approvalsRequired: 1,
  approvals: [],
  reason: 'r',
  ticket: '',
  requestedDurationMs: 0,
  ...over,
});

test('durations read as hours and minutes, minutes and seconds, or seconds', () => {
  assert.equal(formatDuration(3_900_000), '1 h 05 min');
  assert.equal(formatDuration(260_500), '4 min 20 s');
  assert.equal(formatDuration(12_999), '12 s');
  assert.equal(formatDuration(-5), '0 s');
});

test('the request summary names every choice the approver will see', () => {
  const text = grantRequestSummary({ service: 'orders', selector: { region: 'eu' }, scopeGlobs: ['src/a.ts', 'src/b.ts'], kinds: ['SNAPSHOT', 'LOGPOINT'], durationMs: 1_800_000, reason: 'carts fail', ticket: 'OPS-1' });
  assert.equal(text, 'Service: orders\nInstances: region=eu\nFiles (2): src/a.ts, src/b.ts\nKinds: snapshots and logpoints\nDuration: 30 min 00 s from approval\nReason: carts fail (ticket OPS-1)');
});

test('the status bar shows the active grant that ends last and warns in its last minutes', () => {
  const now = 1_000_000;
  const g = activeGrant([grant({ id: 'a', notAfterMs: now + 60_000 }), grant({ id: 'b', notAfterMs: now + 600_000 }), grant({ id: 'c', state: 'pending', notAfterMs: now + 900_000 })], now);
  assert.equal(g?.id, 'b');
  assert.equal(statusText(g, now, 5).warning, false);
  assert.match(statusText(g, now, 5).text, /orders: 10 min 00 s left/);
  assert.equal(statusText(g, now + 301_000, 5).warning, true);
  assert.equal(statusText(undefined, now, 5).warning, false);
  assert.equal(activeGrant([grant({ notAfterMs: now - 1 })], now), undefined);
});

test('labels are name=value pairs separated by commas', () => {
  assert.deepEqual(parseLabels(' region=eu, tier = web '), { ok: true, labels: { region: 'eu', tier: 'web' } });
  assert.deepEqual(parseLabels(''), { ok: true, labels: {} });
  assert.deepEqual(parseLabels('region'), { ok: false, bad: 'region' });
});
