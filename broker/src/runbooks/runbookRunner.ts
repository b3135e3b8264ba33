/**
 * Starts runbooks and follows their runs. Starting one is an ordinary grant
 * request by the person who starts it (so approval, audit and the agent's
 * own checks are unchanged); once the grant is active, the runner sets the
 * runbook's probes in that person's name, and tallies what arrives.
 *
 * Runs and their result tables live in the store (runbook_runs and friends),
 * so a broker restart keeps them. The open runs (pending or active) are also
 * held in memory, to route arriving lines without a read per line; every
 * change is written through, in order, on one write queue.
 */
import { randomBytes } from 'node:crypto';
import { appendAudit } from '../audit/auditLog';
import { brokerError, BrokerErrorCode } from '../errors';
import { type Broker } from '../broker';
import { requirePermission } from '../identity/identityService';
import { actorName, type Principal } from '../identity/principal';
import { grantState, type GrantState, type GrantView } from '../grants/grantService';
import { type GrantRecord, type RunbookRunRecord } from '../store/records';
import { type Repositories } from '../store/store';
import { type ProbeResult, RunResults, type TallyChange } from './runResults';
import { type Runbook } from './runbook';

export const RUNBOOK_RUNNER_LIMITS = {
  /** Runs the page lists, newest first; older ones stay in the store. */
  maxListedRuns: 500,
  /** Runs held in memory to tally arriving lines; past this, the oldest finished ones are dropped first. */
  maxLiveRuns: 500,
} as const;

export interface RunView {
  readonly grantId: string;
  readonly runbookId: string;
  readonly title: string;
  readonly service: string;
  readonly startedBy: string;
  readonly startedAtMs: number;
  readonly state: GrantState;
  /** Probes set once the grant became active, and any the broker refused (errors as data). */
  readonly probeIds: readonly string[];
  readonly problems: readonly string[];
}

interface LiveRun {
  record: RunbookRunRecord;
  readonly results: RunResults;
}

const OPEN_STATES: readonly string[] = ['pending', 'active'];

/** The reason prefix that marks a grant as a standing approval for a runbook (the grants table has no other place for it). */
const standingPrefix = (runbookId: string) => `[runbook ${runbookId} standing]`;

export class RunbookRunner {
  private readonly byId: ReadonlyMap<string, Runbook>;
  private readonly live = new Map<string, LiveRun>();
  private readonly unsubscribe: (() => void)[] = [];
  private readonly ready: Promise<void>;
  private writes: Promise<void> = Promise.resolve();
  /** The last failed store write, if any (the run goes on in memory). */
  lastError: string | undefined;

  constructor(
    private readonly broker: Broker,
    runbooks: readonly Runbook[],
  ) {
    this.byId = new Map(runbooks.map((r) => [r.id, r]));
    this.ready = this.loadOpenRuns();
    this.unsubscribe.push(broker.grants.onChange((view) => void this.onGrant(view)));
    this.unsubscribe.push(
      broker.events.on((e) => {
        if (e.type === 'logLine') {
          const change = this.live.get(e.line.grantId)?.results.addLine(e.line.probeId, e.line.message, Number(e.line.loggedAtMs) || this.broker.clock(), e.line.maskedKinds);
          if (change) this.saveTally(e.line.grantId, change);
        } else if (e.type === 'snapshot') {
          const change = this.live.get(e.record.grantId)?.results.addSnapshot(e.record.probeId, e.record.instanceId, e.record.capturedAtMs, e.snapshot.maskedKinds);
          if (change) this.saveTally(e.record.grantId, change);
        }
      }),
    );
  }

  /** Every runbook, each with whether this person may start it. */
  list(actor: Principal): (Runbook & { mayStart: boolean })[] {
    requirePermission(actor, 'service.view');
    return [...this.byId.values()].map((r) => ({ ...r, mayStart: mayStart(actor, r) }));
  }

