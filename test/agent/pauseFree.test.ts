// Pause-free snapshots: when the capture limits ask for no caller's
// variables (capture.maxFramesWithLocals <= 1), the agent reads the probe
// frame's variables inside the breakpoint condition and never pauses the
// process. Real child processes, real inspector, real protocol.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { pb } from '@keyhole/protocol';
import { AgentHarness, ROOMY_BUDGETS, assertOnlyKeyholeLines, byName, nextSnapshot, setProbe } from '../support/agentHarness';
import type { AgentConnection } from '../support/protocolPeer';
import { grantBody, signGrant } from '../support/approvers';
import { agentFixtures, lineOf } from '../support/fixtures';

const FIXTURE = 'pause-free-service.js';
const probeLine = lineOf(join(agentFixtures, FIXTURE), 'inner');
const PAUSE_FREE = { ...ROOMY_BUDGETS, capture: { ...ROOMY_BUDGETS.capture, maxFramesWithLocals: 1 } };

const h = AgentHarness.forFile();

/** Starts a fixture with these start() options, welcomes it with fast heartbeats and grants g1. */
async function connect(start: object, script = FIXTURE, execArgv: string[] = []) {
  const svc = await h.service(script, { start, execArgv });
  const conn = await h.peer.nextAgent();
  conn.welcome({ heartbeatIntervalMs: 100 });
  conn.send({ grant: { grant: signGrant(grantBody(), [h.approver]) } });
  return { svc, conn };
}

/** The agent's pause count in the first heartbeat sent after it captured a snapshot. */
async function pausesOnceCaptured(conn: AgentConnection): Promise<number> {
  const beat = await conn.next((m) => m.body === 'heartbeat' && Number(m.heartbeat!.stats!.snapshotsCaptured) >= 1, 20_000, 'a heartbeat after the snapshot');
  return Number(beat.heartbeat!.stats!.pauses);
}

const scopeText = (scope: pb.Scope | undefined) => Object.fromEntries((scope?.variables ?? []).map((v) => [v.name, v.value!.text]));

test('a pause-free snapshot reads the probe frame without pausing: locals, block, catch, closure, this, and <uninitialized> for a let in its TDZ', async () => {
  const { svc, conn } = await connect(PAUSE_FREE);
  try {
    conn.send(setProbe('p-inner', `fixtures/${FIXTURE}`, probeLine));
    const installed = await conn.status('p-inner', pb.ProbeState.INSTALLED);
    assert.doesNotMatch(installed.message, /captures by pausing/);
    const out = await svc.call<{ label: string }>('handle', 7, 3);
    assert.equal(out.label, 'ord-7:3:bad qty:6'); // the service ran on, unchanged
    const snap = await nextSnapshot(conn, 'p-inner');
    const top = snap.frames[0]!;
    assert.equal(top.functionName, 'handle');
    assert.equal(top.generated!.line, probeLine);
    assert.match(top.generated!.path, /^file:\/\/.*pause-free-service\.js$/);
    assert.equal(top.localsCaptured, true);
    assert.ok(snap.frames.length >= 2, 'the callers are in the stack');
    assert.ok(snap.frames.slice(1).every((f) => !f.localsCaptured && f.scopes.length === 0));
    const kinds = top.scopes.map((s) => pb.ScopeKind[s.kind]);
    assert.deepEqual(kinds, ['BLOCK', 'CATCH', 'LOCAL', 'CLOSURE', 'CLOSURE', 'THIS']);
    const [block, caught, local, closure, moduleScope, self] = top.scopes;
    assert.deepEqual(scopeText(block), { note: 'bad qty' });
    assert.equal(byName(caught!.variables, 'problem').kind, pb.ValueKind.ERROR);
    assert.equal(local!.name, 'handle');
    assert.deepEqual(Object.keys(scopeText(local)), ['order', 'qty', 'hostile', 'label', 'later']);
    assert.equal(byName(local!.variables, 'qty').text, '3');
    assert.equal(byName(local!.variables, 'label').text, 'ord-7');
    assert.equal(byName(local!.variables, 'later').text, '<uninitialized>');
    assert.equal(byName(byName(byName(local!.variables, 'order').properties, 'customer').properties, 'email').text, '[MASKED:email]');
    assert.equal(byName(byName(local!.variables, 'hostile').properties, 'secretTotal').kind, pb.ValueKind.GETTER);
    // The inner function uses `prefix` and `seen`; V8 keeps no `unusedByInner`, so it is left out, as a pause would.
    assert.equal(closure!.name, 'makeHandler');
    assert.deepEqual(Object.keys(scopeText(closure)).sort(), ['prefix', 'seen']);
    assert.equal(byName(moduleScope!.variables, 'moduleCounter').kind, pb.ValueKind.OBJECT);
    assert.equal(byName(byName(self!.variables, 'this').properties, 'requestId').text, 'r-7');
    assert.equal(await svc.call<number>('getterRuns'), 0, 'the getter never ran');
    assert.equal(await pausesOnceCaptured(conn), 0, 'no pause at all');
    assertOnlyKeyholeLines(svc.stderr);
  } finally {
    await svc.stop();
  }
});

