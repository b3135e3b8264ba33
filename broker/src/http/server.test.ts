import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { test } from 'node:test';
import { createBroker } from '../broker';
import { decodeGrantBody } from '../grants/grantBody';
import { openTempStore } from '../testing/tempStore';
import { startHttpServer } from './server';

interface Api {
  call(method: string, path: string, token?: string, body?: unknown): Promise<{ status: number; json: Record<string, unknown> & unknown[] }>;
}

async function withServer(body: (api: Api, url: string) => Promise<void>, maxBodyBytes?: number): Promise<void> {
  const t = openTempStore();
  const broker = createBroker(t.store);
  const srv = await startHttpServer(broker, maxBodyBytes ? { maxBodyBytes } : {});
  const api: Api = {
    async call(method, path, token, payload) {
      const res = await fetch(srv.url + path, {
        method,
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
        body: payload === undefined ? undefined : typeof payload === 'string' ? payload : JSON.stringify(payload),
      });
      return { status: res.status, json: (await res.json()) as Record<string, unknown> & unknown[] };
    },
  };
  try {
    await body(api, srv.url);
  } finally {
    await srv.close();
    await t.dispose();
  }
}

function keyPair() {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { privateKey, publicKeyPem: publicKey.export({ type: 'spki', format: 'pem' }).toString() };
}

test('the whole grant flow over real HTTP: init, users, keys, service, request, two signed approvals, trust file', async () => {
  await withServer(async (api) => {
    const init = await api.call('POST', '/v1/init', undefined, { adminId: 'root' });
    assert.equal(init.status, 201);
    const root = init.json.token as string;
    const add = async (id: string, roles: string[]) => (await api.call('POST', '/v1/users', root, { id, roles })).json.token as string;
    const dev = await add('dev', ['developer']);
    const ops = await add('ops1', ['ops']);
    const approvers = { ann: { token: await add('ann', ['approver']), ...keyPair() }, bob: { token: await add('bob', ['approver']), ...keyPair() } };
    for (const [id, a] of Object.entries(approvers)) {
      assert.equal((await api.call('PUT', `/v1/users/${id}/key`, a.token, { publicKeyPem: a.publicKeyPem })).status, 200);
    }
    const svc = await api.call('POST', '/v1/services', ops, { name: 'orders', policy: { approvalsRequired: 2, maxWindowMs: 3_600_000 } });
    assert.equal(svc.status, 201);
    assert.match(svc.json.agentToken as string, /^kha_/);

    const req = await api.call('POST', '/v1/grants', dev, { service: 'orders', scopeGlobs: ['src/**'], kinds: ['SNAPSHOT'], reason: 'bug 42', ticket: 'OPS-9' });
    assert.equal(req.status, 201);
    const id = req.json.id as string;
    assert.equal(req.json.state, 'pending');

    for (const a of Object.values(approvers)) {
      const sb = await api.call('GET', `/v1/grants/${id}/signing-body`, a.token);
      assert.equal(sb.status, 200);
      const bytes = Buffer.from(sb.json.body as string, 'base64');
      assert.equal(decodeGrantBody(bytes).grantId, id);
      const signature = sign(null, bytes, a.privateKey).toString('base64');
      const ap = await api.call('POST', `/v1/grants/${id}/approvals`, a.token, { body: sb.json.body, signature });
      assert.equal(ap.status, 201, JSON.stringify(ap.json));
    }
    const shown = await api.call('GET', `/v1/grants/${id}`, dev);
    assert.equal(shown.json.state, 'active');
    assert.equal((shown.json.approvals as unknown[]).length, 2);

    // A replayed approval is refused with a clear error and changes nothing.
    const sb = await api.call('GET', `/v1/grants/${id}`, approvers.ann.token);
    const replay = await api.call('POST', `/v1/grants/${id}/approvals`, approvers.ann.token, { body: sb.json.body, signature: (shown.json.approvals as { signature: string }[])[0]?.signature });
    assert.equal(replay.status, 409);
    assert.equal(replay.json.code, 'KH_APPROVAL_REPLAYED');
    assert.equal(typeof replay.json.hint, 'string');

    const trust = await api.call('GET', '/v1/services/orders/trust', ops);
    assert.deepEqual((trust.json.approvers as { id: string }[]).map((a) => a.id), ['ann', 'bob']);
    assert.equal(trust.json.approvalsRequired, 2);

    const verify = await api.call('GET', '/v1/audit/verify', ops);
    assert.equal(verify.json.ok, true);
    const audit = await api.call('GET', '/v1/audit?after=0&limit=1000', ops);
    assert.ok((audit.json as unknown as { action: string }[]).some((r) => r.action === 'grant.approve'));
    assert.equal((await api.call('GET', '/v1/audit', dev)).status, 403, 'developers do not read the audit log');
  });
});

test('bad requests get {code, message, hint} and leave the server serving', async () => {
  await withServer(async (api, url) => {
    const root = (await api.call('POST', '/v1/init', undefined, { adminId: 'root' })).json.token as string;
    const expect = async (p: Promise<{ status: number; json: Record<string, unknown> }>, status: number, code: string) => {
      const r = await p;
      assert.equal(r.status, status, JSON.stringify(r.json));
      assert.equal(r.json.code, code);
      assert.equal(typeof r.json.message, 'string');
      assert.equal(typeof r.json.hint, 'string');
    };
    await expect(api.call('GET', '/v1/users'), 401, 'KH_UNAUTHENTICATED');
    await expect(api.call('GET', '/v1/users', 'kh_' + 'x'.repeat(43)), 401, 'KH_UNAUTHENTICATED');
    await expect(api.call('POST', '/v1/users', root, '{"id": "x", '), 400, 'KH_MALFORMED_JSON');
    await expect(api.call('POST', '/v1/users', root, { id: 'x', roles: 'admin' }), 400, 'KH_BAD_REQUEST');
    await expect(api.call('GET', '/v1/nothing', root), 404, 'KH_ROUTE_NOT_FOUND');
    await expect(api.call('PATCH', '/v1/users', root, {}), 404, 'KH_ROUTE_NOT_FOUND');
    await expect(api.call('GET', '/v1/grants/nope', root), 404, 'KH_NOT_FOUND');
    await expect(api.call('POST', '/v1/init', undefined, { adminId: 'again' }), 409, 'KH_CONFLICT');
    await expect(api.call('POST', '/v1/grants', root, { service: 'x' }), 403, 'KH_FORBIDDEN');
    await expect(api.call('POST', '/v1/users', root, 'x'.repeat(300 * 1024)), 413, 'KH_PAYLOAD_TOO_LARGE');

    // A body larger than the cap streamed without Content-Length is cut off too.
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(url + '/v1/users', { method: 'POST', headers: { authorization: `Bearer ${root}`, 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      const chunk = 'y'.repeat(64 * 1024);
      for (let i = 0; i < 8; i++) req.write(chunk);
      req.end();
    });
    assert.equal(status, 413);

    // Nothing was created by any of that, the failed logins were audited, and the server still answers.
    const users = await api.call('GET', '/v1/users', root);
    assert.deepEqual((users.json as unknown as { id: string }[]).map((u) => u.id), ['root']);
    const ops = (await api.call('POST', '/v1/users', root, { id: 'ops1', roles: ['ops'] })).json.token as string;
    const rows = (await api.call('GET', '/v1/audit', ops)).json as unknown as { action: string }[];
    assert.equal(rows.filter((r) => r.action === 'login.failed').length, 1);
  });
});
