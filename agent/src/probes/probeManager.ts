import { randomBytes } from 'node:crypto';
import { pb } from '@keyhole/protocol';
import type { CaptureLimits } from '../capture/limits';
import type { RateSettings } from '../config';
import { BlockedTimeBudget, Spent } from '../gate/blockedTimeBudget';
import { MajorGcWatch } from '../gate/majorGcWatch';
import type { GrantAuthority } from '../grants/authority';
import type { DebuggerControl, PausedEvent, ScriptParsed } from '../inspector/debuggerControl';
import { captureFrames, type CaptureDeps } from '../capture/snapshotCapture';
import { DEFAULT_LOCATION_SETTINGS, LocationErrorCode, ScriptIndex, type LocationSettings, type Resolution, type ScriptRecord } from '../location';
import { LocationWorker } from '../location/locationWorker';
import { FrameScriptUrls } from '../location/frameScriptUrls';
import type { Redactor } from '../redact/redactor';
import { Soon } from '../util/soon';
import type { NoteKind, ProbeRecord } from './probeRecord';
import { cancelPlanning, pausingNote, planning, type Downgrade } from './captureMode';
import { budgetNote, deepStack, gcWaitNote, HOT_LINE, tooDeepToPause } from './probeNotes';
import { formatLogMessage } from './logFormat';
import { probeRecordFrom } from './probeRecordFrom';
import { framesFor, logLineMessage, recordStatusMessage, snapshotMessage, statusMessage, widestLimits, type Capturing, type MessageOrigin, type TraceIds } from './probeMessages';
import { PendingScriptWatch } from './pendingScriptWatch';
import { ConditionCostMeter } from './conditionCost';
import { RearmSchedule } from './rearmSchedule';
import { PauseFreePlanner, pauseInstead } from './pauseFreePlanner';
import { OriginalPositions } from '../capture/originalPositions';
import { scheduleSerializerWarmUp, type ScheduledWarmUp } from '../capture/serializerWarmUp';
import type { CapturedFrames } from '../capture/snapshotCapture';
import { stackDeeperThan, takeStack } from '../capture/inline/callSiteStack';
import { captureInline } from '../capture/inline/inlineCapture';

/**
 * Per-evaluation cost charged when a condition's cost could not be measured
 * (see ConditionCostMeter, which normally measures it at arming). Default
 * 0.2 ms: the high end of what a pass cost under HTTP load here.
 */
export const CONDITION_COST_FALLBACK_MS = 0.2;

/** Consecutive pauses over capture.maxPauseMs that stop a probe pausing. */
const SLOW_PAUSES_TO_DOWNGRADE = 2;

/** A probe's condition with a gate slot that always declines: what measuring its cost evaluates. */
function declining(r: ProbeRecord): string {
  return r.condition.replace(`gate(${r.slot})`, 'gate(-1)');
}

export interface ProbeManagerDeps extends MessageOrigin {
  readonly debuggerControl: DebuggerControl;
  readonly authority: GrantAuthority;
  readonly redactor: () => Redactor;
  readonly limits: CaptureLimits;
  readonly rate: RateSettings;
  /** Finding scripts and reading source maps; the defaults when left out. */
  readonly location?: LocationSettings;
  readonly handOff: (objectIds: readonly string[]) => unknown[];
  readonly traceIds: () => TraceIds | undefined;
  readonly onStatus: (status: pb.ProbeStatus.$Properties) => void;
  readonly onSnapshot: (snapshot: pb.Snapshot.$Properties) => void;
  readonly onLog: (line: pb.LogLine.$Properties) => void;
  readonly onError: (code: string, message: string) => void;
}

export interface ProbeStats {
  probesArmed: number;
  snapshotsCaptured: number;
  logLines: number;
  hitsDeclined: number;
  /** Every Debugger.paused the agent's session saw, its own captures and any other. */
  pauses: number;
  budgetUsedMicros: number;
}

/**
 * Probes from set to removal: authorization, expression compilation,
 * location, arming, the gate that runs inside each breakpoint condition, and
 * capture when a hit is sampled. The Debugger domain is on only while at
 * least one probe is installed.
 */