test("the probe frame's own variables are the same with or without a pause", async () => {
  const taken: pb.Snapshot[] = [];
  for (const start of [PAUSE_FREE, ROOMY_BUDGETS]) {
    const { svc, conn } = await connect(start);
    try {
      conn.send(setProbe('p-inner', `fixtures/${FIXTURE}`, probeLine));
      await conn.status('p-inner', pb.ProbeState.INSTALLED);
      await svc.call('handle', 9, 4);
      taken.push(await nextSnapshot(conn, 'p-inner'));
      assert.equal(await pausesOnceCaptured(conn), start === PAUSE_FREE ? 0 : 1);
    } finally {
      await svc.stop();
    }
  }
  // One known difference, in the pause-free capture's favour: a pause shows a
  // stack-allocated let in its TDZ as plain `undefined`.
  const own = (snap: pb.Snapshot) =>
    snap.frames[0]!.scopes
      .filter((s) => [pb.ScopeKind.LOCAL, pb.ScopeKind.BLOCK, pb.ScopeKind.CATCH, pb.ScopeKind.THIS].includes(s.kind))
      .map((s) => ({ kind: s.kind, vars: s.variables.map((v) => ({ name: v.name, kind: v.value!.kind, text: v.value!.text === '<uninitialized>' ? 'undefined' : v.value!.text })) }));
  assert.equal(byName(taken[0]!.frames[0]!.scopes.find((s) => s.kind === pb.ScopeKind.LOCAL)!.variables, 'later').text, '<uninitialized>');
  assert.deepEqual(own(taken[0]!), own(taken[1]!));
  assert.deepEqual(
    taken[0]!.frames.map((f) => [f.functionName, f.generated!.line]),
    taken[1]!.frames.map((f) => [f.functionName, f.generated!.line]),
    'the same stack',
  );
});

test('no code generation from strings is needed: under --disallow-code-generation-from-strings snapshots stay pause-free', async () => {
  const { svc, conn } = await connect(PAUSE_FREE, FIXTURE, ['--disallow-code-generation-from-strings']);
  try {
    conn.send(setProbe('p-inner', `fixtures/${FIXTURE}`, probeLine));
    const installed = await conn.status('p-inner', pb.ProbeState.INSTALLED);
    assert.doesNotMatch(installed.message, /captures by pausing/);
    await svc.call('handle', 5, 1);
    const snap = await nextSnapshot(conn, 'p-inner');
    assert.equal(byName(snap.frames[0]!.scopes.find((s) => s.kind === pb.ScopeKind.LOCAL)!.variables, 'qty').text, '1');
    assert.equal(await pausesOnceCaptured(conn), 0);
    assertOnlyKeyholeLines(svc.stderr);
  } finally {
    await svc.stop();
  }
});

test('in an ES module the top-level bindings functions use are a module scope', async () => {
  const esm = 'pause-free-esm.mjs';
  const line = lineOf(join(agentFixtures, esm), 'esm');
  const { svc, conn } = await connect(PAUSE_FREE, esm);
  try {
    conn.send(setProbe('p-esm', `fixtures/${esm}`, line));
    const installed = await conn.status('p-esm', pb.ProbeState.INSTALLED);
    assert.doesNotMatch(installed.message, /captures by pausing/);
    assert.equal(await svc.call<number>('price', 'A-1', 3), 30);
    const snap = await nextSnapshot(conn, 'p-esm');
    const top = snap.frames[0]!;
    assert.deepEqual(top.scopes.map((s) => pb.ScopeKind[s.kind]), ['LOCAL', 'MODULE']);
    assert.deepEqual(scopeText(top.scopes[0]), { sku: 'A-1', qty: '3', unit: '10' });
    const moduleScope = scopeText(top.scopes[1]);
    assert.equal(moduleScope['region'], 'eu-west');
    assert.equal(moduleScope['handled'], '1');
    // `serve` is only used by top-level code, so V8 keeps no module binding for closures: left out, as a pause would.
    assert.deepEqual(Object.keys(moduleScope).sort(), ['handled', 'price', 'region']);
    assert.equal(await pausesOnceCaptured(conn), 0);
  } finally {
    await svc.stop();
  }
});

