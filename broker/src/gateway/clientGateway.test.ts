import assert from 'node:assert/strict';
import { test } from 'node:test';
import { CloseCode, currentVersion, decodeClientEvent, encodeClientMessage, pb } from '@keyhole/protocol';
import { createBroker } from '../broker';
import { startHttpServer } from '../http/server';
import { openTempStore } from '../testing/tempStore';
import { connectPeer } from '../testing/wsPeer';

test('/events: a ClientHello subscribes to grant changes of one service; bad hellos are refused', async () => {
  const t = openTempStore();
  const broker = createBroker(t.store);
  const srv = await startHttpServer(broker);
  const url = srv.url.replace('http://', 'ws://') + '/events';
  const open: { ws: { terminate(): void } }[] = [];
  try {
    const ids = broker.identities;
    const admin = await ids.authenticate((await ids.init('root')).token);
    const ops = await ids.authenticate((await ids.addUser(admin, 'ops1', ['ops'])).token);
    const { token: devToken } = await ids.addUser(admin, 'dev', ['developer']);
    const dev = await ids.authenticate(devToken);
    await broker.services.add(ops, 'orders');
    await broker.services.add(ops, 'billing');

    const client = await connectPeer(url, (d) => decodeClientEvent(d));
    open.push(client);
    client.send(encodeClientMessage({ hello: { version: currentVersion(), token: devToken, service: 'orders' } }));
    assert.equal((await client.next((e) => !!e.welcome)).welcome?.serviceEnabled, true);

    await broker.grants.request(dev, { service: 'billing', scopeGlobs: ['a/**'], reason: 'other service' });
    const { grant } = await broker.grants.request(dev, { service: 'orders', scopeGlobs: ['src/**'], reason: 'mine', kinds: ['LOGPOINT'] });
    const changed = (await client.next((e) => !!e.grantChanged)).grantChanged?.grant;
    assert.equal(changed?.grantId, grant.id);
    assert.equal(changed?.state, pb.GrantState.REQUESTED);
    assert.deepEqual(changed?.kinds, [pb.ProbeKind.LOGPOINT]);
    await broker.grants.revoke(dev, grant.id, 'never mind');
    assert.equal((await client.next((e) => e.grantChanged?.grant?.state === pb.GrantState.REVOKED)).grantChanged?.grant?.grantId, grant.id);
    assert.equal(client.frames.filter((e) => e.grantChanged?.grant?.service === 'billing').length, 0);

    const badToken = await connectPeer(url, (d) => decodeClientEvent(d));
    open.push(badToken);
    badToken.send(encodeClientMessage({ hello: { version: currentVersion(), token: 'kh_nope' } }));
    assert.equal((await badToken.next((e) => !!e.error)).error?.code, 'KH_UNAUTHENTICATED');
    assert.equal((await badToken.closed).code, CloseCode.Unauthorized);

    const oldVersion = await connectPeer(url, (d) => decodeClientEvent(d));
    open.push(oldVersion);
    oldVersion.send(encodeClientMessage({ hello: { version: { major: 0, minor: 9 }, token: devToken } }));
    assert.equal((await oldVersion.next((e) => !!e.error)).error?.code, 'KH_PROTOCOL_VERSION');
    assert.equal((await oldVersion.closed).code, CloseCode.ProtocolVersion);

    const garbage = await connectPeer(url, (d) => decodeClientEvent(d));
    open.push(garbage);
    garbage.send(new Uint8Array([0xff, 0xff]));
    assert.equal((await garbage.closed).code, CloseCode.MalformedFrame);
    assert.equal(client.ws.readyState, client.ws.OPEN, 'the subscribed client is unaffected');
  } finally {
    for (const p of open) p.ws.terminate();
    await srv.close();
    await t.dispose();
  }
});

test('upgrades to other paths are refused before any WebSocket handshake', async () => {
  const t = openTempStore();
  const srv = await startHttpServer(createBroker(t.store));
  try {
    await assert.rejects(connectPeer(srv.url.replace('http://', 'ws://') + '/nope', (d) => decodeClientEvent(d)), /404/);
  } finally {
    await srv.close();
    await t.dispose();
  }
});
