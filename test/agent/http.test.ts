// A real HTTP service under real requests: each request's handler is
// captured, masked, and every request is answered as without the agent.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { join } from 'node:path';
import { pb } from '@keyhole/protocol';
import { AgentHarness, ROOMY_BUDGETS, assertOnlyKeyholeLines, byName, drain, localsOf, setProbe } from '../support/agentHarness';
import { agentFixtures, lineOf } from '../support/fixtures';

const h = AgentHarness.forFile();

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

test('snapshots of an HTTP handler under real requests: user.email masked, every request answered', async () => {
  const { svc, conn } = await h.connect('http-service.js', { start: ROOMY_BUDGETS });
  try {
    const line = lineOf(join(agentFixtures, 'http-service.js'), 'http-handle');
    conn.send(setProbe('p-http', 'fixtures/http-service.js', line));
    await conn.status('p-http', pb.ProbeState.INSTALLED);
    const port = await svc.call<number>('port');
    const paths = ['/orders/1', '/orders/2', '/fail'];
    const answers = await Promise.all(paths.map((p) => get(port, p)));
    assert.deepEqual(answers, [
      { status: 200, body: '{"ok":true,"id":42}' },
      { status: 200, body: '{"ok":true,"id":42}' },
      { status: 500, body: '{"ok":false,"id":42}' },
    ]);
    await drain(conn, 'http');
    const snaps = conn.snapshots('p-http');
    assert.equal(snaps.length, 3);
    const seen = snaps.map((s) => {
      assert.equal(s.frames[0]!.functionName, 'handle');
      const locals = localsOf(s);
      const user = byName(locals, 'user');
      assert.deepEqual(user.properties.map((p) => [p.name, p.value!.text]), [['id', '42'], ['email', '[MASKED:email]'], ['plan', 'pro']]);
      assert.deepEqual(byName(user.properties, 'email').masked, ['email']);
      assert.ok(s.maskedKinds.includes('email'));
      assert.equal(byName(locals, 'req').className, 'IncomingMessage');
      return [byName(locals, 'path').text, byName(locals, 'status').text];
    });
    assert.deepEqual(seen.sort(), [['/fail', '500'], ['/orders/1', '200'], ['/orders/2', '200']]);
    // More requests than the rate lets through are still all answered.
    const more = await Promise.all(Array.from({ length: 20 }, (_, i) => get(port, `/orders/${i}`)));
    assert.deepEqual(new Set(more.map((a) => a.status)), new Set([200]));
    assert.equal(await svc.call('close'), true);
    assertOnlyKeyholeLines(svc.stderr);
  } finally {
    await h.stopAll();
  }
});