export class ProbeManager {
  private readonly byId = new Map<string, ProbeRecord>();
  /**
   * Probes by the slot number baked into their conditions. A slot is never
   * reused while any probe exists (a stale condition must not reach another
   * probe), so this is a Map: a removed probe's entry is freed, where an
   * array would grow by one for every probe ever set on a long-lived service.
   */
  private readonly slots = new Map<number, ProbeRecord>();
  private nextSlot = 0;
  private readonly scripts: ScriptIndex;
  /** URLs of the scripts stack frames may be in that the script index does not hold. */
  private readonly frameScriptUrls: FrameScriptUrls;
  private readonly budget: BlockedTimeBudget;
  private readonly soon: Soon;
  private readonly pendingWatch: PendingScriptWatch;
  private readonly costMeter: ConditionCostMeter;
  private readonly planner: PauseFreePlanner;
  private readonly originals: OriginalPositions;
  /** Source maps are read and decoded here, off the main thread (location/locationWorker.ts). */
  private readonly location: LocationWorker;
  /** The resolution a probe waits for, so that only the latest one is acted on. */
  private readonly locating = new WeakMap<ProbeRecord, number>();
  private locateSeq = 0;
  private deliverSeq = 0;
  private warmUp: ScheduledWarmUp | undefined;
  /** Snapshot probes whose conditions asked for this pause; several when probes share a line. */
  private capturing: Capturing[] = [];
  /** Captured data waits here until the pause is over: encoding and sending are not the paused host's business. */
  private outbox: (() => void)[] = [];
  /** Condition evaluations since the armed probes' costs were last measured. */
  private passesSinceCostCheck = 0;
  /** Condition evaluations since the host's last full GC, as far as it was observed (RateSettings.maxPassesBetweenGcs). */
  private passesSinceMajorGc = 0;
  /** Full GCs are observed while any probe exists. */
  private readonly gcWatch = new MajorGcWatch(
    () => this.soon.run('major-gc', () => this.afterMajorGc()),
    (message) => this.deps.onError('KH_AGENT_INTERNAL', message),
  );
  private readonly rearms = new RearmSchedule(() => this.byId.values(), () => this.rearmDue());
  private closed = false;
  private readonly counters = { snapshotsCaptured: 0, logLines: 0, hitsDeclined: 0, pauses: 0 };

  constructor(private readonly deps: ProbeManagerDeps) {
    this.scripts = new ScriptIndex(deps.location ? { settings: deps.location } : {});
    this.budget = new BlockedTimeBudget(deps.rate.blockedMsPerSecond);
    this.soon = new Soon((err) => deps.onError('KH_AGENT_INTERNAL', err instanceof Error ? err.message : String(err)));
    this.pendingWatch = new PendingScriptWatch(() => this.retryPending());
    this.costMeter = new ConditionCostMeter(deps.debuggerControl);
    this.planner = new PauseFreePlanner({
      scripts: this.scripts,
      scriptSource: (id) => deps.debuggerControl.scriptSource(id),
      maxBindings: deps.limits.maxProperties,
      soon: this.soon,
      isCurrent: (r) => !this.closed && this.byId.get(r.probe.id) === r,
    });
    this.location = new LocationWorker(deps.location ?? DEFAULT_LOCATION_SETTINGS, this.scripts);
    this.frameScriptUrls = new FrameScriptUrls((deps.location ?? DEFAULT_LOCATION_SETTINGS).maxOtherScriptUrls);
    this.originals = new OriginalPositions((positions, done) => this.location.map(positions, done));
  }

  // ---- lifecycle -------------------------------------------------------

  set(probe: pb.Probe): void {
    if (this.closed) return;
    const existing = this.byId.get(probe.id);
    if (existing) this.drop(existing, pb.ProbeState.REMOVED, 'KH_PROBE_REPLACED', 'replaced by a newer version of the probe');
    const refusal = probeRecordFrom(probe, () => this.nextSlot++, this.deps);
    if ('code' in refusal) {
      this.deps.onStatus(this.statusOf(probe.id, pb.ProbeState.REFUSED, refusal.code, refusal.message));
      return;
    }
    const record = refusal.record;
    if (Date.now() >= record.expiresAtMs) {
      // Installing it would enable the debugger (a cost to the host) for a probe that may never capture.
      this.deps.onStatus(this.statusOf(probe.id, pb.ProbeState.EXPIRED, 'KH_PROBE_EXPIRED', 'the probe expired before it was set'));
      return;
    }
    this.byId.set(probe.id, record);
    this.slots.set(record.slot, record);
    if (!this.gcWatch.watching) {
      // Full GCs went unobserved while no probe existed: count afresh rather than make a new probe
      // wait for a collection that may have come (at worst twice the cap's conditions are pending).
      this.passesSinceMajorGc = 0;
      this.gcWatch.start();
    }
    this.locateAndArm(record);
  }

  remove(probeId: string, reason: string): void {
    const r = this.byId.get(probeId);
    if (r) this.drop(r, pb.ProbeState.REMOVED, 'KH_PROBE_REMOVED', reason || 'removed');
  }

  /** Removes every probe the predicate selects, reporting why (revocation, kill switch, broker lost). */
  removeWhere(select: (r: ProbeRecord) => boolean, state: pb.ProbeState, code: string, message: string): number {
    let n = 0;
    for (const r of [...this.byId.values()]) {
      if (select(r)) {
        this.drop(r, state, code, message);
        n++;
      }
    }
    return n;
  }

