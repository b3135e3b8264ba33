// Host safety against a V8 race: setting a breakpoint in a function while a
// caller that inlines it is being compiled on a background thread made V8
// abort the process (agent/src/inspector/compileDrain.ts). A rate-limited
// probe is re-armed again and again, so the agent must never arm into that
// window. Without the drain this test failed (the V8 abort) in about one
// run in two: the race is a matter of timing, so a pass proves less than a
// failure; compileDrain.test.ts checks the drain's order deterministically.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pb } from '@keyhole/protocol';
import { AgentHarness, ROOMY_BUDGETS, assertOnlyKeyholeLines, setProbe } from '../support/agentHarness';
import { agentFixtures, lineOf } from '../support/fixtures';

const FIXTURE = 'inlined-callers-service.js';
/** How long the service keeps making new callers while the probe re-arms. */
const CHURN_MS = 8000;
/**
 * Re-arm after every snapshot, often. A token every 10 ms, not every 1 ms: a
 * pause takes about a millisecond, longer on a loaded machine, and a token
 * that refills during the pause leaves the probe armed, so it would pause on
 * every call of `leaf` (30,000 per round) and never re-arm at all.
 */
const REARM_OFTEN = { snapshotsPerSecond: 100, snapshotBurst: 1, snapshotRearmTokens: 1, blockedMsPerSecond: 1000, defaultMaxHits: 1e9 };

const h = AgentHarness.forFile();

test('re-arming a probe in a function V8 is inlining into callers it compiles in the background never aborts the host', async () => {
  const { svc, conn } = await h.connect(FIXTURE, { start: { ...ROOMY_BUDGETS, rate: REARM_OFTEN } });
  try {
    conn.send(setProbe('p-leaf', `fixtures/${FIXTURE}`, lineOf(join(agentFixtures, FIXTURE), 'leaf')));
    await conn.status('p-leaf', pb.ProbeState.INSTALLED);
    const outcome = await Promise.race([svc.call<number>('churn', CHURN_MS).then((rounds) => ({ rounds })), svc.exited.then((exit) => ({ exit }))]);
    assert.ok('rounds' in outcome, `the service died (${JSON.stringify(outcome)}):\n${svc.stderr}`);
    assert.ok(outcome.rounds > 100, `new callers compiled: ${outcome.rounds}`);
    const armings = conn.snapshots('p-leaf').length; // one arming per snapshot at these rates
    assert.ok(armings >= 100, `the probe was re-armed ${armings} times`);
    assertOnlyKeyholeLines(svc.stderr);
  } finally {
    await svc.stop();
  }
});
