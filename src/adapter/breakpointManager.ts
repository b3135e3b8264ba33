// Breakpoints become probes. setBreakpoints is answered at once; probes are
// then set under the developer's covering grant, and each breakpoint's view
// follows grant changes and the agents' probe statuses. Reports changes
// through onChanged; never throws to its caller.
import { pb, inScope } from '@keyhole/protocol';
import { type GrantInfo, type ProbeKindName } from '../common/brokerTypes';
import { Emitter } from '../common/emitter';
import { type BreakpointView, viewOfProbe } from './breakpointStatus';
import { type ISnapshotSource } from './snapshotSource';
import { type SourceMapper } from './sourceMapper';

export interface BreakpointSpec {
  readonly line: number;
  readonly column?: number;
  readonly condition?: string;
  readonly hitCondition?: string;
  readonly logMessage?: string;
}

export interface ManagedBreakpoint {
  readonly id: number;
  readonly localPath: string;
  readonly probePath: string;
  readonly spec: BreakpointSpec;
  readonly kind: ProbeKindName;
  probeId: string | undefined;
  grantId: string | undefined;
  view: BreakpointView;
  removed: boolean;
  binding: boolean;
  /** The deployed-content warning, once known. */
  contentWarning: string;
}

/** Statuses kept for probes not (yet) matched to a breakpoint, e.g. arriving before POST /v1/probes answers. */
export const MAX_UNMATCHED_STATUSES = 500;

export interface BreakpointManagerOptions {
  readonly service: string;
  readonly labels: Readonly<Record<string, string>>;
  /** Sent with every snapshot probe (never a logpoint); undefined: the agent's setting. */
  readonly framesWithLocals?: number | undefined;
  /** sha256 hex of a workspace file, or undefined when it cannot be read. */
  readonly localSha256: (localPath: string) => Promise<string | undefined>;
}

const sameSpec = (a: BreakpointSpec, b: BreakpointSpec) =>
  a.line === b.line && (a.column ?? 0) === (b.column ?? 0) && (a.condition ?? '') === (b.condition ?? '') && (a.hitCondition ?? '') === (b.hitCondition ?? '') && (a.logMessage ?? '') === (b.logMessage ?? '');

const ENDED_GRANT: Partial<Record<pb.GrantState, string>> = {
  [pb.GrantState.GRANT_EXPIRED]: 'expired',
  [pb.GrantState.REVOKED]: 'was revoked',
  [pb.GrantState.REJECTED]: 'was rejected',
};

export class BreakpointManager {
  private readonly changed = new Emitter<ManagedBreakpoint>();
  private readonly warnings = new Emitter<string>();
  readonly onChanged = this.changed.event;
  readonly onWarning = this.warnings.event;

  private nextId = 1;
  private readonly byFile = new Map<string, ManagedBreakpoint[]>();
  private readonly statuses = new Map<string, pb.IProbeStatusChanged>();
  private grants: Promise<GrantInfo[]> | undefined;

  constructor(
    private readonly source: ISnapshotSource,
    private readonly mapper: SourceMapper,
    private readonly options: BreakpointManagerOptions,
  ) {}

  /** Replaces the breakpoints of one file; unchanged ones keep their id and probe. */
  setForFile(localPath: string, specs: readonly BreakpointSpec[]): ManagedBreakpoint[] {
    const old = this.byFile.get(localPath) ?? [];
    const kept = new Set<ManagedBreakpoint>();
    const next = specs.map((spec) => {
      const same = old.find((b) => !kept.has(b) && sameSpec(b.spec, spec));
      if (same) {
        kept.add(same);
        return same;
      }
      const probePath = this.mapper.toProbePath(localPath);
      const bp: ManagedBreakpoint = {
        id: this.nextId++,
        localPath,
        probePath,
        spec,
        kind: spec.logMessage ? 'LOGPOINT' : 'SNAPSHOT',
        probeId: undefined,
        grantId: undefined,
        view: { verified: false, message: 'looking for a grant that covers this line', reason: 'pending' },
        removed: false,
        binding: false,
        contentWarning: '',
      };
      return bp;
    });
    for (const b of old) if (!kept.has(b)) void this.remove(b, 'breakpoint removed in the editor');
    this.byFile.set(localPath, next);
    for (const b of next) if (!b.probeId && !b.binding) void this.bind(b);
    return next;
  }

  byProbe(probeId: string): ManagedBreakpoint | undefined {
    for (const list of this.byFile.values()) for (const b of list) if (b.probeId === probeId) return b;
    return undefined;
  }

  all(): ManagedBreakpoint[] {
    return [...this.byFile.values()].flat();
  }

  onProbeStatus(change: pb.IProbeStatusChanged): void {
    const id = change.probeId ?? '';
    const bp = this.byProbe(id);
    if (!bp) {
      this.statuses.set(id, change);
      if (this.statuses.size > MAX_UNMATCHED_STATUSES) this.statuses.delete(this.statuses.keys().next().value as string);
      return;
    }
    void this.applyStatus(bp, change);
  }

