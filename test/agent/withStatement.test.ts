// Inside a `with` body V8 looks every name a breakpoint condition uses up on
// the with object first, so the agent's own gate would run that object's
// getters and Proxy traps on every pass (agent/src/location/withStatements.ts).
// A probe there is refused; probes before and after it capture as ever, and
// the service's Proxy sees exactly the traps its own code causes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pb } from '@keyhole/protocol';
import { AgentHarness, ROOMY_BUDGETS, nextSnapshot, setProbe } from '../support/agentHarness';
import { agentFixtures, lineOf } from '../support/fixtures';

const file = join(agentFixtures, 'with-service.js');

const h = AgentHarness.forFile();

interface Rendered {
  out: string;
  trapped: string[];
}

test('a probe inside a with statement is refused, and the with object sees only the service\'s own lookups', async () => {
  // Room for both snapshots of one call: a cold first capture can spend the default 10 ms/s budget alone.
  const { svc, conn } = await h.connect('with-service.js', { start: ROOMY_BUDGETS });
  try {
    const baseline = (await svc.call('render')) as Rendered;
    assert.equal(baseline.out, 'Hi2');
    assert.ok(baseline.trapped.length > 0, 'the fixture records its own lookups');

    conn.send(setProbe('p-in', 'with-service.js', lineOf(file, 'in-with')));
    const refused = await conn.status('p-in', pb.ProbeState.REFUSED);
    assert.equal(refused.code, 'KH_PROBE_IN_WITH');
    assert.match(refused.message, /inside a with statement .*getters and Proxy traps/);

    conn.send(setProbe('p-before', 'with-service.js', lineOf(file, 'before-with')));
    conn.send(setProbe('p-after', 'with-service.js', lineOf(file, 'after-with')));
    await conn.status('p-before', pb.ProbeState.INSTALLED);
    await conn.status('p-after', pb.ProbeState.INSTALLED);

    const probed = (await svc.call('render')) as Rendered;
    assert.deepEqual(probed, baseline, 'same answer, same traps: nothing of the agent ran through the with object');
    assert.equal((await nextSnapshot(conn, 'p-before')).frames[0]!.functionName, 'render');
    assert.equal((await nextSnapshot(conn, 'p-after')).frames[0]!.functionName, 'render');
  } finally {
    await svc.stop();
  }
});
