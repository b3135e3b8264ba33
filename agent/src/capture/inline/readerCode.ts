/**
 * The expression that reads a probe's planned variables inside its
 * breakpoint condition: an array literal of identifiers, evaluated only
 * after the gate and the user's condition passed.
 *
 * No `eval`: a direct eval inside a condition leaked native memory on every
 * sampled hit (RSS +2.8 MB per 10k snapshots, not given back by a Debugger
 * reset; bench/memory.mjs), and needs code generation from strings.
 * The plan lists only names V8 keeps (the probe function's own, and outer
 * ones some closure uses), so a read cannot fall through to a global. A
 * stack slot in its temporal dead zone reads as undefined in debug-evaluate,
 * but a context slot throws: lexical bindings kept in a context are read
 * through a guard that yields the UNINITIALIZED marker instead.
 */
import type { PlannedScope } from './scopePlan';


export interface ReaderSlots {
  /** An array literal with one item per read binding. */
  readonly expression: string;
  /** For each planned scope, for each of its bindings: its index in the array, or -1 when it is not read. */
  readonly slotOf: readonly (readonly number[])[];
}

/** `uninitialized`: an expression for the serializer's UNINITIALIZED_VALUE, which a guarded read yields in a TDZ. */
export function buildReader(scopes: readonly PlannedScope[], uninitialized: string): ReaderSlots {
  const reads: string[] = [];
  const slotOf = scopes.map((scope) =>
    scope.bindings.map((b) => {
      if (b.uninitialized) return -1;
      reads.push(b.mayBeUninitialized ? `(()=>{try{return ${b.name}}catch{return ${uninitialized}}})()` : b.name);
      return reads.length - 1;
    }),
  );
  return { expression: `[${reads.join(',')}]`, slotOf };
}
