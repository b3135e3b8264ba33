import { pb } from '@keyhole/protocol';
import type { CallFrame, PausedEvent } from '../inspector/debuggerControl';
import type { Redactor } from '../redact/redactor';
import type { CaptureLimits } from './limits';
import { createSerializeContext, serializeValue, serializeVariables, type SerializeContext } from './serializer';

/** Scope types worth showing. global/script scopes are the whole program: left out. */
const SCOPE_KINDS: Readonly<Record<string, pb.ScopeKind>> = {
  local: pb.ScopeKind.LOCAL,
  closure: pb.ScopeKind.CLOSURE,
  block: pb.ScopeKind.BLOCK,
  catch: pb.ScopeKind.CATCH,
  module: pb.ScopeKind.MODULE,
};

export interface CaptureDeps {
  readonly limits: CaptureLimits;
  readonly redactor: Redactor;
  /** Script URL by id, for frames whose url V8 leaves empty. */
  readonly scriptUrl: (scriptId: string) => string | undefined;
  /** Hands scope objects to JS; returns them in the order given. */
  readonly handOff: (objectIds: readonly string[]) => unknown[];
}

interface PlannedScope {
  readonly frame: number;
  readonly kind: pb.ScopeKind;
  readonly name: string;
}

export interface CapturedFrames {
  frames: pb.StackFrame.$Properties[];
  /** The script of each frame, for mapping to original positions after the pause. */
  scriptIds: string[];
  framesCut: pb.Cut.$Properties | undefined;
  errors: pb.CaptureError.$Properties[];
  maskedKinds: string[];
}

/**
 * Builds the stack and variables of a snapshot from a Debugger.paused event.
 * Runs inside the pause, so it is synchronous and bounded by the limits;
 * errors end up in `errors`, never thrown.
 */
export function captureFrames(event: PausedEvent, deps: CaptureDeps): CapturedFrames {
  const { limits } = deps;
  const ctx = createSerializeContext(limits, deps.redactor);
  const callFrames = event.callFrames;
  const shown = callFrames.slice(0, limits.maxFrames);
  const plan: PlannedScope[] = [];
  const objectIds: string[] = [];
  const withLocals = Math.min(shown.length, limits.maxFramesWithLocals);
  for (let i = 0; i < withLocals; i++) {
    const f = shown[i]!;
    for (const s of f.scopeChain) {
      const kind = SCOPE_KINDS[s.type];
      if (kind === undefined || !s.object.objectId) continue;
      if ((kind === pb.ScopeKind.CLOSURE || kind === pb.ScopeKind.MODULE) && i >= limits.maxFramesWithClosures) continue;
      plan.push({ frame: i, kind, name: s.name ?? '' });
      objectIds.push(s.object.objectId);
    }
    if (f.this.objectId) {
      plan.push({ frame: i, kind: pb.ScopeKind.THIS, name: 'this' });
      objectIds.push(f.this.objectId);
    }
  }
  let received: unknown[] = [];
  const errors: pb.CaptureError.$Properties[] = [];
  if (objectIds.length) {
    try {
      received = deps.handOff(objectIds);
    } catch (err) {
      errors.push({ code: 'KH_CAPTURE_HANDOFF', message: `variables could not be read: ${err instanceof Error ? err.message : String(err)}` });
    }
  }
  const frames: pb.StackFrame.$Properties[] = shown.map((f, i) => frameOf(f, deps, i < withLocals));
  plan.forEach((p, i) => {
    if (i >= received.length) return;
    const frame = frames[p.frame]!;
    const scopes = (frame.scopes ??= []);
    const holder = received[i];
    if (p.kind === pb.ScopeKind.THIS) {
      scopes.push(thisScope(holder, ctx));
    } else if (holder !== null && typeof holder === 'object') {
      const { variables, cut } = serializeVariables(holder, ctx);
      scopes.push({ kind: p.kind, name: p.name, variables, ...(cut ? { cut } : {}) });
    }
  });
  // `this` of a frame whose receiver is a primitive (undefined in strict code) needs no hand-off.
  for (let i = 0; i < withLocals; i++) {
    const f = shown[i]!;
    if (!f.this.objectId && f.this.type !== 'undefined') {
      (frames[i]!.scopes ??= []).push(thisScope(f.this.value, ctx));
    }
  }
  errors.push(...ctx.errors);
  return {
    frames,
    scriptIds: shown.map((f) => f.location.scriptId),
    framesCut: callFrames.length > shown.length ? { reason: pb.CutReason.DEPTH, originalSize: callFrames.length } : undefined,
    errors,
    maskedKinds: [...ctx.maskedKinds],
  };
}

/** A frame's receiver, shown as a scope of its own holding one variable, `this`. */
export function thisScope(value: unknown, ctx: SerializeContext): pb.Scope.$Properties {
  return { kind: pb.ScopeKind.THIS, name: 'this', variables: [{ name: 'this', value: serializeValue(value, ctx) }] };
}

function frameOf(f: CallFrame, deps: CaptureDeps, localsCaptured: boolean): pb.StackFrame.$Properties {
  const line = f.location.lineNumber + 1;
  const column = (f.location.columnNumber ?? 0) + 1;
  const url = f.url || deps.scriptUrl(f.location.scriptId) || '';
  return {
    functionName: f.functionName || '(anonymous)',
    generated: { path: url, line, column },
    scopes: [],
    localsCaptured,
  };
}