  /**
   * Removes probes whose own expiry (Probe.expiresAtMs) has passed. The gate
   * also expires a probe when it is hit, but a probe on a line that never runs
   * would otherwise keep the debugger enabled (and the host slower) until its
   * grant ends. The end of a grant's window is the grant sweep's business
   * (KH_GRANT_EXPIRED), not this one's.
   */
  expireDue(nowMs: number): number {
    return this.removeWhere((r) => r.probe.expiresAtMs > 0 && nowMs >= r.probe.expiresAtMs, pb.ProbeState.EXPIRED, 'KH_PROBE_EXPIRED', 'the probe expired');
  }

  get size(): number {
    return this.byId.size;
  }

  probeStatuses(): pb.ProbeStatus.$Properties[] {
    return [...this.byId.values()].map((r) => this.statusOfRecord(r));
  }

  stats(): ProbeStats {
    let armed = 0;
    for (const r of this.byId.values()) if (r.breakpointId) armed++;
    return { probesArmed: armed, ...this.counters, budgetUsedMicros: Math.round(this.budget.used(performance.now()) * 1000) };
  }

  close(): void {
    if (this.closed) return;
    this.removeWhere(() => true, pb.ProbeState.REMOVED, 'KH_AGENT_STOPPED', 'the agent stopped');
    this.closed = true;
    this.soon.cancel();
    this.warmUp?.cancel();
    this.pendingWatch.stop();
    this.rearms.close();
    this.gcWatch.stop();
    this.deps.debuggerControl.disable();
    this.location.stop();
  }

  // ---- location and arming -------------------------------------------------

  private locateAndArm(r: ProbeRecord): void {
    const control = this.deps.debuggerControl;
    // Enabling replays scriptParsed for every loaded script, which fills the index.
    control.enable();
    const loc = r.probe.location!;
    const token = ++this.locateSeq;
    this.locating.set(r, token);
    this.location.resolve(loc.path, loc.line, loc.column || undefined, (res) =>
      this.soon.run(`locate:${r.probe.id}:${token}`, () => {
        if (this.closed || this.byId.get(r.probe.id) !== r || this.locating.get(r) !== token) return;
        this.locating.delete(r);
        this.placeAndArm(r, res);
      }),
    );
  }

  /** Acts on where a probe was located: waits for its file, refuses it, or arms it. */
  private placeAndArm(r: ProbeRecord, res: Resolution): void {
    const loc = r.probe.location!;
    if (!res.ok && res.code === LocationErrorCode.INTERNAL) {
      this.setState(r, pb.ProbeState.ERROR, res.code, res.message, []);
      this.disableIfIdle();
      return;
    }
    if (!res.ok && res.code === LocationErrorCode.IN_WITH) {
      this.drop(r, pb.ProbeState.REFUSED, res.code, res.message);
      return;
    }
    if (!res.ok) {
      const ambiguous = res.code === 'KH_LOCATION_AMBIGUOUS';
      this.setState(r, ambiguous ? pb.ProbeState.AMBIGUOUS : pb.ProbeState.FILE_NOT_FOUND, res.code, res.message, res.candidates);
      if (!ambiguous) this.pendingWatch.add(loc.path);
      this.disableIfIdle();
      return;
    }
    r.resolvedUrl = res.url;
    r.resolvedLine = res.line;
    r.resolvedColumn = res.column;
    r.originalPath = res.originalPath;
    r.deployedSha256 = res.deployedSha256;
    const install = () => {
      if (this.arm(r)) {
        const notes = [res.note ?? '', pausingNote(r.mode)].filter(Boolean);
        this.setState(r, pb.ProbeState.INSTALLED, '', notes.join('; '), []);
        // Snapshot probes only: the first capture on cold code would run into the time budget and come out cut.
        if (r.kind === pb.ProbeKind.SNAPSHOT && !this.warmUp) this.warmUp = scheduleSerializerWarmUp(this.deps.limits, this.deps.redactor());
      }
      this.disableIfIdle();
    };
    // A pause-free snapshot is armed once its reads are planned, at the position V8 will break at.
    if (r.mode.kind === 'planning') {
      const script = this.scripts.get(r.resolvedUrl);
      const where = script ? this.deps.debuggerControl.breakablePosition(script.record.scriptId, r.resolvedLine, r.resolvedColumn) : undefined;
      this.planner.request(r, where?.line ?? r.resolvedLine, where?.column ?? r.resolvedColumn, install);
    } else install();
  }

