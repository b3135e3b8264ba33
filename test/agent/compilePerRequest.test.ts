// A service that compiles code on every request (a template engine's
// `new Function`, a `vm` script, one named after its template file) while a
// probe is installed: V8 reports every one of those scripts to the agent,
// which must keep none it does not need. Before the fixes, 100,000 vm scripts
// grew the host's heap by about 23 MB (their records waited for the source
// map worker's next question) and 100,000 named ones by 43 MB (the script
// index kept every copy of the file).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { pb } from '@keyhole/protocol';
import { AgentHarness, assertOnlyKeyholeLines, setProbe } from '../support/agentHarness';
import { agentFixtures, lineOf } from '../support/fixtures';

const FIXTURE = 'compile-per-request-service.js';
/** Scripts compiled per kind in the measured window, in batches the IPC call runs at once. */
const SCRIPTS = 100_000;
const BATCH = 10_000;
/** Heap growth allowed over the window: what a bounded cache may hold, far below the 23 MB one record per script took. */
const MAX_GROWTH_MB = 6;

const h = AgentHarness.forFile();

test('scripts compiled per request while a probe is installed do not grow the host heap', async () => {
  const { svc, conn } = await h.connect(FIXTURE, { execArgv: ['--expose-gc'] });
  try {
    conn.send(setProbe('p-handle', `fixtures/${FIXTURE}`, lineOf(join(agentFixtures, FIXTURE), 'handle')));
    await conn.status('p-handle', pb.ProbeState.INSTALLED);
    let next = 0;
    const compile = async (kind: 'compileFunctions' | 'runVmScripts' | 'runNamedScripts', n: number) => {
      for (let done = 0; done < n; done += BATCH, next += BATCH) await svc.call(kind, next, BATCH);
    };
    // Warm-up: V8's own first-time costs land before the measured window.
    await compile('compileFunctions', BATCH);
    await compile('runVmScripts', BATCH);
    await compile('runNamedScripts', BATCH);
    const before = await svc.call<number>('heapUsed');
    await compile('compileFunctions', SCRIPTS);
    await compile('runVmScripts', SCRIPTS);
    await compile('runNamedScripts', SCRIPTS);
    const grewMb = ((await svc.call<number>('heapUsed')) - before) / 1e6;
    assert.ok(grewMb < MAX_GROWTH_MB, `the heap grew by ${grewMb.toFixed(1)} MB over ${3 * SCRIPTS} scripts`);
    // The probe still works: its line runs and is captured.
    assert.equal(await svc.call('handle', 3), 6);
    await conn.next((m) => m.body === 'snapshot' && m.snapshot!.probeId === 'p-handle', 20_000, 'a snapshot of the probe');
    assertOnlyKeyholeLines(svc.stderr);
  } finally {
    await h.stopAll();
  }
});
