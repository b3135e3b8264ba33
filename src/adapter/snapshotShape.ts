// Problems in a snapshot that decoded but is not shaped as agents write it:
// a frame without a position, a value or scope of a kind this adapter does
// not know (a newer agent, or a broken one). The snapshot is still shown;
// these are said once, so the developer knows why a view looks odd. Pure.
import { pb } from '@keyhole/protocol';

export const SNAPSHOT_SHAPE_LIMITS = {
  /** Problems named in the message; more are counted. */
  maxProblemsShown: 5,
  /** Values looked at per snapshot, so a huge one cannot stall the adapter. */
  maxValuesChecked: 20_000,
} as const;

const knownKind = (k: number | null | undefined) => k !== null && k !== undefined && k > 0 && pb.ValueKind[k] !== undefined;

/** What is odd about the snapshot, in words, or [] when nothing is. */
export function shapeProblems(s: pb.ISnapshot): string[] {
  const problems: string[] = [];
  let budget = SNAPSHOT_SHAPE_LIMITS.maxValuesChecked;
  const checkValue = (where: string, v: pb.IValue | null | undefined): void => {
    if (budget-- <= 0 || !v) return;
    if (!knownKind(v.kind)) problems.push(`${where} has unknown value kind ${String(v.kind ?? 0)}`);
    for (const p of v.properties ?? []) checkValue(`${where}.${p.name ?? '?'}`, p.value);
    for (const [i, e] of (v.entries ?? []).entries()) {
      checkValue(`${where} entry ${i} key`, e.key);
      checkValue(`${where} entry ${i}`, e.value);
    }
  };
  for (const [i, f] of (s.frames ?? []).entries()) {
    const name = `frame ${i} (${f.functionName || 'anonymous'})`;
    const pos = f.original?.path ? f.original : f.generated;
    if (!pos?.path || !pos.line) problems.push(`${name} has no source position`);
    for (const scope of f.scopes ?? []) {
      const scopeName = pb.ScopeKind[scope.kind ?? 0];
      if (!scope.kind || scopeName === undefined) problems.push(`${name} has a scope of unknown kind ${String(scope.kind ?? 0)}`);
      for (const v of scope.variables ?? []) checkValue(`${name} ${v.name ?? '?'}`, v.value);
    }
  }
  return problems;
}

/** One line for the debug console, naming at most maxProblemsShown problems. */
export function shapeMessage(snapshotId: string, problems: readonly string[]): string {
  const shown = problems.slice(0, SNAPSHOT_SHAPE_LIMITS.maxProblemsShown).join('; ');
  const more = problems.length > SNAPSHOT_SHAPE_LIMITS.maxProblemsShown ? ` and ${problems.length - SNAPSHOT_SHAPE_LIMITS.maxProblemsShown} more` : '';
  return `KH_SNAPSHOT_SHAPE: snapshot ${snapshotId} is shown, but it is not shaped as agents write it: ${shown}${more}`;
}
