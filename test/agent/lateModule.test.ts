// A probe on a file that is not loaded yet waits (FILE_NOT_FOUND, pending)
// and installs by itself once the host requires the file, without the
// debugger being kept on in between.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pb } from '@keyhole/protocol';
import { AgentHarness, ROOMY_BUDGETS, assertOnlyKeyholeLines, byName, localsOf, nextSnapshot, setProbe } from '../support/agentHarness';
import { agentFixtures, lineOf } from '../support/fixtures';

const h = AgentHarness.forFile();

test('a probe on a module required later is pending, then installs and captures', async () => {
  const { svc, conn } = await h.connect('plain-service.js', { start: ROOMY_BUDGETS });
  try {
    const line = lineOf(join(agentFixtures, 'late-module.js'), 'late');
    conn.send(setProbe('p-late', 'fixtures/late-module.js', line));
    const pending = await conn.status('p-late', pb.ProbeState.FILE_NOT_FOUND);
    assert.equal(pending.code, 'KH_LOCATION_NOT_FOUND');
    assert.match(pending.message, /waits for it to load/);
    // The first call loads the module; the agent notices it on its next look at the module cache.
    assert.equal(await svc.call('loadLate'), 6);
    const installed = await conn.status('p-late', pb.ProbeState.INSTALLED);
    assert.equal(installed.resolvedLine, line);
    assert.match(installed.resolvedUrl, /late-module\.js$/);
    assert.equal(await svc.call('loadLate'), 6);
    const snap = await nextSnapshot(conn, 'p-late');
    assert.equal(snap.frames[0]!.functionName, 'lateWork');
    assert.equal(snap.frames[0]!.generated!.line, line);
    const locals = localsOf(snap);
    assert.equal(byName(locals, 'n').text, '3');
    assert.equal(byName(locals, 'doubled').text, '6');
    assert.equal(byName(locals, 'doubled').kind, pb.ValueKind.NUMBER);
    assertOnlyKeyholeLines(svc.stderr);
  } finally {
    await h.stopAll();
  }
});
