import assert from 'node:assert/strict';
import { createPublicKey, generateKeyPairSync, sign, verify } from 'node:crypto';
import { test } from 'node:test';
import { CloseCode, currentVersion, decodeBrokerMessage, encodeAgentMessage, type pb } from '@keyhole/protocol';
import { createBroker, type Broker } from '../broker';
import { startHttpServer } from '../http/server';
import { type Principal } from '../identity/principal';
import { openTempStore } from '../testing/tempStore';
import { connectPeer, type Peer } from '../testing/wsPeer';

type BrokerPeer = Peer<pb.BrokerMessage>;

interface Fixture {
  broker: Broker;
  httpUrl: string;
  admin: Principal;
  ops: Principal;
  dev: Principal;
  agentToken: string;
  connect(): Promise<BrokerPeer>;
  hello(overrides?: Partial<pb.Hello.$Properties>): Promise<BrokerPeer>;
}

const hello = (token: string, overrides: Partial<pb.Hello.$Properties> = {}): Uint8Array =>
  encodeAgentMessage({ hello: { version: currentVersion(), service: 'orders', instanceId: 'i-1', labels: { region: 'eu' }, token, pid: 42, hostname: 'h1', ...overrides } });

async function withGateway(body: (f: Fixture) => Promise<void>, limits: { maxFrameBytes?: number; helloTimeoutMs?: number } = {}): Promise<void> {
  const t = openTempStore();
  const broker = createBroker(t.store);
  const srv = await startHttpServer(broker, { gateways: { agent: limits } });
  const ids = broker.identities;
  const admin = await ids.authenticate((await ids.init('root')).token);
  const ops = await ids.authenticate((await ids.addUser(admin, 'ops1', ['ops'])).token);
  const dev = await ids.authenticate((await ids.addUser(admin, 'dev', ['developer'])).token);
  const { token: agentToken } = await broker.services.add(ops, 'orders', { approvalsRequired: 1, masking: { names: ['iban'], valuePatterns: ['ORD-\\d+'] } });
  const wsUrl = srv.url.replace('http://', 'ws://') + '/agent';
  const peers: BrokerPeer[] = [];
  const connect = async () => {
    const p = await connectPeer(wsUrl, (d) => decodeBrokerMessage(d));
    peers.push(p);
    return p;
  };
  try {
    await body({
      broker,
      httpUrl: srv.url,
      admin,
      ops,
      dev,
      agentToken,
      connect,
      async hello(overrides = {}) {
        const p = await connect();
        p.send(hello(agentToken, overrides));
        return p;
      },
    });
  } finally {
    for (const p of peers) p.ws.terminate();
    await srv.close();
    await t.dispose();
  }
}

/** A grant on orders with this selector, approved by a fresh approver; returns its id and the approver's public key. */
async function approvedGrant(f: Fixture, approverId: string, selector: Record<string, string>): Promise<{ id: string; publicKeyPem: string }> {
  const ids = f.broker.identities;
  const approver = await ids.authenticate((await ids.addUser(f.admin, approverId, ['approver'])).token);
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  await ids.registerApproverKey(approver, approverId, publicKeyPem);
  const { grant } = await f.broker.grants.request(f.dev, { service: 'orders', selector, scopeGlobs: ['src/**'], reason: 'test' });
  const { body } = await f.broker.grants.signingBody(approver, grant.id);
  await f.broker.grants.approve(approver, grant.id, body, new Uint8Array(sign(null, body, privateKey)));
  return { id: grant.id, publicKeyPem };
}

test('a good Hello gets Welcome with the service masking; the agent is listed and its heartbeats recorded', async () => {
  await withGateway(async (f) => {
    const agent = await f.hello();
    const w = (await agent.next((m) => !!m.welcome)).welcome;
    assert.ok(w);
    assert.equal(w.serviceEnabled, true);
    assert.deepEqual(w.masking?.names, ['iban']);
    assert.deepEqual(w.masking?.valuePatterns, ['ORD-\\d+']);
    assert.equal(w.version?.major, currentVersion().major);

    agent.send(encodeAgentMessage({ heartbeat: { sentAtMs: 1, stats: { probesArmed: 2, droppedFrames: 7 } } }));
    const opsToken = (await f.broker.identities.issueToken(f.admin, 'ops1')).token;
    // The heartbeat is processed asynchronously to this request; poll a bounded number of times.
    for (let attempt = 0; ; attempt++) {
      assert.ok(attempt < 1000, 'the heartbeat stats never showed up');
      const res = await fetch(`${f.httpUrl}/v1/agents?service=orders`, { headers: { authorization: `Bearer ${opsToken}` } });
      const list = (await res.json()) as { instanceId: string; labels: Record<string, string>; stats: { probesArmed?: number } | null }[];
      assert.equal(list.length, 1);
      assert.equal(list[0]?.instanceId, 'i-1');
      assert.deepEqual(list[0]?.labels, { region: 'eu' });
      if (list[0]?.stats?.probesArmed === 2) break;
      await new Promise((r) => setImmediate(r));
    }
  });
});

test('another protocol major gets ErrorFrame KH_PROTOCOL_VERSION and close 4001', async () => {
  await withGateway(async (f) => {
    const agent = await f.hello({ version: { major: currentVersion().major + 1, minor: 0 } });
    const err = (await agent.next((m) => !!m.error)).error;
    assert.equal(err?.code, 'KH_PROTOCOL_VERSION');
    assert.equal(err?.fatal, true);
    assert.equal((await agent.closed).code, CloseCode.ProtocolVersion);
  });
});

