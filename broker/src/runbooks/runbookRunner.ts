/**
 * Starts runbooks and follows their runs. Starting one is an ordinary grant
 * request by the person who starts it (so approval, audit and the agent's
 * own checks are unchanged); once the grant is active, the runner sets the
 * runbook's probes in that person's name, and tallies what arrives.
 *
 * Runs live in memory: after a broker restart their grants and probes are
 * still there (and still expire), but the page no longer shows their tables.
 */
import { brokerError, BrokerErrorCode } from '../errors';
import { type Broker } from '../broker';
import { requirePermission } from '../identity/identityService';
import { type Principal } from '../identity/principal';
import { type GrantState, type GrantView } from '../grants/grantService';
import { type ProbeResult, RunResults } from './runResults';
import { type Runbook } from './runbook';

export const RUNBOOK_RUNNER_LIMITS = {
  /** Runs remembered; the oldest finished ones are forgotten first. */
  maxRuns: 500,
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

interface Run {
  readonly runbook: Runbook;
  readonly grantId: string;
  readonly startedBy: string;
  readonly startedAtMs: number;
  state: GrantState;
  notAfterMs: number;
  armed: boolean;
  readonly probeIds: string[];
  readonly problems: string[];
  readonly results: RunResults;
}

export class RunbookRunner {
  private readonly byId: ReadonlyMap<string, Runbook>;
  private readonly runs = new Map<string, Run>();
  private readonly unsubscribe: (() => void)[] = [];

  constructor(
    private readonly broker: Broker,
    runbooks: readonly Runbook[],
  ) {
    this.byId = new Map(runbooks.map((r) => [r.id, r]));
    this.unsubscribe.push(broker.grants.onChange((view) => void this.onGrant(view)));
    this.unsubscribe.push(
      broker.events.on((e) => {
        if (e.type === 'logLine') {
          this.runs.get(e.line.grantId)?.results.addLine(e.line.probeId, e.line.message, Number(e.line.loggedAtMs) || this.broker.clock(), e.line.maskedKinds);
        } else if (e.type === 'snapshot') {
          this.runs.get(e.record.grantId)?.results.addSnapshot(e.record.probeId, e.record.instanceId, e.record.capturedAtMs, e.snapshot.maskedKinds);
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
    const reason = typeof input.reason === 'string' && input.reason.trim() !== '' ? input.reason : runbook.problem;
    const view = await this.broker.grants.request(actor, {
      service: runbook.service,
      selector: runbook.selector,
      scopeGlobs: [...new Set(runbook.probes.map((p) => p.path))],
      kinds: [...new Set(runbook.probes.map((p) => p.kind))],
      durationMs: runbook.durationMinutes * 60_000,
      reason: `[runbook ${runbook.id}] ${reason}`,
      ticket: typeof input.ticket === 'string' ? input.ticket : '',
    });
    const run: Run = { runbook, grantId: view.grant.id, startedBy: view.grant.requester, startedAtMs: view.grant.createdAtMs, state: view.state, notAfterMs: 0, armed: false, probeIds: [], problems: [], results: new RunResults() };
    this.remember(run);
    return toView(run, this.broker.clock());
  }

  /** The runs this person started (ops and approvers see everyone's, without results). */
  runsFor(actor: Principal): RunView[] {
    requirePermission(actor, 'grant.view');
    const all = actor.roles.includes('ops') || actor.roles.includes('approver');
    const now = this.broker.clock();
    return [...this.runs.values()].filter((r) => all || r.startedBy === actor.id).map((r) => toView(r, now)).reverse();
  }

  /** The runbook behind a grant, if a runbook started it (the approver page shows it). */
  runbookOf(grantId: string): Runbook | undefined {
    return this.runs.get(grantId)?.runbook;
  }

  /** The tables of one run: only for the person who started it, like the snapshots it may capture. */
  results(actor: Principal, grantId: string): { run: RunView; runbook: Runbook; results: ProbeResult[] } {
    requirePermission(actor, 'snapshot.view');
    const run = this.runs.get(grantId);
    if (!run || run.startedBy !== actor.id) throw brokerError(BrokerErrorCode.NotFound, `no run of yours for grant ${grantId}`, 'start a runbook first; only its starter reads its results');
    return { run: toView(run, this.broker.clock()), runbook: run.runbook, results: run.results.view() };
  }

  close(): void {
    for (const off of this.unsubscribe.splice(0)) off();
  }

  private remember(run: Run): void {
    this.runs.set(run.grantId, run);
    if (this.runs.size <= RUNBOOK_RUNNER_LIMITS.maxRuns) return;
    const oldest = [...this.runs.values()].find((r) => r.state !== 'pending' && r.state !== 'active') ?? this.runs.values().next().value;
    if (oldest) this.runs.delete(oldest.grantId);
  }

  private async onGrant(view: GrantView): Promise<void> {
    const run = this.runs.get(view.grant.id);
    if (!run) return;
    run.state = view.state;
    run.notAfterMs = view.grant.notAfterMs;
    if (view.state !== 'active' || run.armed) return;
    run.armed = true;
    const requester = await this.broker.store.transaction((r) => r.users.get(run.startedBy));
    const principal: Principal = { kind: 'user', id: run.startedBy, roles: requester?.roles ?? [] };
    for (const probe of run.runbook.probes) {
      try {
        const set = await this.broker.probes.set(principal, {
          grantId: run.grantId,
          kind: probe.kind,
          path: probe.path,
          line: probe.line,
          ...(probe.kind === 'LOGPOINT' ? { logTemplate: probe.template } : {}),
        });
        run.probeIds.push(set.id);
        run.results.track(set.id, probe);
      } catch (err) {
        run.problems.push(`${probe.label}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
  }
}

function mayStart(actor: Principal, runbook: Runbook): boolean {
  return actor.kind === 'user' && actor.roles.some((r) => runbook.allowedRoles.includes(r));
}

function toView(run: Run, nowMs: number): RunView {
  // Windows end without an event: work the expiry out on reading.
  const state = run.state === 'active' && nowMs >= run.notAfterMs ? 'expired' : run.state;
  return {
    grantId: run.grantId,
    runbookId: run.runbook.id,
    title: run.runbook.title,
    service: run.runbook.service,
    startedBy: run.startedBy,
    startedAtMs: run.startedAtMs,
    state,
    probeIds: [...run.probeIds],
    problems: [...run.problems],
  };
}
