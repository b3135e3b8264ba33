/**
 * The expression that reads a probe's planned variables inside its
 * breakpoint condition: an array literal of plain identifiers, evaluated
 * only after the gate and the user's condition passed.
 *
 * No `eval`: a direct eval inside a condition leaked native memory on every
 * sampled hit (RSS +2.8 MB per 10k snapshots, not given back by a Debugger
 * reset; bench/memory.mjs), and needs code generation from strings. Plain
 * identifiers cannot throw here: the plan lists only names V8 keeps (the
 * probe function's own, and outer ones some closure uses), a binding in its
 * temporal dead zone reads as undefined in debug-evaluate, and the ones the
 * plan knows to be uninitialized are not read at all.
 */
import type { PlannedScope } from './scopePlan';

export interface ReaderSlots {
  /** An array literal with one item per read binding. */
  readonly expression: string;
  /** For each planned scope, for each of its bindings: its index in the array, or -1 when it is not read. */
  readonly slotOf: readonly (readonly number[])[];
}

export function buildReader(scopes: readonly PlannedScope[]): ReaderSlots {
  const reads: string[] = [];
  const slotOf = scopes.map((scope) =>
    scope.bindings.map((b) => {
      if (b.uninitialized) return -1;
      reads.push(b.name);
      return reads.length - 1;
    }),
  );
  return { expression: `[${reads.join(',')}]`, slotOf };
}
