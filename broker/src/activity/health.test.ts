import assert from 'node:assert/strict';
import { test } from 'node:test';
import { serviceHealth } from './health';

test('red without agents or when all are silent, yellow when some are, green otherwise', () => {
  const now = 100_000;
  const fresh = { instanceId: 'a', lastHeartbeatMs: now - 1_000 };
  const stale = { instanceId: 'b', lastHeartbeatMs: now - 31_000 };
  assert.equal(serviceHealth([], now, 30_000).health, 'red');
  assert.equal(serviceHealth([stale], now, 30_000).health, 'red');
  assert.deepEqual(serviceHealth([fresh, stale], now, 30_000), { health: 'yellow', connected: 2, stale: 1, lastHeartbeatMs: now - 1_000, summary: '1 of 2 agents silent for over 30 s' });
  assert.equal(serviceHealth([fresh], now, 30_000).summary, '1 agent connected and reporting');
});