  async start(actor: Principal, runbookId: string, input: { reason?: unknown; ticket?: unknown }): Promise<RunView> {
    const runbook = this.byId.get(runbookId);
    if (!runbook) throw brokerError(BrokerErrorCode.NotFound, `no runbook ${runbookId}`, 'see the runbooks list on the page');
    if (!mayStart(actor, runbook)) {
      throw brokerError(BrokerErrorCode.Forbidden, `runbook ${runbook.id} may be started by ${runbook.allowedRoles.join(', ')} only`, 'ask ops to allow your role in the runbook file');
    }
    if (runbook.standingApprovals) {
      const standing = await this.startStanding(actor, runbook);
      if (standing) return standing;
    }
    const reason = typeof input.reason === 'string' && input.reason.trim() !== '' ? input.reason : runbook.problem;
    const view = await this.broker.grants.request(actor, {
      ...this.grantShape(runbook),
      durationMs: runbook.durationMinutes * 60_000,
      reason: `[runbook ${runbook.id}] ${reason}`,
      ticket: typeof input.ticket === 'string' ? input.ticket : '',
    });
    const record: RunbookRunRecord = {
      id: 'run_' + randomBytes(9).toString('base64url'),
      grantId: view.grant.id,
      runbookId: runbook.id,
      title: runbook.title,
      service: runbook.service,
      startedBy: view.grant.requester,
      startedAtMs: view.grant.createdAtMs,
      state: view.state,
      notAfterMs: view.grant.notAfterMs,
      armed: false,
      probeIds: [],
      problems: [],
    };
    this.remember({ record, results: new RunResults() });
    await this.write((r) => r.runbookRuns.insert(record));
    return toView(record, this.broker.clock());
  }

  /**
   * A standing approval: an approver opens, ahead of time, a grant for this
   * runbook in a named starter's name. Approvers then sign it like any grant
   * (K of them; the window is fixed at the first signature and capped by the
   * service's maxWindowMs). While it is active, that starter's next start of
   * the runbook uses it instead of a new request. Only for runbooks whose
   * file says `standingApprovals: true`.
   */
  async openStanding(actor: Principal, runbookId: string, input: { starter?: unknown; reason?: unknown; windowMinutes?: unknown; maxHitsPerProbe?: unknown }): Promise<GrantView> {
    requirePermission(actor, 'grant.approve');
    const runbook = this.byId.get(runbookId);
    if (!runbook) throw brokerError(BrokerErrorCode.NotFound, `no runbook ${runbookId}`, 'see the runbooks list on the page');
    if (!runbook.standingApprovals) {
      throw brokerError(BrokerErrorCode.Forbidden, `runbook ${runbook.id} does not allow standing approvals`, 'ops may set "standingApprovals": true in the runbook file');
    }
    const starterId = typeof input.starter === 'string' ? input.starter : '';
    const user = starterId ? await this.broker.store.transaction((r) => r.users.get(starterId)) : undefined;
    if (!user || user.disabled) throw brokerError(BrokerErrorCode.NotFound, `no user ${starterId || '(none given)'}`, 'name the person who will start the runbook in "starter"');
    const starter: Principal = { kind: 'user', id: user.id, roles: user.roles };
    if (!mayStart(starter, runbook)) {
      throw brokerError(BrokerErrorCode.Forbidden, `runbook ${runbook.id} may be started by ${runbook.allowedRoles.join(', ')} only`, 'name a starter with one of those roles');
    }
    const minutes = input.windowMinutes ?? runbook.durationMinutes;
    if (typeof minutes !== 'number' || !Number.isInteger(minutes) || minutes < 1) {
      throw brokerError(BrokerErrorCode.BadRequest, 'windowMinutes must be a whole number of minutes', "leave it out for the runbook's duration; the service's maxWindowMs caps it");
    }
    const reason = typeof input.reason === 'string' && input.reason.trim() !== '' ? input.reason : runbook.problem;
    const view = await this.broker.grants.request(starter, {
      ...this.grantShape(runbook),
      durationMs: minutes * 60_000,
      maxHitsPerProbe: input.maxHitsPerProbe,
      reason: `${standingPrefix(runbook.id)} opened by ${actorName(actor)}: ${reason}`,
      ticket: '',
    });
    await this.broker.store.transaction((r) =>
      appendAudit(r, { actor: actorName(actor), action: 'runbook.standing.open', subject: view.grant.id, details: { runbookId: runbook.id, starter: starter.id, durationMs: minutes * 60_000, maxHitsPerProbe: view.grant.maxHitsPerProbe } }, this.broker.clock()),
    );
    return view;
  }

  /** The runs this person started (ops and approvers see everyone's, without results). */
  async runsFor(actor: Principal): Promise<RunView[]> {
    requirePermission(actor, 'grant.view');
    const all = actor.roles.includes('ops') || actor.roles.includes('approver');
    await this.settled();
    const stored = await this.broker.store.transaction((r) =>
      r.runbookRuns.list({ ...(all ? {} : { startedBy: actor.id }), limit: RUNBOOK_RUNNER_LIMITS.maxListedRuns }),
    );
    const now = this.broker.clock();
    return stored.map((record) => toView(this.live.get(record.grantId)?.record ?? record, now));
  }