  onGrantChanged(g: pb.IGrantSummary): void {
    this.grants = undefined;
    const ended = ENDED_GRANT[g.state ?? 0];
    for (const b of this.all()) {
      if (ended && b.grantId === g.grantId && b.probeId) {
        b.probeId = undefined;
        b.grantId = undefined;
        this.update(b, { verified: false, reason: 'failed', message: `grant ${g.grantId} ${ended}: request a new grant` });
      } else if (!b.probeId && !b.binding && !b.removed) {
        void this.bind(b);
      }
    }
  }

  /** Removes every probe this session set (end of session). */
  async dispose(reason: string): Promise<void> {
    const all = this.all();
    this.byFile.clear();
    await Promise.all(all.map((b) => this.remove(b, reason)));
    this.changed.dispose();
    this.warnings.dispose();
  }

  private async remove(b: ManagedBreakpoint, reason: string): Promise<void> {
    b.removed = true;
    const id = b.probeId;
    b.probeId = undefined;
    if (id) await this.source.removeProbe(id, reason).catch(() => undefined);
  }

  private listGrants(): Promise<GrantInfo[]> {
    this.grants ??= this.source.listGrants().catch((err: Error) => {
      this.grants = undefined;
      throw err;
    });
    return this.grants;
  }

  private selectorAgrees(g: GrantInfo): boolean {
    return Object.entries(this.options.labels).every(([k, v]) => g.selector[k] === undefined || g.selector[k] === v);
  }

  private covers(g: GrantInfo, b: ManagedBreakpoint): boolean {
    return g.service === this.options.service && g.kinds.includes(b.kind) && inScope(b.probePath, [...g.scopeGlobs]) && this.selectorAgrees(g);
  }

  private async bind(b: ManagedBreakpoint): Promise<void> {
    b.binding = true;
    try {
      let grants: GrantInfo[];
      try {
        grants = await this.listGrants();
      } catch (err) {
        return this.update(b, { verified: false, reason: 'pending', message: `could not list your grants: ${(err as Error).message}` });
      }
      const covering = grants.filter((g) => this.covers(g, b));
      const active = covering.find((g) => g.state === 'active');
      if (!active) return this.update(b, { verified: false, reason: 'pending', message: this.waitingMessage(b, covering) });
      let probeId: string;
      try {
        probeId = (
          await this.source.setProbe({
            grantId: active.id,
            kind: b.kind,
            path: b.probePath,
            line: b.spec.line,
            ...(b.spec.column ? { column: b.spec.column } : {}),
            ...(b.spec.condition ? { condition: b.spec.condition } : {}),
            ...(b.spec.hitCondition ? { hitCondition: b.spec.hitCondition } : {}),
            ...(b.spec.logMessage ? { logTemplate: b.spec.logMessage } : {}),
            ...(b.kind === 'SNAPSHOT' && this.options.framesWithLocals !== undefined ? { framesWithLocals: this.options.framesWithLocals } : {}),
          })
        ).id;
      } catch (err) {
        const e = err as Error & { code?: string };
        return this.update(b, { verified: false, reason: 'failed', message: `the broker refused the probe: ${e.message}${e.code ? ` (${e.code})` : ''}` });
      }
      if (b.removed) {
        await this.source.removeProbe(probeId, 'breakpoint removed in the editor').catch(() => undefined);
        return;
      }
      b.probeId = probeId;
      b.grantId = active.id;
      const early = this.statuses.get(probeId);
      this.statuses.delete(probeId);
      if (early) await this.applyStatus(b, early);
      else this.update(b, viewOfProbe(undefined, this.options.service));
    } finally {
      b.binding = false;
    }
  }

  private waitingMessage(b: ManagedBreakpoint, covering: readonly GrantInfo[]): string {
    const pendingGrant = covering.find((g) => g.state === 'pending');
    if (pendingGrant) return `waiting for approval of grant ${pendingGrant.id} (${pendingGrant.approvals.length} of ${pendingGrant.approvalsRequired} approvals)`;
    const approved = covering.find((g) => g.state === 'approved');
    if (approved) return `grant ${approved.id} is approved; waiting for its window to open`;
    return `no active grant of yours on ${this.options.service} covers ${b.probePath} for ${b.kind === 'LOGPOINT' ? 'logpoints' : 'snapshots'}: request one (keyhole grant request --service ${this.options.service} --glob '${b.probePath}')`;
  }

  private async applyStatus(b: ManagedBreakpoint, change: pb.IProbeStatusChanged): Promise<void> {
    const view = viewOfProbe(change, this.options.service);
    const deployed = (change.instances ?? []).map((s) => s.deployedSha256).find((h) => !!h);
    if (deployed && !b.contentWarning) {
      const local = await this.options.localSha256(b.localPath);
      if (local && local !== deployed) {
        b.contentWarning = `your copy of ${b.probePath} differs from the deployed one (sha256 ${local.slice(0, 12)}… here, ${deployed.slice(0, 12)}… deployed): lines may not match`;
        this.warnings.fire(b.contentWarning);
      }
    }
    if (b.removed) return;
    this.update(b, b.contentWarning ? { ...view, message: `${view.message}; warning: ${b.contentWarning}` } : view);
  }

  private update(b: ManagedBreakpoint, view: BreakpointView): void {
    if (b.removed) return;
    const same = b.view.verified === view.verified && b.view.message === view.message && b.view.reason === view.reason;
    b.view = view;
    if (!same) this.changed.fire(b);
  }
}
