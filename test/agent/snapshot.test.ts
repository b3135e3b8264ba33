// The agent in real child processes, against a real WebSocket peer speaking
// the real protocol, with real Ed25519-signed grants.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pb } from '@keyhole/protocol';
import { AgentHarness, byName, setProbe } from '../support/agentHarness';
import { agentFixtures, lineOf } from '../support/fixtures';

const h = AgentHarness.forFile();

test('hello carries the service, labels, instance and protocol version', async () => {
  const { svc, conn } = await h.connect('plain-service.js');
  try {
    assert.equal(conn.hello.service, 'orders');
    assert.deepEqual({ ...conn.hello.labels }, { region: 'eu' });
    assert.equal(conn.hello.instanceId, 'orders-1');
    assert.equal(conn.hello.version?.major, 1);
    assert.equal(conn.hello.runtimeVersion, process.version);
  } finally {
    await svc.stop();
  }
});

test('a snapshot probe captures the stack and variables, masked, without stopping the service', async () => {
  const { svc, conn } = await h.connect('plain-service.js');
  try {
    const line = lineOf(join(agentFixtures, 'plain-service.js'), 'checkout');
    conn.send(setProbe('p-checkout', 'fixtures/plain-service.js', line));
    const installed = await conn.status('p-checkout', pb.ProbeState.INSTALLED);
    assert.equal(installed.resolvedLine, line);
    assert.match(installed.resolvedUrl, /plain-service\.js$/);
    assert.match(installed.deployedSha256, /^[0-9a-f]{64}$/);
    const result = await svc.call<{ total: number }>('checkout', 7, 7, true);
    assert.equal(result.total, 67.5); // the service ran on, with the right answer
    const snap = (await conn.next((m) => m.body === 'snapshot', 20_000, 'a snapshot')).snapshot!;
    assert.equal(snap.probeId, 'p-checkout');
    assert.equal(snap.grantId, 'g1');
    assert.equal(snap.service, 'orders');
    assert.equal(snap.instanceId, 'orders-1');
    const top = snap.frames[0]!;
    assert.equal(top.functionName, 'checkout');
    assert.equal(top.generated!.line, line);
    assert.match(top.generated!.path, /plain-service\.js$/);
    assert.equal(top.localsCaptured, true);
    const local = top.scopes.find((s) => s.kind === pb.ScopeKind.LOCAL)!;
    const customer = byName(local.variables, 'customer');
    assert.equal(customer.kind, pb.ValueKind.OBJECT);
    assert.equal(customer.className, 'Customer');
    assert.equal(byName(customer.properties, 'id').text, '7');
    assert.equal(byName(customer.properties, 'name').text, 'Ada Lovelace');
    assert.equal(byName(customer.properties, 'email').text, '[MASKED:email]');
    assert.deepEqual(byName(customer.properties, 'email').masked, ['email']);
    assert.equal(byName(local.variables, 'password').text, '[MASKED:password]');
    assert.equal(byName(local.variables, 'total').text, '75');
    assert.equal(byName(local.variables, 'discounted').text, '67.5');
    assert.equal(byName(local.variables, 'coupon').kind, pb.ValueKind.BOOLEAN);
    assert.equal(byName(local.variables, 'big').kind, pb.ValueKind.BIGINT);
    const tags = byName(local.variables, 'tags');
    assert.equal(tags.kind, pb.ValueKind.SET);
    assert.deepEqual(tags.entries.map((e) => e.value!.text), ['web', 'eu']);
    const meta = byName(local.variables, 'meta');
    assert.equal(meta.kind, pb.ValueKind.MAP);
    assert.deepEqual(meta.entries.map((e) => [e.key!.text, e.value!.text]), [['attempt', '1'], ['channel', 'web']]);
    const items = byName(local.variables, 'items');
    assert.equal(items.kind, pb.ValueKind.ARRAY);
    assert.equal(byName(byName(items.properties, '0').properties, 'sku').text, 'A-1');
    assert.ok(snap.maskedKinds.includes('email') && snap.maskedKinds.includes('password'));
    assert.ok(snap.stats!.durationMicros > 0);
    // Frame 1 is the IPC handler that called checkout.
    assert.ok(snap.frames.length >= 2);
    assert.ok(snap.frames.length <= 20);
  } finally {
    await svc.stop();
  }
});

test('location settings reach the agent: with location.nextCodeLineWindow 0 a probe on a blank line is not moved to the next statement', async () => {
  const file = join(agentFixtures, 'plain-service.js');
  const blank = readFileSync(file, 'utf8').split('\n').findIndex((l) => l.startsWith('function checkout(')); // the blank line above it, 1-based
  for (const [start, expectInstalled] of [[{}, true], [{ location: { nextCodeLineWindow: 0 } }, false]] as const) {
    const { svc, conn } = await h.connect('plain-service.js', { start });
    try {
      conn.send(setProbe('p-blank', 'fixtures/plain-service.js', blank));
      const status = await conn.next((m) => m.body === 'probeStatus' && m.probeStatus!.probeId === 'p-blank', 20_000, 'the probe status');
      if (expectInstalled) {
        assert.equal(status.probeStatus!.state, pb.ProbeState.INSTALLED);
        assert.match(status.probeStatus!.message, /moved|next line with code|has no code/i);
      } else {
        assert.notEqual(status.probeStatus!.state, pb.ProbeState.INSTALLED);
        assert.equal(status.probeStatus!.code, 'KH_LOCATION_NO_CODE_ON_LINE');
      }
    } finally {
      await svc.stop();
    }
  }
});
