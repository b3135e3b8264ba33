// Capturing hostile values runs none of the host's code: getters, Proxy
// traps and coercion hooks all record themselves if called, and the fixture
// reports what ran after the snapshot.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pb } from '@keyhole/protocol';
import { AgentHarness, ROOMY_BUDGETS, assertOnlyKeyholeLines, byName, drain, localsOf, nextSnapshot, setProbe } from '../support/agentHarness';
import { agentFixtures, lineOf } from '../support/fixtures';

const h = AgentHarness.forFile();

/** Capture limits of a pause-free snapshot: the condition itself reads the variables. */
const PAUSE_FREE = { ...ROOMY_BUDGETS, capture: { ...ROOMY_BUDGETS.capture, maxFramesWithLocals: 1 } };

for (const [mode, start] of [['pausing', ROOMY_BUDGETS], ['pause-free', PAUSE_FREE]] as const) {
  test(`a snapshot (${mode}) of getters, proxies, coercion hooks, a cycle and a 100 MB string runs no host code`, async () => {
    const { svc, conn } = await h.connect('hostile-service.js', { start });
    try {
      const line = lineOf(join(agentFixtures, 'hostile-service.js'), 'hostile');
      conn.send(setProbe('p-hostile', 'fixtures/hostile-service.js', line));
      await conn.status('p-hostile', pb.ProbeState.INSTALLED);
      const result = await svc.call<number>('hostile');
      assert.equal(result, 'hostile-done'.length + 100 * 1024 * 1024);
      const snap = await nextSnapshot(conn, 'p-hostile');
      assert.deepEqual(await svc.call('calls'), { calls: [], mutated: 0 });
      const top = snap.frames[0]!;
      assert.equal(top.functionName, 'hostile');
      assert.equal(top.generated!.line, line);
      const locals = localsOf(snap);
      assert.deepEqual(locals.map((p) => p.name), ['getters', 'proxy', 'arrayProxy', 'coercer', 'cycle', 'huge', 'marker']);

      const getters = byName(locals, 'getters');
      assert.equal(getters.kind, pb.ValueKind.OBJECT);
      assert.deepEqual(getters.properties.map((p) => [p.name, p.value!.kind, p.value!.text]), [
        ['boom', pb.ValueKind.GETTER, '[Getter]'],
        ['mutate', pb.ValueKind.GETTER, '[Getter]'],
        ['plain', pb.ValueKind.NUMBER, '1'],
      ]);
      for (const name of ['proxy', 'arrayProxy']) {
        const v = byName(locals, name);
        assert.equal(v.kind, pb.ValueKind.PROXY, name);
        assert.equal(v.text, 'Proxy');
        assert.deepEqual(v.properties, [], `${name} is reported, never looked into`);
      }
      const coercer = byName(locals, 'coercer');
      assert.deepEqual(coercer.properties.map((p) => [p.name, p.value!.kind]), [
        ['valueOf', pb.ValueKind.FUNCTION],
        ['toString', pb.ValueKind.FUNCTION],
        ['toJSON', pb.ValueKind.FUNCTION],
        ['[Symbol(Symbol.toPrimitive)]', pb.ValueKind.FUNCTION],
        ['[Symbol(Symbol.toStringTag)]', pb.ValueKind.GETTER],
      ]);
      const cycle = byName(locals, 'cycle');
      assert.equal(byName(cycle.properties, 'name').text, 'root');
      assert.equal(byName(cycle.properties, 'self').kind, pb.ValueKind.CYCLE);
      assert.equal(byName(cycle.properties, 'self').text, '[Circular]');

      const huge = byName(locals, 'huge');
      assert.equal(huge.kind, pb.ValueKind.STRING);
      assert.equal(huge.cut?.reason, pb.CutReason.STRING_LENGTH);
      assert.equal(Number(huge.cut.originalSize), 104_857_600);
      assert.ok(huge.text.length > 0 && huge.text.length <= 255, `cut to at most 255 characters, got ${huge.text.length}`);
      assert.match(huge.text, /^x+$/);
      assert.equal(byName(locals, 'marker').text, 'hostile-done');

      // The service keeps working; a second pass over the probed line (declined or captured) runs none of its code either.
      assert.equal(await svc.call<number>('hostile'), result);
      assert.deepEqual(await svc.call('calls'), { calls: [], mutated: 0 });
      assertOnlyKeyholeLines(svc.stderr);
    } finally {
      await h.stopAll();
    }
  });
}

test('conditions and logpoint templates that touch getters, proxies and coercion hooks run no host code either', async () => {
  const { svc, conn } = await h.connect('hostile-service.js', { start: ROOMY_BUDGETS });
  try {
    const line = lineOf(join(agentFixtures, 'hostile-service.js'), 'hostile');
    conn.send(setProbe('p-hlog', 'fixtures/hostile-service.js', line, { kind: pb.ProbeKind.LOGPOINT, logTemplate: 'boom={getters.boom} mutate={getters.mutate} proxy={proxy.secret} arr={arrayProxy.length} c={coercer} plain={getters.plain}' }));
    conn.send(setProbe('p-hcond', 'fixtures/hostile-service.js', line, { condition: 'getters.mutate === 1 || proxy.secret === 1 || coercer == 1' }));
    await conn.status('p-hlog', pb.ProbeState.INSTALLED);
    // Two probes on one line: V8 refuses a second identical breakpoint request, the agent must not.
    await conn.status('p-hcond', pb.ProbeState.INSTALLED);
    await svc.call('hostile');
    const log = (await conn.next((m) => m.body === 'logLine', 20_000, 'the hostile log line')).logLine!;
    assert.equal(log.message, 'boom=(unavailable) mutate=(unavailable) proxy=[MASKED:secret] arr=(unavailable) c={valueOf: [Function: valueOf], toString: [Function: toString], toJSON: [Function: toJSON]} plain=1');
    // The condition reads a getter, a Proxy and a coercion hook: each is unavailable, so it is false and nothing is captured.
    await drain(conn, 'hostile-cond');
    assert.equal(conn.snapshots('p-hcond').length, 0);
    assert.deepEqual(await svc.call('calls'), { calls: [], mutated: 0 });
    assertOnlyKeyholeLines(svc.stderr);
  } finally {
    await h.stopAll();
  }
});