test('an enclosing let still in its temporal dead zone shows <uninitialized>, still without a pause', async () => {
  const { svc, conn } = await connect(PAUSE_FREE);
  try {
    const line = lineOf(join(agentFixtures, FIXTURE), 'late');
    conn.send(setProbe('p-late', `fixtures/${FIXTURE}`, line));
    await conn.status('p-late', pb.ProbeState.INSTALLED);
    assert.equal(await svc.call<number>('late', 21), 42);
    const snap = await nextSnapshot(conn, 'p-late');
    const closure = snap.frames[0]!.scopes.find((s) => s.kind === pb.ScopeKind.CLOSURE && s.name === 'withLateConfig');
    assert.deepEqual(scopeText(closure), { id: '21', config: '<uninitialized>' });
    assert.equal(await pausesOnceCaptured(conn), 0);
    assert.doesNotMatch(conn.statuses('p-late').map((s) => s.message).join(' '), /captures by pausing/);
  } finally {
    await svc.stop();
  }
});

test('an import from a module still at its top-level await shows <uninitialized>, then its value', async () => {
  // V8 hands such a binding to the condition as an internal hole value, which an array literal stores as
  // a missing element: the snapshot says <uninitialized> instead of dropping the variable.
  const main = 'pause-free-tla.mjs';
  const line = lineOf(join(agentFixtures, 'tla', 'cart.mjs'), 'tla');
  const { svc, conn } = await connect(PAUSE_FREE, main);
  try {
    await svc.call('load');
    conn.send(setProbe('p-tla', 'tla/cart.mjs', line));
    const installed = await conn.status('p-tla', pb.ProbeState.INSTALLED);
    assert.doesNotMatch(installed.message, /captures by pausing/);
    assert.equal(await svc.call<number>('cart', 2), 10);
    const during = nextSnapshot(conn, 'p-tla');
    const moduleDuring = scopeText((await during).frames[0]!.scopes.find((s) => s.kind === pb.ScopeKind.MODULE));
    assert.equal(moduleDuring['currency'], '<uninitialized>');
    await svc.call('release');
    assert.equal(await svc.call<number>('cart', 3), 15);
    const after = conn.snapshots('p-tla')[1] ?? (await conn.next((m) => m.body === 'snapshot' && conn.snapshots('p-tla').length >= 2, 20_000, 'a second snapshot')).snapshot!;
    const moduleAfter = scopeText(after.frames[0]!.scopes.find((s) => s.kind === pb.ScopeKind.MODULE));
    assert.equal(moduleAfter['currency'], 'EUR');
    assert.equal(await pausesOnceCaptured(conn), 0);
  } finally {
    await svc.stop();
  }
});

test('in a derived constructor before super(), locals are read and `this`, not bound yet, is left out (as a pause shows it)', async () => {
  const { svc, conn } = await connect(PAUSE_FREE);
  try {
    conn.send(setProbe('p-super', `fixtures/${FIXTURE}`, lineOf(join(agentFixtures, FIXTURE), 'before-super')));
    await conn.status('p-super', pb.ProbeState.INSTALLED);
    assert.equal(await svc.call<number>('invoice', 100, 0.2), 120);
    const top = (await nextSnapshot(conn, 'p-super')).frames[0]!;
    assert.equal(top.functionName, 'Invoice');
    assert.deepEqual(scopeText(top.scopes.find((s) => s.kind === pb.ScopeKind.LOCAL)), { net: '100', rate: '0.2', gross: '120' });
    assert.equal(top.scopes.find((s) => s.kind === pb.ScopeKind.THIS), undefined, 'V8 hands the condition undefined for it');
    assert.equal(await pausesOnceCaptured(conn), 0);
    assert.doesNotMatch(conn.statuses('p-super').map((s) => s.message).join(' '), /captures by pausing/);
  } finally {
    await svc.stop();
  }
});

// Probe.framesWithLocals: a developer's per-probe choice below the agent's setting.