  /** The runbook behind a grant, if a runbook started it (the approver page shows it). */
  async runbookOf(grantId: string): Promise<Runbook | undefined> {
    const live = this.live.get(grantId);
    if (live) return this.byId.get(live.record.runbookId);
    await this.settled();
    const record = await this.broker.store.transaction((r) => r.runbookRuns.get(grantId));
    return record && this.byId.get(record.runbookId);
  }

  /** The tables of one run: only for the person who started it, like the snapshots it may capture. */
  async results(actor: Principal, grantId: string): Promise<{ run: RunView; runbook: Runbook; results: ProbeResult[] }> {
    requirePermission(actor, 'snapshot.view');
    await this.settled();
    const run = this.live.get(grantId) ?? (await this.broker.store.transaction((r) => readRun(r, grantId)));
    if (!run || run.record.startedBy !== actor.id) throw brokerError(BrokerErrorCode.NotFound, `no run of yours for grant ${grantId}`, 'start a runbook first; only its starter reads its results');
    const runbook = this.byId.get(run.record.runbookId);
    if (!runbook) throw brokerError(BrokerErrorCode.NotFound, `runbook ${run.record.runbookId} is no longer in the runbook file`, 'ask ops to restore it to read this run');
    return { run: toView(run.record, this.broker.clock()), runbook, results: run.results.view() };
  }

  /** Stops listening and waits for queued writes, so the store can close after it. */
  async close(): Promise<void> {
    for (const off of this.unsubscribe.splice(0)) off();
    await this.settled();
  }

  private grantShape(runbook: Runbook): { service: string; selector: Readonly<Record<string, string>>; scopeGlobs: string[]; kinds: string[] } {
    return {
      service: runbook.service,
      selector: runbook.selector,
      scopeGlobs: [...new Set(runbook.probes.map((p) => p.path))],
      kinds: [...new Set(runbook.probes.map((p) => p.kind))],
    };
  }

  /**
   * Claims an active standing grant of this starter for this runbook, if
   * there is an unused one: the run row is written in the same transaction
   * that finds it, so two starts cannot share one grant. Audited as
   * `runbook.start.standing`.
   */
  private async startStanding(actor: Principal, runbook: Runbook): Promise<RunView | undefined> {
    if (actor.kind !== 'user') return undefined;
    await this.settled();
    const record = await this.broker.store.transaction(async (r) => {
      const now = this.broker.clock();
      const candidates = (await r.grants.list({ service: runbook.service, status: 'approved', requester: actor.id }))
        .filter((g) => g.reason.startsWith(standingPrefix(runbook.id)) && grantState(g, now) === 'active')
        .sort((a, b) => a.notAfterMs - b.notAfterMs);
      let grant: GrantRecord | undefined;
      for (const g of candidates) {
        if (!(await r.runbookRuns.get(g.id))) {
          grant = g;
          break;
        }
      }
      if (!grant) return undefined;
      const run: RunbookRunRecord = {
        id: 'run_' + randomBytes(9).toString('base64url'),
        grantId: grant.id,
        runbookId: runbook.id,
        title: runbook.title,
        service: runbook.service,
        startedBy: actor.id,
        startedAtMs: now,
        state: 'active',
        notAfterMs: grant.notAfterMs,
        armed: false,
        probeIds: [],
        problems: [],
      };
      await r.runbookRuns.insert(run);
      await appendAudit(r, { actor: actor.id, action: 'runbook.start.standing', subject: grant.id, details: { runbookId: runbook.id, runId: run.id } }, now);
      return run;
    });
    if (!record) return undefined;
    const run: LiveRun = { record, results: new RunResults() };
    this.remember(run);
    await this.arm(run);
    await this.settled();
    return toView(run.record, this.broker.clock());
  }

  private async settled(): Promise<void> {
    await this.ready;
    await this.writes;
  }

  /** Puts work on the write queue: store writes happen in the order the runner made them. A failure is kept, not thrown. */
  private write(work: (r: Repositories) => Promise<void>): Promise<void> {
    this.writes = this.writes
      .then(() => this.broker.store.transaction(work))
      .catch((err: unknown) => {
        this.lastError = err instanceof Error ? err.message : String(err);
      });
    return this.writes;
  }

  private saveTally(grantId: string, change: TallyChange): void {
    void this.write(async (r) => {
      await r.runbookRuns.putProbe({ grantId, probeId: change.probeId, label: change.label, kind: change.kind, total: change.total, maskedKinds: change.maskedKinds });
      await r.runbookRuns.putRow({ probeId: change.probeId, ...change.row });
    });
  }

