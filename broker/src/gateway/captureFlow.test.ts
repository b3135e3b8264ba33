import assert from 'node:assert/strict';
import { test } from 'node:test';
import { currentVersion, decodeBrokerMessage, decodeClientEvent, encodeAgentMessage, encodeClientMessage, pb } from '@keyhole/protocol';
import { startHttpServer } from '../http/server';
import { withWorld } from '../testing/world';
import { connectPeer } from '../testing/wsPeer';

test('probes out, statuses, snapshots and log lines in, over real sockets; the kill switch reaches agents', async () => {
  await withWorld(async (w) => {
    const srv = await startHttpServer(w.broker, { snapshotSweepIntervalMs: 0 });
    const peers: { ws: { terminate(): void } }[] = [];
    try {
      const { token: agentToken } = await w.services.add(w.ops, 'orders', { approvalsRequired: 1 });
      const { token: devToken } = await w.ids.addUser(w.admin, 'dev', ['developer']);
      const dev = await w.ids.authenticate(devToken);
      const grant = await w.activeGrant(dev, { service: 'orders', selector: { region: 'eu' }, scopeGlobs: ['src/**'], kinds: ['SNAPSHOT', 'LOGPOINT'], reason: 'bug' });
      const ws = srv.url.replace('http://', 'ws://');
      const api = async (method: string, path: string, body?: unknown) => {
        const res = await fetch(srv.url + path, { method, headers: { authorization: `Bearer ${devToken}` }, body: body === undefined ? undefined : JSON.stringify(body) });
        return { status: res.status, json: (await res.json()) as Record<string, unknown> };
      };

      const client = await connectPeer(ws + '/events', (d) => decodeClientEvent(d));
      peers.push(client);
      client.send(encodeClientMessage({ hello: { version: currentVersion(), token: devToken, service: 'orders' } }));
      await client.next((e) => !!e.welcome);

      const agent = await connectPeer(ws + '/agent', (d) => decodeBrokerMessage(d));
      peers.push(agent);
      agent.send(encodeAgentMessage({ hello: { version: currentVersion(), service: 'orders', instanceId: 'i-1', labels: { region: 'eu' }, token: agentToken } }));
      await agent.next((m) => !!m.welcome);
      assert.equal((await agent.next((m) => !!m.grant)).grant?.grant?.approvals?.length, 1);

      // A probe set over HTTP reaches the agent.
      const created = await api('POST', '/v1/probes', { grantId: grant.id, path: 'src/orders/cart.ts', line: 12, hitCondition: '>= 2', framesWithLocals: 1 });
      assert.equal(created.status, 201, JSON.stringify(created.json));
      assert.equal(created.json.framesWithLocals, 1);
      const set = (await agent.next((m) => !!m.setProbe)).setProbe?.probe;
      assert.equal(set?.id, created.json.id);
      assert.deepEqual([set?.location?.path, set?.location?.line, set?.hitCondition, set?.framesWithLocals], ['src/orders/cart.ts', 12, '>= 2', 1]);
      const listed = (await api('GET', `/v1/probes?grant=${grant.id}`)).json as unknown as { id: string; framesWithLocals: number }[];
      assert.deepEqual(listed.map((p) => [p.id, p.framesWithLocals]), [[created.json.id, 1]], 'GET /v1/probes shows it');

      // The agent's status reaches the client, aggregated over instances.
      agent.send(encodeAgentMessage({ probeStatus: { probeId: set?.id, state: pb.ProbeState.INSTALLED, resolvedUrl: 'file:///app/dist/cart.js', resolvedLine: 40 } }));
      const status = (await client.next((e) => !!e.probeStatusChanged)).probeStatusChanged;
      assert.deepEqual([status?.probeId, status?.installed, status?.targeted], [set?.id, 1, 1]);
      assert.equal(status?.instances?.[0]?.instanceId, 'i-1');

      // A snapshot is stored and pushed to the developer, and readable over HTTP.
      agent.send(encodeAgentMessage({ snapshot: { id: 'snap-1', probeId: set?.id, grantId: grant.id, service: 'orders', instanceId: 'i-1', capturedAtMs: w.now, frames: [{ functionName: 'checkout' }] } }));
      assert.equal((await client.next((e) => !!e.snapshotArrived)).snapshotArrived?.snapshot?.frames?.[0]?.functionName, 'checkout');
      const shown = await api('GET', '/v1/snapshots/snap-1');
      assert.equal(shown.status, 200);
      assert.equal(pb.Snapshot.decode(Buffer.from(shown.json.protobuf as string, 'base64')).id, 'snap-1');

      // A snapshot for a probe the broker never set is dropped with a non-fatal error to the agent.
      agent.send(encodeAgentMessage({ snapshot: { id: 'snap-x', probeId: 'p_forged', grantId: grant.id, service: 'orders' } }));
      const dropped = (await agent.next((m) => m.error?.code === 'KH_SNAPSHOT_PROBE')).error;
      assert.equal(dropped?.fatal, false);

      // Logpoint lines go to the developer.
      const lp = await api('POST', '/v1/probes', { grantId: grant.id, kind: 'LOGPOINT', path: 'src/orders/cart.ts', line: 13, logTemplate: 'n={n}' });
      await agent.next((m) => m.setProbe?.probe?.id === lp.json.id);
      agent.send(encodeAgentMessage({ logLine: { probeId: lp.json.id as string, grantId: grant.id, message: 'n=3', loggedAtMs: w.now } }));
      assert.equal((await client.next((e) => !!e.logLineArrived)).logLineArrived?.logLine?.message, 'n=3');

      // An agent that connects later is sent the same probes, each with its framesWithLocals (0 for the logpoint).
      const later = await connectPeer(ws + '/agent', (d) => decodeBrokerMessage(d));
      peers.push(later);
      later.send(encodeAgentMessage({ hello: { version: currentVersion(), service: 'orders', instanceId: 'i-3', labels: { region: 'eu' }, token: agentToken } }));
      await later.next((m) => m.setProbe?.probe?.id === lp.json.id);
      const resent = later.frames.flatMap((m) => (m.setProbe?.probe ? [m.setProbe.probe] : []));
      assert.deepEqual(resent.map((p) => [p.id, p.kind, p.framesWithLocals]).sort(), [[created.json.id, pb.ProbeKind.SNAPSHOT, 1], [lp.json.id, pb.ProbeKind.LOGPOINT, 0]].sort());

      // Removing a probe tells the agent.
      assert.equal((await api('DELETE', `/v1/probes/${String(created.json.id)}`)).status, 200);
      assert.equal((await agent.next((m) => !!m.removeProbe)).removeProbe?.probeId, created.json.id);

      // The kill switch reaches connected agents, and a new agent gets only the switch.
      await w.broker.killSwitch.set(w.ops, 'global', true, 'incident');
      assert.deepEqual((await agent.next((m) => !!m.killSwitch)).killSwitch, pb.KillSwitch.create({ on: true, scope: 'global', reason: 'incident' }));
      const late = await connectPeer(ws + '/agent', (d) => decodeBrokerMessage(d));
      peers.push(late);
      late.send(encodeAgentMessage({ hello: { version: currentVersion(), service: 'orders', instanceId: 'i-2', labels: { region: 'eu' }, token: agentToken } }));
      await late.next((m) => !!m.killSwitch);
      assert.equal(late.frames.filter((m) => m.grant || m.setProbe).length, 0);

      const audit = (await w.auditActions()).filter((a) => a.startsWith('snapshot.') || a.startsWith('probe.'));
      assert.deepEqual(audit, ['probe.set', 'snapshot.captured', 'snapshot.view', 'snapshot.view', 'snapshot.refused', 'probe.set', 'probe.remove']);
    } finally {
      for (const p of peers) p.ws.terminate();
      await srv.close();
    }
  });
});
