/**
 * Builds the frames of a snapshot taken inside the breakpoint condition,
 * without pausing: the probe frame's planned variables (read by the
 * condition's eval, see readerCode.ts), `this`, and the call stack from
 * CallSites. Callers' variables are not reachable without a pause, so only
 * the top frame has locals. Same output as captureFrames (snapshotCapture.ts).
 */
import { pb } from '@keyhole/protocol';
import type { Redactor } from '../../redact/redactor';
import type { CaptureLimits } from '../limits';
import { createSerializeContext, serializeVariables } from '../serializer';
import { UNINITIALIZED_VALUE } from '../serializerProperties';
import { thisScope, type CapturedFrames } from '../snapshotCapture';
import type { TakenStack } from './callSiteStack';
import type { ReaderSlots } from './readerCode';
import type { PlannedScope } from './scopePlan';

export interface InlineCaptureInput {
  readonly scopes: readonly PlannedScope[];
  readonly reader: ReaderSlots;
  /** What the reader's eval returned. */
  readonly values: unknown;
  readonly self: unknown;
  readonly stack: TakenStack;
  readonly limits: CaptureLimits;
  readonly redactor: Redactor;
}

export function captureInline(input: InlineCaptureInput): CapturedFrames {
  const { limits, stack } = input;
  const ctx = createSerializeContext(limits, input.redactor);
  const errors: pb.CaptureError.$Properties[] = [];
  if (stack.error !== undefined) errors.push({ code: 'KH_CAPTURE_STACK', message: `the call stack could not be read: ${stack.error}` });
  const frames: pb.StackFrame.$Properties[] = stack.entries.map((e, i) => ({
    functionName: e.functionName,
    generated: { path: e.url, line: e.line, column: e.column },
    scopes: [],
    localsCaptured: i === 0 && limits.maxFramesWithLocals > 0,
  }));
  const top = frames[0];
  if (top && limits.maxFramesWithLocals > 0) {
    const values = Array.isArray(input.values) ? (input.values as unknown[]) : [];
    if (!Array.isArray(input.values)) errors.push({ code: 'KH_CAPTURE_HANDOFF', message: 'the variables could not be read' });
    input.scopes.forEach((scope, s) => {
      if ((scope.kind === pb.ScopeKind.CLOSURE || scope.kind === pb.ScopeKind.MODULE) && limits.maxFramesWithClosures < 1) return;
      const holder = holderOf(scope, input.reader.slotOf[s] ?? [], values);
      const { variables, cut } = serializeVariables(holder, ctx);
      if (!variables.length && scope.total === 0) return;
      const planCut = scope.total > scope.bindings.length ? { reason: pb.CutReason.PROPERTY_COUNT, originalSize: scope.total } : undefined;
      const anyCut = cut ?? planCut;
      top.scopes!.push({ kind: scope.kind, name: scope.name, variables, ...(anyCut ? { cut: anyCut } : {}) });
    });
    // As a pausing capture does: `this` unless it is undefined (strict code called without a receiver).
    if (input.self !== undefined) top.scopes!.push(thisScope(input.self, ctx));
  }
  errors.push(...ctx.errors);
  return {
    frames,
    // The url stands in for the script id: the script index finds a script by either.
    scriptIds: stack.entries.map((e) => e.url),
    framesCut: stack.more ? { reason: pb.CutReason.DEPTH, originalSize: 0 } : undefined,
    errors,
    maskedKinds: [...ctx.maskedKinds],
  };
}

/**
 * A null-prototype object of the scope's variables that were read; those in
 * their TDZ carry the serializer's marker. A read slot missing from the
 * array is one too: an import whose module is still evaluating (suspended
 * at a top-level await) reaches the condition as V8's internal hole value,
 * which the array literal stores as a missing element, never as a value.
 */
function holderOf(scope: PlannedScope, slots: readonly number[], values: unknown[]): object {
  const holder: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  scope.bindings.forEach((b, i) => {
    const slot = slots[i] ?? -1;
    if (b.uninitialized || (slot >= 0 && slot < values.length && !(slot in values))) holder[b.name] = UNINITIALIZED_VALUE;
    else if (slot >= 0 && slot in values) holder[b.name] = values[slot];
  });
  return holder;
}