test('a probe that asks for only its own frame (framesWithLocals 1) is captured without a pause under the default limits', async () => {
  const { svc, conn } = await connect(ROOMY_BUDGETS);
  try {
    conn.send(setProbe('p-own', `fixtures/${FIXTURE}`, probeLine, { framesWithLocals: 1 }));
    const installed = await conn.status('p-own', pb.ProbeState.INSTALLED);
    assert.doesNotMatch(installed.message, /captures by pausing/);
    await svc.call('handle', 4, 2);
    const snap = await nextSnapshot(conn, 'p-own');
    assert.equal(snap.frames[0]!.localsCaptured, true);
    assert.equal(byName(snap.frames[0]!.scopes.find((s) => s.kind === pb.ScopeKind.LOCAL)!.variables, 'qty').text, '2');
    assert.ok(snap.frames.length >= 3);
    assert.ok(snap.frames.slice(1).every((f) => !f.localsCaptured && f.scopes.length === 0));
    assert.equal(await pausesOnceCaptured(conn), 0);
  } finally {
    await svc.stop();
  }
});

test('probes sharing a pause each get the frames with locals they asked for, never more than the setting', async () => {
  // The setting is 3: one probe takes it (0), one asks for 2, one asks for 9 and is held to 3.
  const { svc, conn } = await connect({ ...ROOMY_BUDGETS, capture: { ...ROOMY_BUDGETS.capture, maxFramesWithLocals: 3 } });
  try {
    const asked = { 'p-setting': 0, 'p-two': 2, 'p-nine': 9 };
    for (const [id, framesWithLocals] of Object.entries(asked)) {
      conn.send(setProbe(id, `fixtures/${FIXTURE}`, probeLine, { framesWithLocals }));
      await conn.status(id, pb.ProbeState.INSTALLED);
    }
    await svc.call('handle', 6, 1);
    const withLocals = async (id: string) => (await nextSnapshot(conn, id)).frames.map((f) => f.localsCaptured);
    const [setting, two, nine] = [await withLocals('p-setting'), await withLocals('p-two'), await withLocals('p-nine')];
    assert.ok(setting.length >= 4, `a deep enough stack: ${setting.length} frames`);
    assert.deepEqual(setting.slice(0, 4), [true, true, true, false]);
    assert.deepEqual(two.slice(0, 4), [true, true, false, false]);
    assert.deepEqual(nine, setting);
    assert.equal(two.length, setting.length, 'the same stack, fewer variables');
    const beat = await conn.next((m) => m.body === 'heartbeat' && Number(m.heartbeat!.stats!.snapshotsCaptured) >= 3, 20_000, 'a heartbeat after the snapshots');
    assert.equal(Number(beat.heartbeat!.stats!.pauses), 1, 'one pause served all three');
  } finally {
    await svc.stop();
  }
});

test('a file changed on disk after it was loaded (an in-place deploy) is planned from the source V8 runs, not from the disk', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'kh-deployed-'));
  try {
    for (const f of [FIXTURE, 'serve.js']) copyFileSync(join(agentFixtures, f), join(dir, f));
    const svc = await h.service(join(dir, FIXTURE), { start: PAUSE_FREE });
    const conn = await h.peer.nextAgent();
    conn.welcome({ heartbeatIntervalMs: 100 });
    conn.send({ grant: { grant: signGrant(grantBody(), [h.approver]) } });
    try {
      // The next release lands on disk while this process still runs the old code: other names, lines moved.
      const deployed = readFileSync(join(dir, FIXTURE), 'utf8');
      writeFileSync(join(dir, FIXTURE), '// v2\n// v2\n' + deployed.replaceAll('note', 'reason').replaceAll('label', 'tag'));
      conn.send(setProbe('p-inner', `${basename(dir)}/${FIXTURE}`, probeLine));
      const installed = await conn.status('p-inner', pb.ProbeState.INSTALLED);
      assert.doesNotMatch(installed.message, /captures by pausing/);
      assert.match(installed.message, /changed on disk after it was loaded/, 'the developer is told');
      await svc.call('handle', 3, 2);
      const snap = await nextSnapshot(conn, 'p-inner');
      const block = snap.frames[0]!.scopes.find((sc) => sc.kind === pb.ScopeKind.BLOCK);
      assert.deepEqual(scopeText(block), { note: 'bad qty' }, 'the names of the code that runs');
      assert.equal(byName(snap.frames[0]!.scopes.find((sc) => sc.kind === pb.ScopeKind.LOCAL)!.variables, 'label').text, 'ord-3');
      assert.equal(await pausesOnceCaptured(conn), 0);
      assert.doesNotMatch(conn.statuses('p-inner').map((st) => st.message).join(' '), /captures by pausing/);
    } finally {
      await svc.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
