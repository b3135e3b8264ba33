/**
 * A captured snapshot as a compact tree for a terminal: the stack, then the
 * variables of the frames that have them. It prints what the agent sent,
 * already masked; masked values show as the agent wrote them
 * (`[MASKED:email]`), cut values say what was cut. It reads the JSON of
 * `GET /v1/snapshots/:id` (pb.Snapshot.toObject with enum names).
 */

export interface ValueJson {
  kind?: string;
  text?: string;
  className?: string;
  properties?: PropertyJson[];
  entries?: { key?: ValueJson; value?: ValueJson }[];
  cut?: { reason?: string; originalSize?: number };
  masked?: string[];
}
export interface PropertyJson {
  name?: string;
  value?: ValueJson;
}
interface PositionJson {
  path?: string;
  line?: number;
  column?: number;
}
export interface SnapshotJson {
  id?: string;
  probeId?: string;
  service?: string;
  instanceId?: string;
  capturedAtMs?: number;
  frames?: { functionName?: string; generated?: PositionJson; original?: PositionJson; scopes?: { kind?: string; name?: string; variables?: PropertyJson[] }[] }[];
  framesCut?: { reason?: string; originalSize?: number };
  errors?: { code?: string; message?: string }[];
  traceId?: string;
  maskedKinds?: string[];
}

export interface TreeLimits {
  /** Frames listed; the rest are counted. Default 8. */
  readonly maxFrames: number;
  /** Innermost frames whose variables are shown (the one a breakpoint opens on first). Default 1. */
  readonly maxFramesWithVariables: number;
  /** Nesting shown below a variable. Default 3. */
  readonly maxDepth: number;
  /** Properties or entries shown per object; the rest are counted. Default 12. */
  readonly maxChildren: number;
  /** Scope kinds whose variables are shown. Default local, block, this, catch (closures and modules are long). */
  readonly scopeKinds: readonly string[];
}

export const DEFAULT_TREE_LIMITS: TreeLimits = { maxFrames: 8, maxFramesWithVariables: 1, maxDepth: 3, maxChildren: 12, scopeKinds: ['LOCAL', 'BLOCK', 'THIS', 'CATCH'] };

const PRIMITIVE_QUOTED = new Set(['STRING']);
const MARKER = /^\[(MASKED|DROPPED):/;

function where(p: PositionJson | undefined): string {
  return p?.path ? `${p.path}:${p.line ?? 0}${p.column ? `:${p.column}` : ''}` : '?';
}

function cutNote(cut: ValueJson['cut']): string {
  if (!cut?.reason) return '';
  return ` (cut: ${cut.reason.toLowerCase()}${cut.originalSize ? `, was ${cut.originalSize}` : ''})`;
}

/** One line for a value: strings quoted unless they are a mask marker, objects by class and size. */
export function valueText(v: ValueJson | undefined): string {
  if (!v) return 'undefined';
  const text = v.text ?? '';
  if (v.kind && PRIMITIVE_QUOTED.has(v.kind) && !MARKER.test(text)) return JSON.stringify(text) + cutNote(v.cut);
  if (v.kind === 'UNDEFINED') return 'undefined';
  if (v.kind === 'NULL') return 'null';
  const label = v.className && !text.startsWith(v.className) ? `${v.className} ${text}`.trim() : text || v.className || (v.kind ?? '?').toLowerCase();
  return label + cutNote(v.cut);
}

function children(v: ValueJson): [string, ValueJson | undefined][] {
  const props: [string, ValueJson | undefined][] = (v.properties ?? []).map((p) => [p.name ?? '?', p.value]);
  const entries: [string, ValueJson | undefined][] = (v.entries ?? []).map((e) => (e.key ? [valueText(e.key), e.value] : ['•', e.value]));
  return [...props, ...entries];
}

function renderValue(name: string, v: ValueJson | undefined, indent: string, depth: number, limits: TreeLimits, out: string[]): void {
  out.push(`${indent}${name} = ${valueText(v)}`);
  if (!v) return;
  const kids = children(v);
  if (kids.length === 0) return;
  if (depth >= limits.maxDepth) {
    out.push(`${indent}  … ${kids.length} more`);
    return;
  }
  for (const [n, child] of kids.slice(0, limits.maxChildren)) renderValue(n, child, indent + '  ', depth + 1, limits, out);
  if (kids.length > limits.maxChildren) out.push(`${indent}  … ${kids.length - limits.maxChildren} more`);
}

export function renderSnapshotTree(s: SnapshotJson, limits: TreeLimits = DEFAULT_TREE_LIMITS): string {
  const out: string[] = [];
  const at = s.capturedAtMs ? new Date(s.capturedAtMs).toISOString() : '?';
  out.push(`snapshot ${s.id ?? '?'}  probe ${s.probeId ?? '?'}  ${s.service ?? '?'}/${s.instanceId ?? '?'}  ${at}`);
  if (s.maskedKinds?.length) out.push(`masked: ${s.maskedKinds.join(', ')}`);
  if (s.traceId) out.push(`trace ${s.traceId}`);
  for (const e of s.errors ?? []) out.push(`capture error ${e.code ?? '?'}: ${e.message ?? ''}`);
  const frames = s.frames ?? [];
  frames.slice(0, limits.maxFrames).forEach((f, i) => {
    out.push(`#${i} ${f.functionName || '(anonymous)'}  ${where(f.original ?? f.generated)}`);
    if (i >= limits.maxFramesWithVariables) return;
    for (const scope of f.scopes ?? []) {
      if (!scope.kind || !limits.scopeKinds.includes(scope.kind)) continue;
      out.push(`   ${scope.kind.toLowerCase()}${scope.name ? ` ${scope.name}` : ''}`);
      for (const v of scope.variables ?? []) renderValue(v.name ?? '?', v.value, '     ', 0, limits, out);
    }
  });
  const hidden = frames.length - Math.min(frames.length, limits.maxFrames) + (s.framesCut?.originalSize ? Math.max(0, s.framesCut.originalSize - frames.length) : 0);
  if (hidden > 0) out.push(`… ${hidden} more frames`);
  return out.join('\n') + '\n';
}
