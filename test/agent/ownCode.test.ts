// The agent refuses probes in its own code and in the wire contract it
// encodes with, whatever the grant's glob covers: their variables hold values
// before masking (agent/src/location/ownCode.ts). The service's own lines are
// probed as before.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pb } from '@keyhole/protocol';
import { AgentHarness, nextSnapshot, setProbe } from '../support/agentHarness';
import { agentFixtures, lineOf, repoRoot } from '../support/fixtures';

let h: AgentHarness;
before(async () => {
  h = await AgentHarness.start();
});
after(async () => {
  await h.close();
});

/** 1-based line of the first line holding `text` in a file of the repository. */
const lineIn = (file: string, text: string) => readFileSync(join(repoRoot, file), 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;

test("probes in the agent's own code or its protocol package are refused, even under a grant for everything", async () => {
  const { svc, conn } = await h.connect('plain-service.js'); // grant g1 covers **
  try {
    const own = [
      ['p-serializer', 'agent/dist/capture/serializer.js', lineIn('agent/dist/capture/serializer.js', 'function serializeValue(') + 1],
      ['p-gate', 'dist/probes/probeManager.js', lineIn('agent/dist/probes/probeManager.js', 'gate = (slot) => {') + 1],
      ['p-protocol', 'protocol/gen/keyhole.js', 10],
    ] as const;
    for (const [id, path, line] of own) {
      assert.ok(line > 1, `${path} has the line looked for`);
      conn.send(setProbe(id, path, line));
      const refused = await conn.status(id, pb.ProbeState.REFUSED);
      assert.equal(refused.code, 'KH_PROBE_AGENT_CODE', id);
      assert.match(refused.message, /agent's own code/);
    }
    // The service's own code is probed as ever, and nothing was armed for the refused ones.
    const line = lineOf(join(agentFixtures, 'plain-service.js'), 'checkout');
    conn.send(setProbe('p-checkout', 'fixtures/plain-service.js', line));
    await conn.status('p-checkout', pb.ProbeState.INSTALLED);
    await svc.call('checkout', 1, 1, false);
    const snap = await nextSnapshot(conn, 'p-checkout');
    assert.equal(snap.frames[0]!.functionName, 'checkout');
    assert.deepEqual(conn.snapshots().map((s) => s.probeId), ['p-checkout']);
  } finally {
    await svc.stop();
  }
});
