// Code that node:vm runs in a context of its own cannot reach the agent from
// a breakpoint condition (a context has its own globals), so a probe on a
// file loaded only there says so and waits (KH_PROBE_VM_CONTEXT) instead of
// sitting installed and never hitting. The same file run in the main
// context (vm.runInThisContext) is probed as any other, and then the
// sandboxed copy is left alone.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pb } from '@keyhole/protocol';
import { AgentHarness, byName, localsOf, nextSnapshot, setProbe } from '../support/agentHarness';
import { agentFixtures, lineOf } from '../support/fixtures';

const line = lineOf(join(agentFixtures, 'vm', 'plugin.js'), 'vm-line');

const h = AgentHarness.forFile();

test('a file run only in a vm context of its own waits with a reason; run in the main context, it is probed', async () => {
  const { svc, conn } = await h.connect('vm-service.js');
  try {
    await svc.call('loadSandboxed');
    conn.send(setProbe('p-vm', 'vm/plugin.js', line));
    const waiting = await conn.status('p-vm', pb.ProbeState.FILE_NOT_FOUND);
    assert.equal(waiting.code, 'KH_PROBE_VM_CONTEXT');
    assert.match(waiting.message, /runs only in a vm context of its own/);
    assert.equal(await svc.call('sandboxed', 200), 180, 'the sandboxed code runs as ever');

    // Run in the main context too. Code loaded outside require while the debugger is off is noticed
    // when it is next enabled (docs/agent.md): here by a second probe, which also installs the first.
    await svc.call('loadShared');
    conn.send(setProbe('p-shared', 'vm/plugin.js', line));
    for (const id of ['p-shared', 'p-vm']) {
      const installed = await conn.status(id, pb.ProbeState.INSTALLED);
      assert.match(installed.message, /also loaded in a vm context of its own, where it is not probed/, id);
    }
    assert.equal(await svc.call('sandboxed', 300), 270);
    assert.equal(await svc.call('shared', 50), 50);
    for (const id of ['p-shared', 'p-vm']) {
      const snap = await nextSnapshot(conn, id);
      assert.equal(snap.frames[0]!.functionName, 'discount');
      assert.equal(byName(byName(localsOf(snap), 'order').properties, 'total').text, '50', 'the main-context call, not the sandboxed one');
    }
    assert.equal(conn.snapshots().length, 2, 'the sandboxed call was not captured');
  } finally {
    await svc.stop();
  }
});