  /**
   * Sets the probe's breakpoint. Re-arming after a rate, budget or GC disarm
   * recurs with traffic, so it is charged (`recurring`). Arming at install,
   * after a script loads or once a plan is ready happens once per probe
   * operation, not per request, like enabling the debugger and measuring the
   * condition, and is not: a breakpoint in a large bundle can take V8 tens of
   * milliseconds to place, and charging it would decline the first hits after
   * every install for a whole window.
   */
  private arm(r: ProbeRecord, recurring = false): boolean {
    const control = this.deps.debuggerControl;
    control.enable();
    this.measureConditionCost(r);
    const started = performance.now();
    const bp = control.setBreakpoint(r.resolvedUrl, r.resolvedLine, r.resolvedColumn, r.condition);
    if (recurring) this.budget.spend(performance.now() - started, performance.now(), Spent.arming);
    if (!bp.ok) {
      this.drop(r, pb.ProbeState.ERROR, bp.code, bp.message);
      return false;
    }
    r.breakpointId = bp.breakpointId;
    r.armedLine = bp.actualLine;
    r.armedColumn = bp.actualColumn;
    r.rearm = undefined;
    return true;
  }

  /** Measured when a condition text is first armed (again every conditionCostRecheckPasses passes), with a gate slot that always declines. */
  private measureConditionCost(r: ProbeRecord): void {
    if (r.conditionCostMs === 0) r.conditionCostMs = this.costMeter.costOf(declining(r), CONDITION_COST_FALLBACK_MS);
  }

  /**
   * Measures the armed probes' conditions again, charging the time it takes:
   * passes get slower as V8's compiled conditions pile up between full GCs,
   * so what the budget charges per pass must follow (conditionCostRecheckPasses).
   */
  private recheckConditionCosts(): void {
    this.passesSinceCostCheck = 0;
    for (const r of this.byId.values()) {
      if (!r.breakpointId) continue;
      const started = performance.now();
      r.conditionCostMs = this.costMeter.measureAgain(declining(r), r.conditionCostMs || CONDITION_COST_FALLBACK_MS);
      this.budget.spend(performance.now() - started, performance.now(), Spent.checks);
    }
  }

  /** Removes a probe's breakpoint (charged) until its wait ends: a time from now, or the host's next full GC. */
  private disarm(r: ProbeRecord, rearmInMs: number | 'gc'): void {
    const started = performance.now();
    if (r.breakpointId) this.deps.debuggerControl.removeBreakpoint(r.breakpointId);
    this.budget.spend(performance.now() - started, performance.now(), Spent.arming);
    r.breakpointId = undefined;
    if (rearmInMs === 'gc') this.rearms.waitForGc(r);
    else this.rearms.waitUntil(r, performance.now() + Math.max(1, rearmInMs));
  }

  /** The rearm timer fired (or a full GC came): arms the probes that are due, unless the budget is still spent. */
  private rearmDue(): void {
    const now = performance.now();
    if (this.budget.exceeded(now)) this.rearms.postponeTimed(now + this.budget.windowMs);
    else {
      for (const r of this.rearms.takeDue(now)) {
        if (r.state !== pb.ProbeState.INSTALLED) continue;
        if (Date.now() > r.expiresAtMs) this.drop(r, pb.ProbeState.EXPIRED, 'KH_PROBE_EXPIRED', 'the probe or its grant expired');
        else this.arm(r, true);
      }
    }
    this.rearms.reschedule();
  }

  private retryPending(): void {
    const pending = [...this.byId.values()].filter((r) => r.state === pb.ProbeState.FILE_NOT_FOUND);
    if (!pending.length) {
      this.pendingWatch.clear();
      return;
    }
    for (const r of pending) if (!this.locating.has(r)) this.locateAndArm(r);
  }

  onScript(s: ScriptParsed): void {
    const record: ScriptRecord = {
      scriptId: s.scriptId,
      url: s.url,
      ...(s.sourceMapURL ? { sourceMapURL: s.sourceMapURL } : {}),
      ...(s.length !== undefined ? { length: s.length } : {}),
      ...(s.hash ? { hash: s.hash } : {}),
      ...(s.isModule ? { isModule: true as const } : {}),
      ...(s.executionContextAuxData?.isDefault === false ? { inVmContext: true as const } : {}),
    };
    const dropped = this.scripts.add(record);
    if (dropped !== undefined) this.frameScriptUrls.addDropped(dropped, record.url);
    this.location.add(record);
    this.frameScriptUrls.add(s.scriptId, s.url);
    if (this.pendingWatch.matches(s.url)) this.soon.run('retry-pending', () => this.retryPending());
  }

