// Golden DAP transcripts of the standalone adapter (out/src/adapter/main.js)
// driven by DebugClient against a real broker (CLI child process, SQLite in
// a temp dir) and a real agent inside a fixture service.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import { type DebugProtocol } from '@vscode/debugprotocol';
import { agentFixtures, lineOf, repoRoot } from '../support/fixtures';
import { type Service } from '../support/service';
import { pb } from '@keyhole/protocol';
import { BrokerWorld, type Grant } from './support/brokerWorld';
import { RawAgent } from './support/rawAgent';
import { Transcript } from './support/transcript';

const adapterMain = join(repoRoot, 'out', 'src', 'adapter', 'main.js');
const plain = join(agentFixtures, 'plain-service.js');
const finite = join(agentFixtures, 'finite-service.js');
/** The window of the grant that runs out in the expiry transcript: long enough to install a probe on a loaded machine. */
const SHORT_GRANT_MS = 10_000;

describe('keyhole debug adapter, golden transcripts', { timeout: 90_000 }, () => {
  let world: BrokerWorld;
  let svc: Service;
  let grant: Grant;

  before(async () => {
    world = await BrokerWorld.start();
    svc = await world.service('plain-service.js');
    grant = await world.requestGrant();
  });
  after(async () => {
    await world?.close();
  });

  async function session(attach: Record<string, unknown> = {}): Promise<{ dc: DebugClient; t: Transcript }> {
    const dc = new DebugClient(process.execPath, adapterMain, 'keyhole', { env: { PATH: process.env['PATH'] ?? '' } });
    dc.defaultTimeout = 20_000;
    await dc.start();
    const t = new Transcript(dc, [
      [world.dir, '<tmp>'],
      [repoRoot, '<repo>'],
    ]);
    await t.request('initialize', { adapterID: 'keyhole', linesStartAt1: true, columnsStartAt1: true, pathFormat: 'path' });
    await t.request('attach', { broker: world.url, service: 'orders', labels: { region: 'eu' }, tokenFile: world.devTokenFile, localRoot: repoRoot, ...attach });
    await t.event('initialized');
    return { dc, t };
  }

  async function end(dc: DebugClient, t: Transcript, expectProblems = false): Promise<void> {
    await t.request('disconnect', {});
    await dc.stop();
    if (!expectProblems) assert.deepEqual(t.unassertedProblems(), [], 'the adapter reported problems nobody expected');
  }

  const bpMessage = (re: RegExp) => (e: { body?: Record<string, unknown> }) => re.test(String((e.body?.['breakpoint'] as DebugProtocol.Breakpoint | undefined)?.message));

  test('snapshot: waiting for approval, installed, stopped, stack, scopes, masked values, evaluate, continue, history', async () => {
    const { dc, t } = await session();
    const line = lineOf(plain, 'checkout');
    await t.request('setBreakpoints', { source: { path: plain }, breakpoints: [{ line }] });
    await t.event('breakpoint', bpMessage(/waiting for approval/));
    await t.request('configurationDone');

    t.log(`-- the approver signs grant ${grant.id}`);
    await world.approve(grant.id);
    await t.event('breakpoint', bpMessage(/^installed on 1 of 1 instance$/));

    t.log('-- the service runs the line');
    const ran = svc.call('checkout', 7, 2, true);
    const stopped = await t.event('stopped');
    const threadId = stopped.body!['threadId'] as number;
    await t.event('thread', (e) => e.body?.['reason'] === 'started');
    await t.request('threads');
    const st = await t.request<DebugProtocol.StackTraceResponse>('stackTrace', { threadId, levels: 2 });
    const frameId = st.body.stackFrames[0]!.id;
    const scopes = await t.request<DebugProtocol.ScopesResponse>('scopes', { frameId });
    const local = scopes.body.scopes.find((s) => s.name === 'Local')!;
    const vars = await t.request<DebugProtocol.VariablesResponse>('variables', { variablesReference: local.variablesReference });
    const customer = vars.body.variables.find((v) => v.name === 'customer')!;
    await t.request('variables', { variablesReference: customer.variablesReference });
    const meta = vars.body.variables.find((v) => v.name === 'meta')!;
    await t.request('variables', { variablesReference: meta.variablesReference });
    await t.request('evaluate', { expression: 'customer.email', frameId, context: 'hover' });
    await t.request('evaluate', { expression: 'items[0]["sku"]', frameId, context: 'repl' });
    await t.requestError('evaluate', { expression: 'customer.nope', frameId, context: 'repl' });
    await t.requestError('evaluate', { expression: 'total * 2', frameId, context: 'repl' });
    await t.requestError('next', { threadId });
    await t.requestError('setVariable', { variablesReference: local.variablesReference, name: 'total', value: '1' });
    await t.request('continue', { threadId });
    await t.event('thread', (e) => e.body?.['reason'] === 'exited');
    await t.request('threads');
    await ran;
    await t.request('keyhole/snapshots');
    await end(dc, t);
    t.assertGolden('snapshot');
  });

  test('refused condition, file not found, out of scope, and a logpoint with a hit condition', async () => {
    const { dc, t } = await session();
    await t.request('setBreakpoints', {
      source: { path: plain },
      breakpoints: [
        { line: lineOf(plain, 'checkout'), condition: 'total = 5' },
        { line: lineOf(plain, 'hot'), logMessage: 'i={i} acc={acc}', hitCondition: '>= 3' },
      ],
    });
    await t.event('breakpoint', bpMessage(/refused/));
    await t.event('breakpoint', bpMessage(/^installed/));
    await t.request('setBreakpoints', { source: { path: finite }, breakpoints: [{ line: lineOf(finite, 'finite') }] });
    await t.event('breakpoint', bpMessage(/file not found/));
    await t.request('setBreakpoints', { source: { path: join(repoRoot, 'test', 'adapter', 'adapter.test.ts') }, breakpoints: [{ line: 1 }] });
    await t.event('breakpoint', bpMessage(/no active grant/));
    await t.request('configurationDone');
    t.log('-- the service runs the logpoint line 4 times');
    await svc.call('hotLoop', 4);
    await t.event('output', (e) => String(e.body?.['output']).startsWith('i='));
    await end(dc, t);
    t.assertGolden('refused-notfound-logpoint');
  });

  test('a snapshot breakpoint with a condition and a hit condition stops on the second hit where the condition holds', async () => {
    const { dc, t } = await session();
    const line = lineOf(plain, 'checkout');
    await t.request('setBreakpoints', { source: { path: plain }, breakpoints: [{ line, condition: 'total > 50', hitCondition: '>= 2' }] });
    await t.event('breakpoint', bpMessage(/^installed on 1 of 1 instance$/));
    await t.request('configurationDone');
    t.log('-- the service runs the line with total 25 (condition false), 65 (first hit where it holds) and 75 (second)');
    await svc.call('checkout', 1, 2, false);
    await svc.call('checkout', 2, 6, false);
    const ran = svc.call('checkout', 3, 7, false);
    const stopped = await t.event('stopped');
    const threadId = stopped.body!['threadId'] as number;
    const st = await t.request<DebugProtocol.StackTraceResponse>('stackTrace', { threadId, levels: 1 });
    const scopes = await t.request<DebugProtocol.ScopesResponse>('scopes', { frameId: st.body.stackFrames[0]!.id });
    const local = scopes.body.scopes.find((s) => s.name === 'Local')!;
    await t.request('evaluate', { expression: 'total', frameId: st.body.stackFrames[0]!.id, context: 'repl' });
    await t.request('evaluate', { expression: 'customer.id', frameId: st.body.stackFrames[0]!.id, context: 'repl' });
    assert.ok(local.variablesReference > 0);
    await t.request('continue', { threadId });
    await ran;
    await end(dc, t);
    t.assertGolden('condition-hit-condition');
  });

  test('bad snapshots from an agent: an unknown file and odd shapes are said in the console, and the session keeps answering', async () => {
    const raw = await RawAgent.connect(world.agentUrl, world.agentToken, 'orders-raw', { region: 'eu' });
    try {
      const { dc, t } = await session();
      const line = lineOf(plain, 'checkout');
      await t.request('setBreakpoints', { source: { path: plain }, breakpoints: [{ line }] });
      await t.event('breakpoint', bpMessage(/^installed on 2 of 2 instances$/));
      await t.request('configurationDone');
      const probe = await raw.probeAt('plain-service.js', line);

      t.log('-- the hand-made agent orders-raw sends a snapshot of a file nobody has');
      raw.sendSnapshot(probe, [
        { functionName: 'ghost', generated: { path: '/nowhere/unknown.js', line: 3, column: 5 }, localsCaptured: true, scopes: [{ kind: pb.ScopeKind.LOCAL, variables: [{ name: 'n', value: { kind: pb.ValueKind.NUMBER, text: '1' } }] }] },
      ]);
      const first = await t.event('stopped');
      const t1 = first.body!['threadId'] as number;
      await t.request('threads');
      await t.request('stackTrace', { threadId: t1 });
      await t.event('output', (e) => String(e.body?.['output']).includes('/nowhere/unknown.js'));
      await t.request('continue', { threadId: t1 });

      t.log('-- it sends a snapshot that decodes but is shaped badly: no position, a value of kind 99');
      raw.sendSnapshot(probe, [{ functionName: 'odd', localsCaptured: true, scopes: [{ kind: pb.ScopeKind.LOCAL, variables: [{ name: 'weird', value: { kind: 99 as pb.ValueKind, text: '?' } }] }] }]);
      await t.event('output', (e) => String(e.body?.['output']).startsWith('KH_SNAPSHOT_SHAPE'));
      const second = await t.event('stopped');
      const t2 = second.body!['threadId'] as number;
      await t.request('threads');
      const st = await t.request<DebugProtocol.StackTraceResponse>('stackTrace', { threadId: t2 });
      const scopes = await t.request<DebugProtocol.ScopesResponse>('scopes', { frameId: st.body.stackFrames[0]!.id });
      await t.request('variables', { variablesReference: scopes.body.scopes[0]!.variablesReference });
      await t.request('continue', { threadId: t2 });
      assert.deepEqual(raw.errors(), [], 'the broker accepted both snapshots');
      await end(dc, t);
      t.assertGolden('bad-snapshots');
    } finally {
      await raw.close();
    }
  });

  test('"framesWithLocals" in launch.json reaches the broker and the agents with each snapshot probe, never with a logpoint', async () => {
    const raw = await RawAgent.connect(world.agentUrl, world.agentToken, 'orders-raw-frames', { region: 'eu' });
    try {
      const { dc, t } = await session({ framesWithLocals: 1 });
      const snapLine = lineOf(plain, 'checkout');
      const logLine = lineOf(plain, 'hot');
      await t.request('setBreakpoints', { source: { path: plain }, breakpoints: [{ line: snapLine }, { line: logLine, logMessage: 'i={i}' }] });
      await t.event('breakpoint', bpMessage(/^installed on/));
      await t.request('configurationDone');
      const [snap, log] = [await raw.probeAt('plain-service.js', snapLine), await raw.probeAt('plain-service.js', logLine)];
      assert.deepEqual([snap.kind, snap.framesWithLocals], [pb.ProbeKind.SNAPSHOT, 1], 'the agent is sent the snapshot probe with it');
      assert.deepEqual([log.kind, log.framesWithLocals], [pb.ProbeKind.LOGPOINT, 0], 'and the logpoint without it');
      const stored = await world.http<{ id: string; framesWithLocals: number }[]>(world.devToken, 'GET', `/v1/probes?grant=${grant.id}&active=true`);
      assert.deepEqual(
        stored.filter((p) => p.id === snap.id || p.id === log.id).map((p) => [p.id, p.framesWithLocals]).sort(),
        [[snap.id, 1], [log.id, 0]].sort(),
        'the broker stored what the adapter sent',
      );
      await end(dc, t);
    } finally {
      await raw.close();
    }
  });

  test('a grant whose window runs out: the breakpoint says it expired, and a new one finds no grant', async () => {
    await world.revoke(grant.id);
    const short = await world.requestGrant({ durationMs: SHORT_GRANT_MS, kinds: ['SNAPSHOT'] });
    const { dc, t } = await session();
    await t.request('setBreakpoints', { source: { path: plain }, breakpoints: [{ line: lineOf(plain, 'checkout') }] });
    await t.event('breakpoint', bpMessage(/waiting for approval/));
    await t.request('configurationDone');
    t.log(`-- the approver signs grant ${short.id}, whose window is ${SHORT_GRANT_MS / 1000} s`);
    await world.approve(short.id);
    await t.event('breakpoint', bpMessage(/^installed on 1 of 1 instance$/));
    t.log('-- the window runs out');
    await t.event('breakpoint', bpMessage(/^grant \S+ expired: request a new grant$/));
    await t.request('setBreakpoints', { source: { path: plain }, breakpoints: [{ line: lineOf(plain, 'hot') }] });
    await t.event('breakpoint', bpMessage(/no active grant/));
    await end(dc, t);
    t.assertGolden('grant-expires');
  });

  // Last: it stops the broker the other tests share.
  test('a broker that goes away: the session says so, keeps answering, and breakpoints say why they wait', async () => {
    const { dc, t } = await session();
    await t.request('configurationDone');
    t.log('-- the broker stops');
    await world.stopBroker();
    await t.event('output', (e) => String(e.body?.['output']).startsWith('KH_BROKER_DISCONNECTED'));
    await t.request('threads');
    await t.request('setBreakpoints', { source: { path: finite }, breakpoints: [{ line: lineOf(finite, 'finite') }] });
    await t.event('breakpoint', bpMessage(/could not list your grants/));
    await t.requestError('keyhole/snapshots');
    await end(dc, t, true);
    t.assertGolden('broker-disconnects');
  });
});
