import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer } from 'node:http';
import { type AddressInfo } from 'node:net';
import { test } from 'node:test';
import { type MeJson } from '@keyhole/protocol';
import { BrokerHttp, whoAmI } from './brokerHttp';

/** A stand-in broker whose GET /v1/me answers `me`. */
async function brokerAnswering(me: MeJson): Promise<{ url: string; close: () => void }> {
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/v1/me' ? 200 : 404, { 'content-type': 'application/json' });
    res.end(JSON.stringify(req.url === '/v1/me' ? me : { code: 'KH_ROUTE_NOT_FOUND', message: 'no route', hint: '' }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      server.close();
    },
  };
}

test("a person's token names the person and their roles", async () => {
  const b = await brokerAnswering({ kind: 'user', id: 'dev', roles: ['developer'] });
  try {
    const me = await whoAmI(new BrokerHttp({ baseUrl: b.url, token: 't' }));
    assert.equal(me.id, 'dev');
    assert.deepEqual(me.roles, ['developer']);
  } finally {
    b.close();
  }
});

test("a service's agent token is refused with a code and a hint, not taken for a person without an id", async () => {
  const b = await brokerAnswering({ kind: 'agent', service: 'orders' });
  try {
    await assert.rejects(whoAmI(new BrokerHttp({ baseUrl: b.url, token: 't' })), (err: Error & { code?: string; hint?: string }) => {
      assert.equal(err.code, 'KH_NOT_A_USER_TOKEN');
      assert.match(err.message, /agent of service orders/);
      assert.match(err.hint ?? '', /your own token/);
      return true;
    });
  } finally {
    b.close();
  }
});