  /** Removes a probe for good and reports its final state. */
  private drop(r: ProbeRecord, state: pb.ProbeState, code: string, message: string): void {
    if (this.byId.get(r.probe.id) !== r) return;
    if (r.breakpointId) this.deps.debuggerControl.removeBreakpoint(r.breakpointId);
    r.breakpointId = undefined;
    cancelPlanning(r.mode);
    r.rearm = undefined;
    this.byId.delete(r.probe.id);
    this.slots.delete(r.slot);
    this.setState(r, state, code, message, r.candidates);
    this.disableIfIdle();
  }

  /** Turns the debugger off when no probe is installed: idle costs nothing. */
  private disableIfIdle(): void {
    for (const r of this.byId.values()) if (r.state === pb.ProbeState.INSTALLED) return;
    this.deps.debuggerControl.disable();
    if (this.byId.size === 0) {
      this.gcWatch.stop();
      // No condition can refer to an old slot once every breakpoint is gone.
      this.slots.clear();
      this.nextSlot = 0;
      this.scripts.clear();
      this.originals.clear();
      this.location.clear();
      this.frameScriptUrls.clear();
    }
  }

  // ---- the hot path: runs inside V8's evaluation of breakpoint conditions ---

  /** First clause of every condition. Cheap checks only; anything slow is deferred. */
  readonly gate = (slot: number): boolean => {
    const r = this.slots.get(slot);
    if (r === undefined || r.breakpointId === undefined) return false;
    const mode = r.mode;
    if (mode.kind === 'pauseFree' && mode.startedAt !== 0) {
      this.soon.run(`inline-failed:${r.probe.id}`, () => this.inlineFailed(r));
      return false;
    }
    const now = performance.now();
    r.passes++;
    this.budget.spend(r.conditionCostMs, now, Spent.checks);
    if (++this.passesSinceCostCheck >= this.deps.rate.conditionCostRecheckPasses) this.soon.run('recost', () => this.recheckConditionCosts());
    if (++this.passesSinceMajorGc > this.deps.rate.maxPassesBetweenGcs) {
      this.counters.hitsDeclined++;
      this.soon.run('gc-wait', () => this.disarmAllUntilGc());
      return false;
    }
    const wall = Date.now();
    if (wall > r.expiresAtMs || !this.deps.authority.isActive(r.grantId, wall)) {
      this.counters.hitsDeclined++;
      this.soon.run(`expire:${r.probe.id}`, () => this.expire(r));
      return false;
    }
    if (this.budget.exceeded(now)) {
      this.counters.hitsDeclined++;
      this.soon.run('budget', () => this.disarmAllForBudget());
      return false;
    }
    if (!r.bucket.has(now)) {
      this.counters.hitsDeclined++;
      this.soon.run(`rate:${r.probe.id}`, () => this.rateDisarm(r));
      return false;
    }
    return true;
  };

  /** Last clause: the condition held. Counts, applies hit conditions and limits, logs or asks for a pause. */
  readonly hit = (slot: number, values: unknown[]): boolean => {
    const r = this.slots.get(slot);
    if (r === undefined || r.breakpointId === undefined) return false;
    r.conditionHits++;
    if (r.hitTest && !r.hitTest(r.conditionHits)) return false;
    const started = performance.now();
    if (r.kind === pb.ProbeKind.SNAPSHOT && r.mode.kind !== 'pauseFree' && !this.mayPause(r)) return false;
    if (!r.bucket.take(started)) return false;
    r.hits++;
    if (r.hits >= r.maxHits) this.soon.run(`complete:${r.probe.id}`, () => this.drop(r, pb.ProbeState.COMPLETED, 'KH_PROBE_HIT_LIMIT', `reached its limit of ${r.maxHits} hits`));
    if (r.kind === pb.ProbeKind.LOGPOINT) {
      this.emitLog(r, values);
      this.budget.spend(performance.now() - started, performance.now(), Spent.captures);
      return false;
    }
    if (r.mode.kind === 'pauseFree') {
      r.mode.startedAt = started;
      return true;
    }
    this.capturing.push({ record: r, startedAt: started, trace: this.deps.traceIds() });
    return true;
  };

  /**
   * Whether a sampled hit of a snapshot probe that captures by pausing may
   * pause. Not once the probe is being downgraded to pause-free capture: it
   * never pauses again. Not deeper than capture.maxPauseStackDepth: a pause
   * makes V8 build every frame of the stack with its scopes, so it would block
   * the service for as long as the stack is deep.
   */
  private mayPause(r: ProbeRecord): boolean {
    if (r.mode.kind === 'planning') {
      // Here and now, as a capture disarms a probe out of tokens: left armed, every pass
      // would cost a condition evaluation until the plan arrives, and a long synchronous
      // loop in the host would not let it arrive.
      this.counters.hitsDeclined++;
      this.disarmUntilPlanned(r);
      return false;
    }
    if (stackDeeperThan(this.hit, r.limits.maxPauseStackDepth)) {
      this.counters.hitsDeclined++;
      this.soon.run(`deep:${r.probe.id}`, () => this.ranTooDeep(r));
      return false;
    }
    return true;
  }

