// Open snapshots as DAP threads, frames, scopes and variables, with lazy
// variable references. Knows the snapshot data model, not the wire or DAP
// requests; the session asks it questions.
import { type DebugProtocol } from '@vscode/debugprotocol';
import { pb } from '@keyhole/protocol';
import { cutText, presentationHint, typeText, valueText } from './valueText';

type Container =
  | { readonly kind: 'scope'; readonly variables: readonly pb.IProperty[]; readonly cut: pb.ICut | null | undefined }
  | { readonly kind: 'value'; readonly value: pb.IValue };

export interface OpenSnapshot {
  readonly threadId: number;
  readonly name: string;
  readonly snapshot: pb.ISnapshot;
}

/** What a frame's source is, resolved by the session's SourceMapper. */
export type SourceResolver = (path: string) => DebugProtocol.Source;

const SCOPE_NAMES: Readonly<Record<number, string>> = {
  [pb.ScopeKind.LOCAL]: 'Local',
  [pb.ScopeKind.CLOSURE]: 'Closure',
  [pb.ScopeKind.THIS]: 'This',
  [pb.ScopeKind.BLOCK]: 'Block',
  [pb.ScopeKind.MODULE]: 'Module',
  [pb.ScopeKind.CATCH]: 'Catch',
};

/** Order in which evaluate looks a name up: innermost first. */
export const LOOKUP_ORDER: readonly pb.ScopeKind[] = [pb.ScopeKind.BLOCK, pb.ScopeKind.CATCH, pb.ScopeKind.LOCAL, pb.ScopeKind.CLOSURE, pb.ScopeKind.MODULE, pb.ScopeKind.THIS];

/**
 * What a frame without variables shows instead of an empty Variables view: a
 * snapshot keeps variables for its first frames only (the probe's
 * framesWithLocals, or the agent's capture.maxFramesWithLocals).
 */
export function notCapturedScope(s: pb.ISnapshot): DebugProtocol.Scope {
  const kept = (s.frames ?? []).filter((f) => f.localsCaptured).length;
  const name = kept === 0 ? 'Variables not captured in this snapshot' : `Variables not captured: this snapshot has them for its first ${kept === 1 ? 'frame' : `${kept} frames`} only (framesWithLocals)`;
  return { name, variablesReference: 0, expensive: false };
}

export function threadName(s: pb.ISnapshot, probeLabel: string): string {
  const at = new Date(Number(s.capturedAtMs ?? 0)).toISOString().slice(11, 23);
  return `${probeLabel} @ ${s.instanceId || 'unknown instance'} ${at}`;
}

export class SnapshotModel {
  private nextThreadId = 1;
  private nextRef = 1;
  private readonly threads = new Map<number, OpenSnapshot>();
  /** frame id -> thread and frame index; ids are threadId * FRAME_ID_STRIDE + index. */
  private readonly refs = new Map<number, { threadId: number; container: Container }>();
  static readonly FRAME_ID_STRIDE = 10_000;

  open(snapshot: pb.ISnapshot, probeLabel: string): OpenSnapshot {
    const threadId = this.nextThreadId++;
    const open = { threadId, name: threadName(snapshot, probeLabel), snapshot };
    this.threads.set(threadId, open);
    return open;
  }

  /** Dismisses a snapshot's thread and forgets its variable references. */
  close(threadId: number): boolean {
    if (!this.threads.delete(threadId)) return false;
    for (const [ref, r] of this.refs) if (r.threadId === threadId) this.refs.delete(ref);
    return true;
  }

  thread(threadId: number): OpenSnapshot | undefined {
    return this.threads.get(threadId);
  }

  threadList(): DebugProtocol.Thread[] {
    return [...this.threads.values()].map((t) => ({ id: t.threadId, name: t.name }));
  }

  frame(frameId: number): { open: OpenSnapshot; frame: pb.IStackFrame; index: number } | undefined {
    const threadId = Math.floor(frameId / SnapshotModel.FRAME_ID_STRIDE);
    const index = frameId % SnapshotModel.FRAME_ID_STRIDE;
    const open = this.threads.get(threadId);
    const frame = open?.snapshot.frames?.[index];
    return open && frame ? { open, frame, index } : undefined;
  }

