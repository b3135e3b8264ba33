// Probes on lines that run from inside V8 builtins (sort, JSON.parse,
// String.replace, JSON.stringify, spread), inside Proxy traps and getters the
// service itself triggers, in generators and iterators, after an await, in
// microtasks, nextTick and promise reactions, and in a tagged template. Each
// captures what the line sees, with a pause and without one, and the
// service's answers do not change. One place V8 never stops in, a
// FinalizationRegistry callback, stays installed with no hit (docs/agent.md,
// troubleshooting) and does the host no harm.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pb } from '@keyhole/protocol';
import { AgentHarness, ROOMY_BUDGETS, assertOnlyKeyholeLines, byName, drain, inScopeOf, nextSnapshot, setProbe } from '../support/agentHarness';
import { agentFixtures, lineOf } from '../support/fixtures';

const FIXTURE = 'odd-places-service.js';
const file = join(agentFixtures, FIXTURE);

/** Each marked line, and a variable it sees on its first run with the text it must have then. */
const PLACES: Readonly<Record<string, readonly [string, string]>> = {
  comparator: ['a.price', '1'],
  reviver: ['key', 'sku'],
  replacer: ['digit', '4'],
  trap: ['prop', 'sku'],
  getter: ['this.items', 'Array(2)'],
  generator: ['n', '3'],
  await: ['doubled', '8'],
  microtask: ['x', '5'],
  tick: ['x', '6'],
  then: ['v', '7'],
  tag: ['values.1', '2'],
  toJSON: ['this.cents', '1250'],
  iterator: ['v', '1'],
};

const EXPECTED_SYNC = {
  sorted: [1, 3, 5],
  parsed: { sku: 'A-1', note: 'RUSH' },
  masked: 'card ##0#',
  trapped: 'b-2',
  total: 7,
  countdown: [3, 2, 1],
  tagged: 'a|b|1,2',
  json: '{"price":"12.50"}',
  spread: [10, 20, 30],
};

const h = AgentHarness.forFile();

/** What a variable's value reads as in a snapshot: its text, or its class name for objects. */
function seen(snap: pb.Snapshot, path: string): string {
  const [name, ...props] = path.split('.');
  const top = snap.frames[0]!;
  // Innermost first: a callback's own variables, then those it closes over.
  const vars = name === 'this' ? top.scopes.find((s) => s.kind === pb.ScopeKind.THIS)?.variables : [...inScopeOf(snap), ...top.scopes.filter((s) => s.kind === pb.ScopeKind.CLOSURE).flatMap((s) => s.variables)];
  let v = byName(vars, name!);
  for (const p of props) v = byName(v.properties, p);
  return v.text;
}

for (const mode of ['pausing', 'pause-free'] as const) {
  test(`probes inside builtins, traps, getters, generators and microtasks capture ${mode === 'pausing' ? 'with a pause' : 'without one (framesWithLocals 1)'}; the service's answers are unchanged`, async () => {
    const { svc, conn } = await h.connect(FIXTURE, { start: ROOMY_BUDGETS, execArgv: ['--expose-gc'] });
    try {
      for (const place of [...Object.keys(PLACES), 'finalizer']) {
        conn.send(setProbe(`p-${place}`, `fixtures/${FIXTURE}`, lineOf(file, place), mode === 'pause-free' ? { framesWithLocals: 1 } : {}));
        const installed = await conn.status(`p-${place}`, pb.ProbeState.INSTALLED);
        if (mode === 'pause-free') assert.doesNotMatch(installed.message, /captures by pausing/, place);
      }
      const sync = await svc.call<typeof EXPECTED_SYNC>('sync');
      assert.deepEqual(sync, EXPECTED_SYNC);
      assert.deepEqual(await svc.call('async'), { await: 9, microtask: 15, tick: 36, then: -7 });
      assert.equal(await svc.call('finalized'), 'collected order-7');
      for (const [place, [name, text]] of Object.entries(PLACES)) {
        const snap = await nextSnapshot(conn, `p-${place}`);
        assert.equal(snap.frames[0]!.generated!.line, lineOf(file, place), place);
        assert.equal(snap.frames[0]!.localsCaptured, true, place);
        assert.equal(seen(snap, name), text, `${place}: ${name}`);
        assert.deepEqual(snap.errors.filter((e) => e.code !== 'KH_CAPTURE_HOT_LINE'), [], place);
      }
      // Captured from inside the getter, `this.total` is that same getter: shown, never run again.
      const getterThis = byName((await nextSnapshot(conn, 'p-getter')).frames[0]!.scopes.find((sc) => sc.kind === pb.ScopeKind.THIS)!.variables, 'this');
      assert.equal(byName(getterThis.properties, 'total').kind, pb.ValueKind.GETTER);
      // The finalizer's line ran (the answer above says so) without stopping: V8 does not break there.
      await drain(conn, 'finalizer');
      assert.deepEqual(conn.snapshots('p-finalizer'), []);
      assert.equal(conn.statuses('p-finalizer').at(-1)!.state, pb.ProbeState.INSTALLED);
      assertOnlyKeyholeLines(svc.stderr);
    } finally {
      await svc.stop();
    }
  });
}
