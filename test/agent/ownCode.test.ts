// The agent never places probes in its own code or in the wire contract it
// encodes with, whatever the grant's glob covers: their variables hold values
// before masking (agent/src/location/ownCode.ts). Location does not see those
// files at all, so a service file named like one of them is found as if they
// were not loaded, and a path that matches only them waits for a service file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pb } from '@keyhole/protocol';
import { AgentHarness, nextSnapshot, setProbe } from '../support/agentHarness';
import { agentFixtures, lineOf, repoRoot } from '../support/fixtures';

const h = AgentHarness.forFile();

/** 1-based line of the first line holding `text` in a file of the repository. */
const lineIn = (file: string, text: string) => readFileSync(join(repoRoot, file), 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;

test("probes in the agent's own code or its protocol package are never placed, even under a grant for everything", async () => {
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
      const waiting = await conn.status(id, pb.ProbeState.FILE_NOT_FOUND);
      assert.equal(waiting.code, 'KH_PROBE_AGENT_CODE', id);
      assert.match(waiting.message, /the Keyhole agent's own code, better than any file of the service/);
      assert.deepEqual(waiting.candidates, [], 'no agent file is offered as a candidate');
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

test("a service file named like an agent file (dist/config.js) is found, not called ambiguous", async () => {
  const { svc, conn } = await h.connect('namesake-service.js');
  try {
    const line = lineOf(join(agentFixtures, 'namesake', 'dist', 'config.js'), 'read-setting');
    // The agent's own agent/dist/config.js is loaded too; both paths name it as well as the service's file.
    for (const [id, path] of [['p-short', 'config.js'], ['p-dist', 'dist/config.js']] as const) {
      conn.send(setProbe(id, path, line));
      const installed = await conn.status(id, pb.ProbeState.INSTALLED);
      assert.ok(installed.resolvedUrl.endsWith('/namesake/dist/config.js'), `${id} landed in ${installed.resolvedUrl}`);
    }
    assert.equal(await svc.call('readSetting', 'region'), 'eu');
    const snap = await nextSnapshot(conn, 'p-short');
    assert.equal(snap.frames[0]!.functionName, 'read');
  } finally {
    await svc.stop();
  }
});
