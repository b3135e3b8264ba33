// What the agent sends about its probes (snapshots, log lines, statuses), built
// from a probe's record: the message shapes, apart from when they are sent.
import type { pb } from '@keyhole/protocol';
import type { CaptureLimits } from '../capture/limits';
import type { CapturedFrames } from '../capture/snapshotCapture';
import { DROPPED_TEXT, type Redactor } from '../redact/redactor';
import type { ProbeRecord } from './probeRecord';

/** The instance every message comes from. */
export interface MessageOrigin {
  readonly service: string;
  readonly instanceId: string;
}

/** The active span when a hit was taken, from OpenTelemetry when it is present. */
export interface TraceIds {
  readonly traceId: string;
  readonly spanId: string;
  addSnapshotEvent(snapshotId: string): void;
}

/** One probe's part in a capture: one pause or pause-free read serves every probe that asked for it. */
export interface Capturing {
  readonly record: ProbeRecord;
  readonly startedAt: number;
  readonly trace: TraceIds | undefined;
}

/** The limits of the probe that wants the most frames with locals: one pause serves every probe that asked for it. */
export function widestLimits(due: readonly Capturing[]): CaptureLimits {
  let widest = due[0]!.record.limits;
  for (const c of due) if (c.record.limits.maxFramesWithLocals > widest.maxFramesWithLocals) widest = c.record.limits;
  return widest;
}

/** A shared capture cut down to what one probe asked for: frames past its frames-with-locals keep their place, not their variables. */
export function framesFor(r: ProbeRecord, captured: CapturedFrames): pb.StackFrame.$Properties[] {
  const n = r.limits.maxFramesWithLocals;
  if (!captured.frames.some((f, i) => i >= n && f.localsCaptured)) return captured.frames;
  return captured.frames.map((f, i) => (i < n || !f.localsCaptured ? f : { ...f, scopes: [], localsCaptured: false }));
}

/** A snapshot of one probe's capture, frames as captured (framesFor cuts them when it is sent). */
export function snapshotMessage(
  origin: MessageOrigin,
  c: Capturing,
  snapshotId: string,
  captured: CapturedFrames,
  blocked: { readonly ms: number; readonly framesTotal: number },
): pb.Snapshot.$Properties {
  const r = c.record;
  return {
    id: snapshotId,
    probeId: r.probe.id,
    grantId: r.grantId,
    service: origin.service,
    instanceId: origin.instanceId,
    capturedAtMs: Date.now(),
    frames: captured.frames,
    ...(captured.framesCut ? { framesCut: captured.framesCut } : {}),
    errors: captured.errors,
    traceId: c.trace?.traceId ?? '',
    spanId: c.trace?.spanId ?? '',
    stats: { durationMicros: Math.round(blocked.ms * 1000), framesTotal: blocked.framesTotal },
    maskedKinds: captured.maskedKinds,
  };
}

/** A logpoint's line, its message already formatted and masked. */
export function logLineMessage(
  origin: MessageOrigin,
  r: ProbeRecord,
  formatted: { readonly text: string; readonly dropped: boolean; readonly kinds: string[] },
  trace: TraceIds | undefined,
): pb.LogLine.$Properties {
  const location = r.probe.location!;
  return {
    probeId: r.probe.id,
    grantId: r.grantId,
    service: origin.service,
    instanceId: origin.instanceId,
    loggedAtMs: Date.now(),
    message: formatted.dropped ? DROPPED_TEXT : formatted.text,
    location: { path: r.originalPath || location.path, line: location.line, column: location.column || 1 },
    traceId: trace?.traceId ?? '',
    spanId: trace?.spanId ?? '',
    maskedKinds: formatted.kinds,
  };
}

/** A probe's status by id, for probes refused before they have a record. Messages can echo values (a condition, a path): masked like any value. */
export function statusMessage(origin: MessageOrigin, redactor: Redactor, probeId: string, state: pb.ProbeState, code: string, message: string): pb.ProbeStatus.$Properties {
  const masked = redactor.maskText(message);
  return { probeId, state, code, message: masked.dropped ? DROPPED_TEXT : masked.text, instanceId: origin.instanceId, updatedAtMs: Date.now() };
}

/** A probe's status from its record: where it sits, what it found, how often it ran. */
export function recordStatusMessage(origin: MessageOrigin, redactor: Redactor, r: ProbeRecord): pb.ProbeStatus.$Properties {
  return {
    ...statusMessage(origin, redactor, r.probe.id, r.state, r.code, r.message),
    candidates: r.candidates,
    resolvedUrl: r.resolvedUrl,
    resolvedLine: r.resolvedLine,
    deployedSha256: r.deployedSha256,
    hits: r.hits,
  };
}