test('a wrong or foreign token is refused with close 4003, and the failed login is audited', async () => {
  await withGateway(async (f) => {
    const bad = await f.hello({ token: 'kha_' + 'x'.repeat(43) });
    assert.equal((await bad.next((m) => !!m.error)).error?.code, 'KH_UNAUTHENTICATED');
    assert.equal((await bad.closed).code, CloseCode.Unauthorized);

    const { token: billingToken } = await f.broker.services.add(f.ops, 'billing');
    const foreign = await f.hello({ token: billingToken });
    assert.match((await foreign.next((m) => !!m.error)).error?.message ?? '', /not an agent token for orders/);
    assert.equal((await foreign.closed).code, CloseCode.Unauthorized);

    const rows = await f.broker.store.transaction((r) => r.audit.list(0, 1000));
    assert.equal(rows.filter((r) => r.action === 'login.failed').length, 1);
  });
});

test('unknown and disabled services get Welcome(serviceEnabled=false) with a reason, then close 4004', async () => {
  await withGateway(async (f) => {
    const unknown = await f.hello({ service: 'nope' });
    const w1 = (await unknown.next((m) => !!m.welcome)).welcome;
    assert.equal(w1?.serviceEnabled, false);
    assert.match(w1?.message ?? '', /not registered/);
    assert.equal((await unknown.closed).code, CloseCode.ServiceDisabled);

    await f.broker.services.setPolicy(f.ops, 'orders', { enabled: false });
    const disabled = await f.hello();
    const w2 = (await disabled.next((m) => !!m.welcome)).welcome;
    assert.equal(w2?.serviceEnabled, false);
    assert.match(w2?.message ?? '', /disabled/);
    assert.equal((await disabled.closed).code, CloseCode.ServiceDisabled);
  });
});

test('malformed, text, non-Hello and oversized frames close only their own connection', async () => {
  await withGateway(
    async (f) => {
      const good = await f.hello({ instanceId: 'good' });
      await good.next((m) => !!m.welcome);

      const garbage = await f.connect();
      garbage.send(new Uint8Array([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f, 0x01]));
      assert.match((await garbage.next((m) => !!m.error)).error?.code ?? '', /^KH_FRAME_(MALFORMED|TRUNCATED)$/);
      assert.equal((await garbage.closed).code, CloseCode.MalformedFrame);

      const text = await f.connect();
      text.send('{"hello": {}}');
      assert.equal((await text.closed).code, CloseCode.MalformedFrame);

      const noHello = await f.connect();
      noHello.send(encodeAgentMessage({ heartbeat: { sentAtMs: 1 } }));
      assert.equal((await noHello.next((m) => !!m.error)).error?.code, 'KH_EXPECTED_HELLO');
      assert.equal((await noHello.closed).code, CloseCode.MalformedFrame);

      const big = await f.connect();
      big.send(hello(f.agentToken, { hostname: 'x'.repeat(3000) }));
      assert.equal((await big.next((m) => !!m.error)).error?.code, 'KH_FRAME_TOO_LARGE');
      assert.equal((await big.closed).code, CloseCode.MessageTooBig);

      // A malformed frame after the handshake closes that agent too...
      const later = await f.hello({ instanceId: 'later' });
      await later.next((m) => !!m.welcome);
      later.send(new Uint8Array([0xff]));
      assert.equal((await later.closed).code, CloseCode.MalformedFrame);

      // ...while the good agent is untouched and still receives grants.
      const { id } = await approvedGrant(f, 'ann', {});
      assert.equal((await good.next((m) => !!m.grant)).grant?.grant?.approvals?.[0]?.approverId, 'ann');
      assert.equal(good.ws.readyState, good.ws.OPEN);
      assert.ok(id);
    },
    { maxFrameBytes: 2048 },
  );
});

test('an agent that never says Hello is closed after the hello timeout', async () => {
  await withGateway(
    async (f) => {
      const silent = await f.connect();
      assert.equal((await silent.next((m) => !!m.error)).error?.code, 'KH_EXPECTED_HELLO');
      assert.equal((await silent.closed).code, CloseCode.MalformedFrame);
    },
    { helloTimeoutMs: 20 },
  );
});

test('approved grants reach matching agents with verifiable signatures; revocations follow; late joiners catch up', async () => {
  await withGateway(async (f) => {
    const eu = await f.hello({ instanceId: 'eu-1', labels: { region: 'eu' } });
    const us = await f.hello({ instanceId: 'us-1', labels: { region: 'us' } });
    await eu.next((m) => !!m.welcome);
    await us.next((m) => !!m.welcome);

    const { id, publicKeyPem } = await approvedGrant(f, 'ann', { region: 'eu' });
    const delivered = (await eu.next((m) => !!m.grant)).grant?.grant;
    assert.ok(delivered?.body && delivered.approvals?.[0]?.signature);
    assert.equal(verify(null, delivered.body, createPublicKey(publicKeyPem), delivered.approvals[0].signature), true);

    const late = await f.hello({ instanceId: 'eu-2', labels: { region: 'eu', zone: 'a' } });
    assert.ok((await late.next((m) => !!m.grant)).grant, 'a new agent receives the active grant on connect');

    await f.broker.grants.revoke(f.ops, id, 'incident closed');
    const rev = (await eu.next((m) => !!m.revocation)).revocation;
    assert.equal(rev?.grantId, id);
    assert.equal(rev?.reason, 'incident closed');

    assert.equal(us.frames.filter((m) => m.grant || m.revocation).length, 0, 'the us agent never matched the selector');
  });
});

test('a reconnecting instance replaces its older connection (close 4005)', async () => {
  await withGateway(async (f) => {
    const first = await f.hello();
    await first.next((m) => !!m.welcome);
    const second = await f.hello();
    await second.next((m) => !!m.welcome);
    assert.equal((await first.closed).code, CloseCode.Replaced);
    assert.equal(f.broker.agents.list('orders').length, 1);
  });
});
