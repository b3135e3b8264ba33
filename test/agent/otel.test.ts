// Snapshots and log lines carry the active OpenTelemetry trace and span ids,
// and the agent adds a span event naming the snapshot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pb } from '@keyhole/protocol';
import { AgentHarness, ROOMY_BUDGETS, setProbe } from '../support/agentHarness';
import { agentFixtures, lineOf } from '../support/fixtures';

const fixture = join(agentFixtures, 'otel-service.js');
const TRACE = '0af7651916cd43dd8448eb211c80319c';
const SPAN = 'b7ad6b7169203331';
const h = AgentHarness.forFile();

test('a snapshot and a log line carry the active trace and span ids; the span gets an event naming the snapshot', async () => {
  // Roomy budgets: this checks ids on two consecutive hits, not the budget (a cold first capture may spend it).
  const { svc, conn } = await h.connect('otel-service.js', { start: ROOMY_BUDGETS });
  try {
    const line = lineOf(fixture, 'traced');
    conn.send(setProbe('snap', 'otel-service.js', line));
    conn.send(setProbe('log', 'otel-service.js', line, { kind: pb.ProbeKind.LOGPOINT, logTemplate: 'order {orderId} amount {amount}' }));
    await conn.status('snap', pb.ProbeState.INSTALLED);
    await conn.status('log', pb.ProbeState.INSTALLED);
    assert.equal(await svc.call('traced', TRACE, SPAN, 7), 70);
    const snap = (await conn.next((m) => m.body === 'snapshot', 20_000, 'a snapshot')).snapshot!;
    assert.equal(snap.traceId, TRACE);
    assert.equal(snap.spanId, SPAN);
    const log = (await conn.next((m) => m.body === 'logLine', 20_000, 'a log line')).logLine!;
    assert.equal(log.message, 'order 7 amount 70');
    assert.equal(log.traceId, TRACE);
    assert.equal(log.spanId, SPAN);
    const events = await svc.call<{ name: string; attributes: Record<string, string> }[]>('events');
    assert.deepEqual(events, [{ name: 'keyhole.snapshot', attributes: { 'keyhole.snapshot.id': snap.id } }]);
    // Outside a span there are no ids, and nothing breaks.
    await svc.call('untraced', 8);
    const second = (await conn.next((m) => m.body === 'logLine' && m.logLine!.message === 'order 8 amount 80', 20_000, 'the untraced log line')).logLine!;
    assert.equal(second.traceId, '');
  } finally {
    await svc.stop();
  }
});