  /** After a restart: the open runs go back into memory, with their tallies, to keep counting. */
  private async loadOpenRuns(): Promise<void> {
    try {
      await this.broker.store.transaction(async (r) => {
        const open = await r.runbookRuns.list({ states: OPEN_STATES, limit: RUNBOOK_RUNNER_LIMITS.maxLiveRuns });
        const now = this.broker.clock();
        // An active run whose window has passed stays 'active' in the store (windows end without an event); it takes no more lines.
        for (const record of open.reverse().filter((o) => !(o.state === 'active' && now >= o.notAfterMs))) {
          const run = await readRun(r, record.grantId);
          if (run && !this.live.has(record.grantId)) this.remember(run);
        }
      });
    } catch (err) {
      this.lastError = `reading the open runs: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  private remember(run: LiveRun): void {
    this.live.set(run.record.grantId, run);
    if (this.live.size <= RUNBOOK_RUNNER_LIMITS.maxLiveRuns) return;
    const oldest = [...this.live.values()].find((r) => !OPEN_STATES.includes(r.record.state)) ?? this.live.values().next().value;
    if (oldest) this.live.delete(oldest.record.grantId);
  }

  private async onGrant(view: GrantView): Promise<void> {
    await this.ready;
    let run = this.live.get(view.grant.id);
    if (!run) {
      const stored = await this.broker.store.transaction((r) => readRun(r, view.grant.id));
      if (!stored) return;
      run = this.live.get(view.grant.id) ?? stored;
      this.remember(run);
    }
    run.record = { ...run.record, state: view.state, notAfterMs: view.grant.notAfterMs };
    if (view.state !== 'active' || run.record.armed) {
      const record = run.record;
      await this.write((r) => r.runbookRuns.update(record));
      return;
    }
    await this.arm(run);
  }

  /** Sets the runbook's probes in the starter's name, once per run. */
  private async arm(run: LiveRun): Promise<void> {
    if (run.record.armed) return;
    run.record = { ...run.record, armed: true };
    const armed = run.record;
    await this.write((r) => r.runbookRuns.update(armed));
    const runbook = this.byId.get(run.record.runbookId);
    const requester = await this.broker.store.transaction((r) => r.users.get(run.record.startedBy));
    const principal: Principal = { kind: 'user', id: run.record.startedBy, roles: requester?.roles ?? [] };
    if (!runbook) run.record = { ...run.record, problems: [`runbook ${run.record.runbookId} is no longer in the runbook file`] };
    for (const probe of runbook?.probes ?? []) {
      try {
        const set = await this.broker.probes.set(principal, {
          grantId: run.record.grantId,
          kind: probe.kind,
          path: probe.path,
          line: probe.line,
          ...(probe.kind === 'LOGPOINT' ? { logTemplate: probe.template } : {}),
        });
        run.results.track(set.id, probe);
        run.record = { ...run.record, probeIds: [...run.record.probeIds, set.id] };
        const grantId = run.record.grantId;
        void this.write((r) => r.runbookRuns.putProbe({ grantId, probeId: set.id, label: probe.label, kind: probe.kind, total: 0, maskedKinds: [] }));
      } catch (err) {
        run.record = { ...run.record, problems: [...run.record.problems, `${probe.label}: ${err instanceof Error ? err.message : String(err)}`] };
      }
    }
    const done = run.record;
    await this.write((r) => r.runbookRuns.update(done));
  }
}

/** A stored run with its tallies, as the runner holds it in memory. */
async function readRun(r: Repositories, grantId: string): Promise<LiveRun | undefined> {
  const record = await r.runbookRuns.get(grantId);
  if (!record) return undefined;
  const results = new RunResults();
  for (const p of await r.runbookRuns.listProbes(grantId)) {
    results.restore(p.probeId, { label: p.label, kind: p.kind }, p.total, p.maskedKinds, await r.runbookRuns.listRows(p.probeId));
  }
  return { record, results };
}

function mayStart(actor: Principal, runbook: Runbook): boolean {
  return actor.kind === 'user' && actor.roles.some((r) => runbook.allowedRoles.includes(r));
}

function toView(run: RunbookRunRecord, nowMs: number): RunView {
  // Windows end without an event: work the expiry out on reading.
  const stored = run.state as GrantState;
  const state = stored === 'active' && nowMs >= run.notAfterMs ? 'expired' : stored;
  return {
    grantId: run.grantId,
    runbookId: run.runbookId,
    title: run.title,
    service: run.service,
    startedBy: run.startedBy,
    startedAtMs: run.startedAtMs,
    state,
    probeIds: [...run.probeIds],
    problems: [...run.problems],
  };
}