  /** Removes a downgraded probe's breakpoint until its pause-free reads are planned; prepareDowngrade arms it then. */
  private disarmUntilPlanned(r: ProbeRecord): void {
    if (r.breakpointId) this.deps.debuggerControl.removeBreakpoint(r.breakpointId);
    r.breakpointId = undefined;
  }

  /**
   * Last clause of a pause-free snapshot's condition, after `hit` took the
   * token: builds the snapshot from the values the reader read and the
   * stack, without pausing. Always false: never a pause. (Only a condition
   * built from a plan calls it; a probe that lost its plan is re-armed with
   * a pausing condition in the same turn.)
   */
  readonly inline = (slot: number, self: unknown, values: unknown): boolean => {
    const r = this.slots.get(slot);
    if (r === undefined || r.breakpointId === undefined) return false;
    const mode = r.mode;
    if (mode.kind !== 'pauseFree') return false;
    const { startedAt, plan } = mode;
    mode.startedAt = 0;
    const limits = r.limits;
    try {
      const captured = captureInline({ scopes: plan.scopes, reader: plan.reader, values, self, stack: takeStack(this.inline, limits.maxFrames), limits, redactor: this.deps.redactor() });
      if (mode.downgrade) captured.errors.push({ code: mode.downgrade.code, message: mode.downgrade.note });
      const blockedMs = performance.now() - startedAt;
      this.budget.spend(blockedMs, performance.now(), Spent.captures);
      this.deliverSnapshots([{ record: r, startedAt, trace: this.deps.traceIds() }], captured, blockedMs, captured.frames.length);
    } catch (err) {
      // V8 would swallow it as a failed condition; report it instead, and never pause for it.
      this.deps.onError('KH_AGENT_INTERNAL', `pause-free capture failed: ${err instanceof Error ? err.message : String(err)}`);
    }
    return false;
  };

  /**
   * A pause-free hit took its token but its reads never reached `inline`:
   * the condition threw, so the plan named a variable V8 does not have there.
   * The probe pauses from now on, and says so.
   */
  private inlineFailed(r: ProbeRecord): void {
    if (this.byId.get(r.probe.id) !== r || r.mode.kind !== 'pauseFree' || r.mode.startedAt === 0) return;
    pauseInstead(r, 'reading its variables without a pause failed at this line');
    r.conditionCostMs = 0; // a new condition text, measured again
    if (r.breakpointId) {
      this.deps.debuggerControl.removeBreakpoint(r.breakpointId);
      r.breakpointId = undefined;
      if (!this.arm(r)) return;
    }
    this.setState(r, r.state, r.code, pausingNote(r.mode), r.candidates);
  }

  private expire(r: ProbeRecord): void {
    const wall = Date.now();
    if (wall > r.expiresAtMs) this.drop(r, pb.ProbeState.EXPIRED, 'KH_PROBE_EXPIRED', 'the probe or its grant window ended');
    else if (!this.deps.authority.isActive(r.grantId, wall)) this.drop(r, pb.ProbeState.EXPIRED, 'KH_GRANT_INACTIVE', 'its grant is no longer active (revoked, expired or kill switch)');
  }

  /** How long a probe out of tokens stays disarmed: until its re-arm batch has refilled (see RateSettings.snapshotRearmTokens). */
  private msUntilRearm(r: ProbeRecord, now: number): number {
    const rate = this.deps.rate;
    return r.bucket.msUntilTokens(r.kind === pb.ProbeKind.LOGPOINT ? rate.logpointRearmTokens : rate.snapshotRearmTokens, now);
  }

  /**
   * Disarms a probe that used its tokens until its re-arm batch is back. A
   * snapshot probe that gets here has a hot line: from its next arming it
   * captures without pausing when CaptureLimits.hotLineFramesWithLocals
   * asks for no callers' variables.
   */
  private outOfTokens(r: ProbeRecord, now: number): void {
    if (r.kind === pb.ProbeKind.SNAPSHOT && r.mode.kind === 'pausing' && !r.mode.reason && this.deps.limits.hotLineFramesWithLocals <= 1) {
      r.mode = planning(HOT_LINE);
      r.conditionCostMs = 0; // a new condition, measured again
      this.soon.run(`hot:${r.probe.id}`, () => this.prepareDowngrade(r));
    }
    this.disarm(r, this.msUntilRearm(r, now));
  }