  stackFrames(threadId: number, resolve: SourceResolver, start = 0, levels = 0): { frames: DebugProtocol.StackFrame[]; total: number } | undefined {
    const open = this.threads.get(threadId);
    if (!open) return undefined;
    const all = open.snapshot.frames ?? [];
    const end = levels > 0 ? Math.min(all.length, start + levels) : all.length;
    const frames: DebugProtocol.StackFrame[] = [];
    for (let i = start; i < end && i < SnapshotModel.FRAME_ID_STRIDE; i++) {
      const f = all[i]!;
      const pos = f.original?.path ? f.original : f.generated;
      const source = pos?.path ? resolve(pos.path) : undefined;
      frames.push({
        id: threadId * SnapshotModel.FRAME_ID_STRIDE + i,
        name: f.functionName || '(anonymous)',
        line: pos?.line ?? 0,
        column: pos?.column ?? 0,
        ...(source ? { source } : {}),
        ...(f.localsCaptured ? {} : { presentationHint: 'subtle' as const }),
      });
    }
    if (open.snapshot.framesCut?.reason) {
      frames.push({ id: threadId * SnapshotModel.FRAME_ID_STRIDE + (SnapshotModel.FRAME_ID_STRIDE - 1), name: `… more frames not captured${cutText(open.snapshot.framesCut).replace(' … ', ' ')}`, line: 0, column: 0, presentationHint: 'label' });
    }
    return { frames, total: frames.length };
  }

  scopes(frameId: number): DebugProtocol.Scope[] | undefined {
    const found = this.frame(frameId);
    if (!found) return undefined;
    const { open, frame } = found;
    if (!frame.localsCaptured && !(frame.scopes ?? []).length) return [notCapturedScope(open.snapshot)];
    return (frame.scopes ?? []).map((s) => {
      const base = SCOPE_NAMES[s.kind ?? 0] ?? 'Scope';
      return {
        name: s.name && s.kind === pb.ScopeKind.CLOSURE ? `${base} (${s.name})` : base,
        presentationHint: s.kind === pb.ScopeKind.LOCAL ? ('locals' as const) : undefined,
        variablesReference: this.ref(open.threadId, { kind: 'scope', variables: s.variables ?? [], cut: s.cut }),
        namedVariables: (s.variables ?? []).length,
        expensive: false,
      };
    });
  }

  variables(ref: number): DebugProtocol.Variable[] | undefined {
    const r = this.refs.get(ref);
    if (!r) return undefined;
    const c = r.container;
    if (c.kind === 'scope') {
      const vars = c.variables.map((p) => this.variable(r.threadId, p.name ?? '', p.value ?? {}));
      if (c.cut?.reason) vars.push(cutMarker(c.cut));
      return vars;
    }
    const v = c.value;
    const out = (v.properties ?? []).map((p) => this.variable(r.threadId, p.name ?? '', p.value ?? {}));
    (v.entries ?? []).forEach((e, i) => {
      if (v.kind === pb.ValueKind.SET || !e.key) out.push(this.variable(r.threadId, `[${i}]`, e.value ?? {}));
      else out.push(this.variable(r.threadId, valueText(e.key), e.value ?? {}));
    });
    if (v.cut?.reason && v.kind !== pb.ValueKind.STRING) out.push(cutMarker(v.cut));
    return out;
  }

  /** A DAP variable for a captured value; children get a reference only when there are any. */
  variable(threadId: number, name: string, value: pb.IValue): DebugProtocol.Variable {
    const hasChildren = (value.properties?.length ?? 0) > 0 || (value.entries?.length ?? 0) > 0;
    return {
      name,
      value: valueText(value),
      type: typeText(value),
      presentationHint: presentationHint(value),
      variablesReference: hasChildren ? this.ref(threadId, { kind: 'value', value }) : 0,
    };
  }

  private ref(threadId: number, container: Container): number {
    const ref = this.nextRef++;
    this.refs.set(ref, { threadId, container });
    return ref;
  }
}

function cutMarker(cut: pb.ICut): DebugProtocol.Variable {
  return { name: '…', value: cutText(cut).replace(/^ … /, ''), variablesReference: 0, presentationHint: { kind: 'virtual', attributes: ['readOnly'] } };
}
