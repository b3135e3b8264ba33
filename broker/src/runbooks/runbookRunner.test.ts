import assert from 'node:assert/strict';
import { test } from 'node:test';
import { pb } from '@keyhole/protocol';
import { createBroker, type Broker } from '../broker';
import { BrokerErrorCode, isBrokerError } from '../errors';
import { SqliteStore } from '../store/sqlite/sqliteStore';
import { ORDERS_QTY_RUNBOOK } from '../testing/runbooks';
import { withWorld } from '../testing/world';
import { type Runbook } from './runbook';
import { RunbookRunner } from './runbookRunner';

function line(broker: Broker, grantId: string, probeId: string, message: string, atMs: number): void {
  broker.events.emit({ type: 'logLine', service: 'orders', requester: 'dev', line: pb.LogLine.create({ probeId, grantId, service: 'orders', message, loggedAtMs: atMs, maskedKinds: ['email'] }) });
}

/** Waits (a bounded number of turns, never a time) until the runner has set the run's probes. */
async function armed(runner: RunbookRunner, grantId: string, actorRuns: () => ReturnType<RunbookRunner['runsFor']>): Promise<string> {
  for (let turn = 0; turn < 200; turn++) {
    const run = (await actorRuns()).find((r) => r.grantId === grantId);
    if (run?.probeIds[0]) return run.probeIds[0];
    await new Promise((resolve) => setImmediate(resolve));
  }
  throw new Error(`runner never armed ${grantId}`);
}

test('a run and its result table survive closing and reopening the SQLite file, and keep counting', async () => {
  await withWorld(async (w) => {
    await w.service('orders');
    const dev = await w.user('dev', ['developer']);
    const ann = await w.approver('ann');
    const runner = new RunbookRunner(w.broker, [ORDERS_QTY_RUNBOOK]);
    const started = await runner.start(dev, ORDERS_QTY_RUNBOOK.id, {});
    assert.equal(started.state, 'pending');
    await w.signAndApprove(started.grantId, ann);
    const probeId = await armed(runner, started.grantId, () => runner.runsFor(dev));
    line(w.broker, started.grantId, probeId, 'x2', w.now + 30);
    line(w.broker, started.grantId, probeId, 'x3', w.now + 10);
    line(w.broker, started.grantId, probeId, 'x2', w.now + 20);
    const before = await runner.results(dev, started.grantId);
    assert.deepEqual(before.results[0]?.rows.map((r) => [r.message, r.count]), [['x2', 2], ['x3', 1]]);
    const runsBefore = await runner.runsFor(dev);
    await runner.close();
    await w.store.close();

    const reopened = SqliteStore.open(w.temp.path);
    try {
      const broker = createBroker(reopened, w.clock);
      const again = new RunbookRunner(broker, [ORDERS_QTY_RUNBOOK]);
      assert.deepEqual(await again.runsFor(dev), runsBefore);
      assert.equal((await again.runsFor(w.ops)).length, 1, 'ops see every run');
      assert.deepEqual(await again.results(dev, started.grantId), before);
      assert.equal((await again.runbookOf(started.grantId))?.id, ORDERS_QTY_RUNBOOK.id);

      // The run is still active: lines arriving after the restart add to the stored table.
      line(broker, started.grantId, probeId, 'x3', w.now + 40);
      const after = await again.results(dev, started.grantId);
      assert.equal(after.results[0]?.total, 4);
      assert.deepEqual(after.results[0]?.rows.map((r) => [r.message, r.count, r.firstAtMs, r.lastAtMs]), [
        ['x2', 2, w.now + 20, w.now + 30],
        ['x3', 2, w.now + 10, w.now + 40],
      ]);
      assert.deepEqual(after.results[0]?.maskedKinds, ['email']);
      await again.close();
    } finally {
      await reopened.close();
    }
  });
});

test('only the starter reads a run\'s results; an unknown grant is not a run', async () => {
  await withWorld(async (w) => {
    await w.service('orders');
    const dev = await w.user('dev', ['developer']);
    const other = await w.user('dev2', ['developer']);
    const runner = new RunbookRunner(w.broker, [ORDERS_QTY_RUNBOOK]);
    const started = await runner.start(dev, ORDERS_QTY_RUNBOOK.id, {});
    await assert.rejects(runner.results(other, started.grantId), /no run of yours/);
    await assert.rejects(runner.results(dev, 'g_nope'), /no run of yours/);
    assert.deepEqual(await runner.runsFor(other), []);
    assert.equal(await runner.runbookOf('g_nope'), undefined);
    await runner.close();
  });
});

test('a standing approval signed ahead of time is used by its starter\'s next start, which is audited', async () => {
  await withWorld(async (w) => {
    await w.service('orders', { approvalsRequired: 2 });
    const dev = await w.user('dev', ['developer']);
    const ann = await w.approver('ann');
    const bob = await w.approver('bob');
    const standingBook: Runbook = { ...ORDERS_QTY_RUNBOOK, standingApprovals: true };
    const runner = new RunbookRunner(w.broker, [standingBook, { ...ORDERS_QTY_RUNBOOK, id: 'plain' }]);

    await assert.rejects(runner.openStanding(dev, standingBook.id, { starter: 'dev' }), (err: unknown) => isBrokerError(err) && err.code === BrokerErrorCode.Forbidden);
    await assert.rejects(runner.openStanding(ann.principal, 'plain', { starter: 'dev' }), /does not allow standing approvals/);
    await assert.rejects(runner.openStanding(ann.principal, standingBook.id, { starter: 'ann' }), /may be started by developer only/);

    const opened = await runner.openStanding(ann.principal, standingBook.id, { starter: 'dev', maxHitsPerProbe: 5 });
    assert.equal(opened.grant.requester, 'dev');
    assert.equal(opened.grant.maxHitsPerProbe, 5);
    await w.signAndApprove(opened.grant.id, ann, bob);

    const started = await runner.start(dev, standingBook.id, {});
    assert.equal(started.grantId, opened.grant.id, 'the pre-signed grant is used');
    assert.equal(started.state, 'active');
    assert.equal(started.probeIds.length, 1, 'its probes are set at once');
    const actions = await w.auditActions();
    assert.ok(actions.includes('runbook.standing.open') && actions.includes('runbook.start.standing'));

    const second = await runner.start(dev, standingBook.id, {});
    assert.notEqual(second.grantId, opened.grant.id, 'a standing grant serves one run');
    assert.equal(second.state, 'pending');


    // Outside its window a standing grant is not used: the start is an ordinary request.
    const later = await runner.openStanding(bob.principal, standingBook.id, { starter: 'dev' });
    await w.signAndApprove(later.grant.id, ann, bob);
    w.now = (await w.grants.show(dev, later.grant.id)).grant.notAfterMs;
    const third = await runner.start(dev, standingBook.id, {});
    assert.notEqual(third.grantId, later.grant.id);
    assert.equal(third.state, 'pending');
    await runner.close();
  });
});