  /**
   * A sampled hit ran deeper than capture.maxPauseStackDepth and did not
   * pause. The probe captures without pausing from now on, once its reads are
   * planned (downgrade). A probe that cannot capture without pausing (its
   * plan failed) keeps pausing on shallow hits, declines deep ones, and says so.
   */
  private ranTooDeep(r: ProbeRecord): void {
    if (this.byId.get(r.probe.id) !== r || r.mode.kind !== 'pausing') return;
    if (r.mode.reason) {
      this.noteOnce(r, 'deep', `${tooDeepToPause(r.limits.maxPauseStackDepth)}: such hits are not captured, since this probe ${pausingNote(r.mode)}`);
      return;
    }
    this.downgrade(r, deepStack(r.limits.maxPauseStackDepth));
  }

  /**
   * Pauses at this probe's line blocked the service longer than
   * capture.maxPauseMs, twice in a row: V8 builds every frame's scopes in a
   * pause, and a scope holding thousands of variables (a bundle's top level)
   * makes that slow at any depth. The probe captures without pausing from
   * now on; one that cannot is removed, since each of its pauses would cost
   * as much.
   */
  private pausedTooLong(r: ProbeRecord, blockedMs: number): void {
    if (this.byId.get(r.probe.id) !== r || r.mode.kind !== 'pausing') return;
    const why = `pauses at this line blocked the service longer than capture.maxPauseMs (${r.limits.maxPauseMs} ms) twice in a row, the last for ${blockedMs.toFixed(1)} ms`;
    if (r.mode.reason) {
      this.drop(r, pb.ProbeState.ERROR, 'KH_CAPTURE_SLOW_PAUSE', `${why}, and this probe ${pausingNote(r.mode)}: it is removed rather than pause that long again`);
      return;
    }
    this.downgrade(r, { code: 'KH_CAPTURE_SLOW_PAUSE', note: `${why}: captured without pausing from now on, callers' variables left out` });
  }

  /** Moves a pausing snapshot probe to pause-free capture for good, saying why; it is not armed while its reads are planned. */
  private downgrade(r: ProbeRecord, downgrade: Downgrade): void {
    r.mode = planning(downgrade);
    r.conditionCostMs = 0; // a new condition, measured again
    this.disarmUntilPlanned(r);
    this.prepareDowngrade(r);
  }

  /**
   * Plans a downgraded probe's pause-free reads as soon as it is downgraded
   * (a hot line waits to be re-armed meanwhile), from where its breakpoint
   * sat; hits that come first are declined, never paused. The breakpoint is
   * set again with the reads when the plan arrives, and the status says
   * whether it captures without pausing once that is known.
   */
  private prepareDowngrade(r: ProbeRecord): void {
    if (this.byId.get(r.probe.id) !== r || r.mode.kind !== 'planning') return;
    const downgrade = r.mode.downgrade;
    this.planner.request(r, r.armedLine || r.resolvedLine, r.armedColumn || r.resolvedColumn, () => {
      this.measureConditionCost(r);
      this.disarmUntilPlanned(r);
      // Armed now unless a rate or budget disarm has its own time to re-arm it.
      if (!r.rearm && !this.arm(r)) return;
      this.setState(r, r.state, r.code, pausingNote(r.mode) || downgrade?.note || '', r.candidates);
    });
  }

  private rateDisarm(r: ProbeRecord): void {
    if (r.breakpointId && !r.bucket.has(performance.now())) this.outOfTokens(r, performance.now());
  }

  private disarmAllForBudget(): void {
    const now = performance.now();
    if (!this.budget.exceeded(now)) return;
    // A whole window, not just until the oldest slot expires: re-arming as soon
    // as a sliver of budget frees up would disarm again at once (and each
    // arm/disarm cycle costs milliseconds of its own).
    const wait = this.budget.windowMs;
    const spent = this.budget.breakdown(now);
    for (const r of this.byId.values()) {
      if (!r.breakpointId) continue;
      this.disarm(r, wait);
      this.noteOnce(r, 'budget', budgetNote(r, this.deps.rate.blockedMsPerSecond, spent));
    }
  }

  /**
   * Too many conditions compiled since the host's last full GC: every probe
   * is disarmed until the next one (no timer re-arms it), and says so once.
   */
  private disarmAllUntilGc(): void {
    if (this.passesSinceMajorGc <= this.deps.rate.maxPassesBetweenGcs) return; // a full GC came first
    for (const r of this.byId.values()) {
      if (r.breakpointId) this.disarm(r, 'gc');
      else if (r.rearm) this.rearms.waitForGc(r);
      else continue;
      this.noteOnce(r, 'gc', gcWaitNote(this.deps.rate.maxPassesBetweenGcs));
    }
    this.rearms.reschedule();
  }

  /** The host ran a full GC: the compiled conditions are gone, and probes waiting for it are due. */
  private afterMajorGc(): void {
    this.passesSinceMajorGc = 0;
    if (this.rearms.gcCame(performance.now())) this.rearmDue();
  }

