import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { startHttpServer } from '../http/server';
import { ORDERS_QTY_RUNBOOK } from '../testing/runbooks';
import { withWorld } from '../testing/world';
import { type Runbook } from '../runbooks/runbook';

/** A 10-minute window, so the grant it requests asks for 600 000 ms. */
const RUNBOOK: Runbook = { ...ORDERS_QTY_RUNBOOK, durationMinutes: 10 };

test('the page files carry the security headers; unknown files and paths outside the folder are not served', async () => {
  await withWorld(async (w) => {
    const srv = await startHttpServer(w.broker, { snapshotSweepIntervalMs: 0 });
    try {
      const page = await fetch(srv.url + '/');
      assert.equal(page.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.match(page.headers.get('content-security-policy') ?? '', /^default-src 'self'; script-src 'self'; style-src 'self';.*frame-ancestors 'none'$/);
      assert.equal(page.headers.get('x-content-type-options'), 'nosniff');
      assert.equal((await fetch(srv.url + '/web/app.js')).headers.get('content-type'), 'text/javascript; charset=utf-8');
      assert.equal((await fetch(srv.url + '/web/nope.js')).status, 404);
      assert.equal((await fetch(srv.url + '/web/..%2F..%2Fpackage.json')).status, 404);
      assert.equal((await fetch(srv.url + '/v1/me')).status, 401, 'the API is untouched');
    } finally {
      await srv.close();
    }
  });
});

test('sign-in: a user token signs in with the idle setting; too many attempts from one address get 429 with Retry-After', async () => {
  await withWorld(async (w) => {
    const { token } = await w.ids.addUser(w.admin, 'dev', ['developer']);
    const srv = await startHttpServer(w.broker, { snapshotSweepIntervalMs: 0, web: { settings: { signInAttemptsPerWindow: 3, signInWindowMs: 60_000, sessionIdleMs: 120_000 } } });
    const signIn = (t: string) => fetch(srv.url + '/v1/web/session', { method: 'POST', headers: { authorization: `Bearer ${t}` } });
    try {
      const ok = await signIn(token);
      assert.deepEqual(await ok.json(), { user: { id: 'dev', roles: ['developer'] }, sessionIdleMs: 120_000 });
      assert.equal((await signIn('kh_wrong')).status, 401);
      assert.equal((await signIn('kh_wrong')).status, 401);
      const limited = await signIn(token);
      assert.equal(limited.status, 429);
      assert.equal(limited.headers.get('retry-after'), '60');
      assert.equal(((await limited.json()) as { code: string }).code, 'KH_RATE_LIMITED');
    } finally {
      await srv.close();
    }
  });
});

test('a runbook run is a grant request; once approved its probes are set in the starter\'s name; others may not start it', async () => {
  await withWorld(async (w) => {
    await w.service('orders');
    const dev = await w.ids.addUser(w.admin, 'dev', ['developer']);
    const ann = await w.approver('ann');
    const srv = await startHttpServer(w.broker, { snapshotSweepIntervalMs: 0, web: { runbooks: [RUNBOOK] } });
    const call = async (token: string, method: string, path: string, body?: unknown) => {
      const res = await fetch(srv.url + path, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, ...(body ? { body: JSON.stringify(body) } : {}) });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> };
    };
    try {
      const refused = await call(ann.token, 'POST', '/v1/web/runbooks/orders-qty/runs', {});
      assert.equal(refused.status, 403);
      const started = await call(dev.token, 'POST', '/v1/web/runbooks/orders-qty/runs', { ticket: 'SUP-1' });
      assert.equal(started.status, 201);
      const grantId = started.json['grantId'] as string;
      const grant = await w.grants.show(ann.principal, grantId);
      assert.deepEqual([grant.grant.scopeGlobs, grant.grant.kinds, grant.grant.requestedDurationMs, grant.grant.reason], [['src/orders.js'], ['LOGPOINT'], 600_000, '[runbook orders-qty] which sizes fail']);
      await w.signAndApprove(grantId, ann);
      // The runner arms the run when it hears the grant changed, after the approval's commit.
      let probes = await w.broker.probes.list(ann.principal, { grantId });
      for (let i = 0; i < 100 && probes.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 10));
        probes = await w.broker.probes.list(ann.principal, { grantId });
      }
      assert.deepEqual(probes.map((p) => [p.kind, p.path, p.line, p.logTemplate, p.createdBy]), [['LOGPOINT', 'src/orders.js', 20, 'x{quantity}', 'dev']]);
      const results = await call(dev.token, 'GET', `/v1/web/runs/${grantId}`);
      assert.equal((results.json['run'] as { state: string }).state, 'active');
      assert.equal((await call(ann.token, 'GET', `/v1/web/runs/${grantId}`)).status, 403, 'only its starter reads the results');
    } finally {
      await srv.close();
    }
  });
});

test('the alert hook POSTs a kill switch flip and repeated refusals to the webhook', async () => {
  const received: { kind: string; subject: string }[] = [];
  const hook = createServer((req, res) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d.toString()));
    req.on('end', () => {
      received.push(JSON.parse(text) as { kind: string; subject: string });
      res.end();
    });
  });
  await new Promise<void>((r) => hook.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(hook.address() as AddressInfo).port}/`;
  await withWorld(async (w) => {
    await w.service('orders');
    const dev = await w.user('dev', ['developer']);
    const srv = await startHttpServer(w.broker, { snapshotSweepIntervalMs: 0, web: { alertWebhookUrl: url, alerts: { pollIntervalMs: 10, refusalThreshold: 2 } } });
    try {
      await new Promise((r) => setTimeout(r, 50));
      await w.broker.killSwitch.set(w.ops, 'orders', true, 'drill');
      for (let i = 0; i < 2; i++) await assert.rejects(w.grants.signingBody(dev, 'g_none'));
      for (let i = 0; i < 200 && received.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
      assert.deepEqual(received.map((a) => [a.kind, a.subject]), [['kill-switch', 'orders'], ['repeated-refusals', 'dev']]);
    } finally {
      await srv.close();
      await new Promise<void>((r) => hook.close(() => r()));
    }
  });
});
