/**
 * The code that reads a probe's planned variables inside its breakpoint
 * condition. The condition calls it through a direct `eval`, so it is
 * compiled only on a sampled hit, never on the passes the gate declines
 * (V8 compiles every condition on every pass while the debugger is on, and
 * cost grows with its text).
 *
 * Each read sits in its own try, because V8 may have optimised away a
 * variable the source declares (a closure variable no inner function uses):
 * reading it throws, the slot stays a hole and the variable is left out, as a
 * pausing capture leaves it out. Only `let` is declared: a `var` in a sloppy
 * direct eval would add a variable to the host's function.
 */
import type { PlannedScope } from './scopePlan';

/** The eval code's own binding. A host variable of this name is not read (it would read ours). */
export const READER_BINDING = '__keyhole$values';

export interface ReaderSlots {
  /** The eval code. Its completion value is an array with one slot per read binding. */
  readonly code: string;
  /** For each planned scope, for each of its bindings: the array slot it was read into, or -1 when it was not read. */
  readonly slotOf: readonly (readonly number[])[];
}

export function buildReader(scopes: readonly PlannedScope[], isGlobalAccessor: (name: string) => boolean = globalAccessor): ReaderSlots {
  const reads: string[] = [];
  const slotOf = scopes.map((scope) =>
    scope.bindings.map((b) => {
      // An outer variable V8 optimised away resolves to the global object
      // instead; when that is an accessor (Node's lazy globals, a host's
      // getter), reading it would run code. Such a binding is left out.
      if (b.uninitialized || b.name === READER_BINDING || (scope.outer && isGlobalAccessor(b.name))) return -1;
      reads.push(`try{${READER_BINDING}[${reads.length}]=${b.name}}catch{}`);
      return reads.length - 1;
    }),
  );
  return { code: `let ${READER_BINDING}=[];${reads.join(';')};${READER_BINDING}`, slotOf };
}

let codeGeneration: boolean | undefined;

/**
 * Whether this process may compile code from strings: not under
 * --disallow-code-generation-from-strings, where the reader's eval would
 * throw on every sampled hit. Asked once.
 */
export function codeGenerationAllowed(): boolean {
  if (codeGeneration === undefined) {
    try {
      codeGeneration = typeof new Function('return 1') === 'function';
    } catch {
      codeGeneration = false;
    }
  }
  return codeGeneration;
}

/** Whether `name` is an accessor property of the global object or its prototypes (read through descriptors only). */
export function globalAccessor(name: string): boolean {
  for (let o: object | null = globalThis; o !== null; o = Reflect.getPrototypeOf(o)) {
    const d = Reflect.getOwnPropertyDescriptor(o, name);
    if (d) return d.get !== undefined || d.set !== undefined;
  }
  return false;
}