  /** Adds a note to a probe's status, once per kind of note: statuses travel to the IDE. */
  private noteOnce(r: ProbeRecord, kind: NoteKind, note: string): void {
    if (r.noted.has(kind)) return;
    r.noted.add(kind);
    this.setState(r, r.state, r.code, [r.message, note].filter(Boolean).join('; '), r.candidates);
  }

  private emitLog(r: ProbeRecord, values: unknown[]): void {
    const redactor = this.deps.redactor();
    const formatted = formatLogMessage(r.templateSegments, values, r.templateNames, redactor, this.deps.limits.maxStringLength);
    this.counters.logLines++;
    const line = logLineMessage(this.deps, r, formatted, this.deps.traceIds());
    this.post(() => this.deps.onLog(line));
  }

  /** Runs delivery work after the current pause or condition evaluation has returned. */
  private post(work: () => void): void {
    this.outbox.push(work);
    this.soon.run('outbox', () => {
      const due = this.outbox;
      this.outbox = [];
      for (const w of due) w();
    });
  }

  // ---- capture -----------------------------------------------------------

  onPaused(event: PausedEvent): void {
    this.counters.pauses++;
    const asked = this.capturing;
    this.capturing = [];
    // Pauses that are not ours (a `debugger;` statement while we are enabled) resume at once.
    const due = asked.filter((c) => c.record.breakpointId && event.hitBreakpoints?.includes(c.record.breakpointId));
    const first = due[0];
    if (!first) return;
    const redactor = this.deps.redactor();
    const deps: CaptureDeps = {
      limits: widestLimits(due),
      redactor,
      scriptUrl: (id) => this.scripts.get(id)?.record.url ?? this.frameScriptUrls.get(id),
      handOff: this.deps.handOff,
    };
    // One capture serves every probe that asked for this pause: each took its token and counted its hit.
    const captured = captureFrames(event, deps);
    const blockedMs = performance.now() - first.startedAt;
    this.budget.spend(blockedMs, performance.now(), Spent.captures);
    for (const c of due) {
      // Two in a row: one slow pause may be the machine (the process descheduled, a cold first capture), two are the line.
      const r = c.record;
      r.slowPauses = blockedMs > r.limits.maxPauseMs ? r.slowPauses + 1 : 0;
      if (r.slowPauses >= SLOW_PAUSES_TO_DOWNGRADE) this.soon.run(`slow:${r.probe.id}`, () => this.pausedTooLong(r, blockedMs));
    }
    this.deliverSnapshots(due, captured, blockedMs, event.callFrames.length);
  }

  /** One snapshot per probe that asked for this capture; encoding and sending wait until the host runs on. */
  private deliverSnapshots(due: readonly Capturing[], captured: CapturedFrames, blockedMs: number, framesTotal: number): void {
    const snapshots: { record: ProbeRecord; snapshot: pb.Snapshot.$Properties }[] = [];
    for (const c of due) {
      const r = c.record;
      const snapshotId = randomBytes(8).toString('hex');
      if (c.trace) {
        try {
          c.trace.addSnapshotEvent(snapshotId);
        } catch {
          // A tracing SDK's failure is not the host's problem.
        }
      }
      const now = performance.now();
      if (r.breakpointId && !r.bucket.has(now)) this.outOfTokens(r, now);
      this.counters.snapshotsCaptured++;
      const snapshot = snapshotMessage(this.deps, c, snapshotId, captured, { ms: blockedMs, framesTotal });
      snapshots.push({ record: r, snapshot });
    }
    this.post(() =>
      this.originals.fill(captured.frames, captured.scriptIds, () =>
        // Guarded like any deferred work: the mapping may answer from the location worker's message.
        this.soon.run(`deliver:${++this.deliverSeq}`, () => {
          for (const { record, snapshot } of snapshots) this.deps.onSnapshot({ ...snapshot, frames: framesFor(record, captured) });
        }),
      ),
    );
  }

  // ---- status ------------------------------------------------------------

  private setState(r: ProbeRecord, state: pb.ProbeState, code: string, message: string, candidates: string[]): void {
    r.state = state;
    r.code = code;
    r.message = message;
    r.candidates = candidates;
    this.deps.onStatus(this.statusOfRecord(r));
  }

  private statusOfRecord(r: ProbeRecord): pb.ProbeStatus.$Properties {
    return recordStatusMessage(this.deps, this.deps.redactor(), r);
  }

  private statusOf(probeId: string, state: pb.ProbeState, code: string, message: string): pb.ProbeStatus.$Properties {
    return statusMessage(this.deps, this.deps.redactor(), probeId, state, code, message);
  }
}
