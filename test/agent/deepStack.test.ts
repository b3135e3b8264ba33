// A pause makes V8 build every frame of the stack with its scopes, whatever
// the agent reads: at 1,000 frames one pause blocks the service for over
// 100 ms, and a scope with tens of thousands of variables (a large bundle's
// top level) makes each frame in it slow too. A sampled hit deeper than
// capture.maxPauseStackDepth (default 64) does not pause, and pauses longer
// than capture.maxPauseMs (default 25 ms) twice in a row are not repeated: the
// probe says so and captures without pausing from then on, its own frame's
// variables only.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pb } from '@keyhole/protocol';
import { AgentHarness, ROOMY_BUDGETS, assertOnlyKeyholeLines, byName, inScopeOf, localsOf, setProbe } from '../support/agentHarness';
import { agentFixtures, lineOf } from '../support/fixtures';

const FIXTURE = 'deep-service.js';
const line = lineOf(join(agentFixtures, FIXTURE), 'leaf');

const h = AgentHarness.forFile();

test('a hit deeper than maxPauseStackDepth does not pause; the probe then captures its own frame without pausing, and says why', async () => {
  // Roomy budgets: a cold first pause must not disarm the probe for the deep call that follows.
  const { svc, conn } = await h.connect(FIXTURE, { start: ROOMY_BUDGETS });
  try {
    conn.send(setProbe('p-deep', `fixtures/${FIXTURE}`, line));
    await conn.status('p-deep', pb.ProbeState.INSTALLED);
    const snapshotOf = async (length: number) => {
      const m = await conn.next((x) => x.body === 'snapshot' && inScopeOf(x.snapshot!).some((v) => v.name === 'leafValue' && v.value?.text === String(length * 2)), 20_000, `the snapshot of walk(${length})`);
      return m.snapshot!;
    };

    // Shallow: a pause, and the callers' variables with it.
    assert.equal(await svc.call('walk', 10), 20);
    const shallow = await snapshotOf(10);
    assert.equal(shallow.frames[1]!.localsCaptured, true);
    assert.deepEqual(shallow.errors, []);

    // 300 frames deep: no pause, no snapshot, and the status says why.
    assert.equal(await svc.call('walk', 300), 600);
    const noted = await conn.next(
      (m) => m.body === 'probeStatus' && m.probeStatus!.probeId === 'p-deep' && /more than 64 frames deep/.test(m.probeStatus!.message),
      20_000,
      'the deep-stack note',
    );
    assert.match(noted.probeStatus!.message, /captured without pausing, callers' variables left out/);
    assert.equal(conn.snapshots('p-deep').length, 1, 'the deep hit was not captured by a pause');

    // From now on, deep or not, the probe's own frame is captured without a pause.
    assert.equal(await svc.call('walk', 400), 800);
    const deep = await snapshotOf(400);
    assert.equal(deep.frames[0]!.functionName, 'walk');
    assert.equal(byName(localsOf(deep), 'depth').text, '400');
    assert.equal(deep.frames[1]!.localsCaptured, false);
    assert.deepEqual(deep.errors.map((e) => e.code), ['KH_CAPTURE_DEEP_STACK']);
    assertOnlyKeyholeLines(svc.stderr);
  } finally {
    await svc.stop();
  }
});

test('pauses longer than maxPauseMs twice in a row (a scope of 30,000 variables): the probe captures without pausing from then on', async () => {
  const big = 'big-scope-service.js';
  const { svc, conn } = await h.connect(big, { start: ROOMY_BUDGETS });
  try {
    const where = await svc.call<{ path: string; line: number }>('where');
    conn.send(setProbe('p-big', where.path, where.line));
    await conn.status('p-big', pb.ProbeState.INSTALLED, 60_000);
    const snapshotOf = async (n: number) =>
      (await conn.next((x) => x.body === 'snapshot' && byName(localsOf(x.snapshot!), 'n').text === String(n), 60_000, `the snapshot of handle(${n})`)).snapshot!;

    // Two slow pauses in a row: one could have been the machine.
    for (const n of [1, 2]) {
      assert.equal(await svc.call('handle', n), n * 2);
      assert.equal((await snapshotOf(n)).frames[1]!.localsCaptured, true, `hit ${n} paused`);
    }
    const noted = await conn.next(
      (m) => m.body === 'probeStatus' && m.probeStatus!.probeId === 'p-big' && /longer than capture\.maxPauseMs \(25 ms\) twice in a row.*: captured without pausing/.test(m.probeStatus!.message),
      60_000,
      'the slow-pause note',
    );
    assert.match(noted.probeStatus!.message, /the last for \d+\.\d ms/);

    assert.equal(await svc.call('handle', 3), 6);
    const free = await snapshotOf(3);
    assert.equal(free.frames[1]!.localsCaptured, false);
    assert.deepEqual(free.errors.map((e) => e.code), ['KH_CAPTURE_SLOW_PAUSE']);
    assertOnlyKeyholeLines(svc.stderr);
  } finally {
    await svc.stop();
  }
});
