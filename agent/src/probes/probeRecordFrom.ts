import { pb } from '@keyhole/protocol';
import { limitsForProbe, type CaptureLimits } from '../capture/limits';
import type { RateSettings } from '../config';
import { compileCondition, compileTemplate, parseHitCondition } from '../expressions';
import { TokenBucket } from '../gate/tokenBucket';
import type { GrantAuthority } from '../grants/authority';
import { planning, pausing } from './captureMode';
import { buildBreakpointCondition } from './conditionBuilder';
import { placeholderNames } from './logFormat';
import type { ProbeRecord } from './probeRecord';

/** Why a probe from the broker is not taken: a code and a message for its status. */
export type Refusal = { readonly code: string; readonly message: string };

export interface ProbeRecordDeps {
  readonly authority: GrantAuthority;
  readonly limits: CaptureLimits;
  readonly rate: RateSettings;
}

/** Without callers' variables to read, a snapshot needs no pause at all. */
function wantsPauseFree(kind: pb.ProbeKind, limits: CaptureLimits): boolean {
  return kind === pb.ProbeKind.SNAPSHOT && limits.maxFramesWithLocals <= 1;
}

/**
 * Checks a probe from the broker (its kind and place, its grant, its
 * condition, hit condition and log template, each compiled here and refused
 * with a coded reason) and builds the record the gate reads on every pass.
 * `takeSlot` is called only for a probe that is taken.
 */
export function probeRecordFrom(probe: pb.Probe, takeSlot: () => number, deps: ProbeRecordDeps): { record: ProbeRecord } | Refusal {
  if (probe.kind !== pb.ProbeKind.SNAPSHOT && probe.kind !== pb.ProbeKind.LOGPOINT) {
    return { code: 'KH_PROBE_KIND', message: 'a probe must be a snapshot or a logpoint' };
  }
  const loc = probe.location;
  if (!loc || !loc.path || !(loc.line >= 1)) return { code: 'KH_PROBE_LOCATION', message: 'a probe needs a file path and a line (1-based)' };
  const auth = deps.authority.authorize(probe);
  if (!auth.ok) return { code: auth.code, message: auth.message };
  let compiledCondition: string | undefined;
  if (probe.condition.trim()) {
    const c = compileCondition(probe.condition);
    if (!c.ok) return { code: c.code, message: `condition refused: ${c.message}` };
    compiledCondition = c.js;
  }
  let hitTest: ((n: number) => boolean) | undefined;
  if (probe.hitCondition.trim()) {
    const h = parseHitCondition(probe.hitCondition);
    if (!h.ok) return { code: h.code, message: h.message };
    hitTest = (n) => h.test(n);
  }
  let segments: string[] = [];
  let valuesJs: string | undefined;
  if (probe.kind === pb.ProbeKind.LOGPOINT) {
    if (!probe.logTemplate) return { code: 'KH_PROBE_TEMPLATE', message: 'a logpoint needs a message template' };
    const t = compileTemplate(probe.logTemplate);
    if (!t.ok) return { code: t.code, message: `log message refused: ${t.message}` };
    segments = t.segments;
    valuesJs = t.valuesJs;
  }
  const slot = takeSlot();
  const now = performance.now();
  const logpoint = probe.kind === pb.ProbeKind.LOGPOINT;
  const limits = limitsForProbe(deps.limits, probe.framesWithLocals);
  const rate = deps.rate;
  const expiresAtMs = probe.expiresAtMs > 0 ? Math.min(probe.expiresAtMs, auth.notAfterMs) : auth.notAfterMs;
  const record: ProbeRecord = {
    slot,
    probe,
    kind: probe.kind,
    grantId: probe.grantId,
    expiresAtMs,
    maxHits: probe.maxHits || auth.maxHits || rate.defaultMaxHits,
    bucket: logpoint ? new TokenBucket(rate.logpointsPerSecond, rate.logpointBurst, now) : new TokenBucket(rate.snapshotsPerSecond, rate.snapshotBurst, now),
    hitTest,
    limits,
    condition: buildBreakpointCondition(slot, compiledCondition, valuesJs),
    compiledCondition,
    mode: wantsPauseFree(probe.kind, limits) ? planning() : pausing(),
    templateSegments: segments,
    templateNames: probe.kind === pb.ProbeKind.LOGPOINT ? placeholderNames(probe.logTemplate) : [],
    state: pb.ProbeState.PENDING,
    code: '',
    message: '',
    candidates: [],
    resolvedUrl: '',
    resolvedLine: 0,
    resolvedColumn: 0,
    originalPath: '',
    deployedSha256: '',
    breakpointId: undefined,
    armedLine: 0,
    armedColumn: 0,
    conditionHits: 0,
    conditionCostMs: 0,
    hits: 0,
    passes: 0,
    slowPauses: 0,
    noted: new Set(),
    rearm: undefined,
  };
  return { record };
}
