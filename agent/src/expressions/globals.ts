/**
 * Global accessors whose values the runtime captures once, when it is
 * created (agent start, Node's own getters), so `process.env.X` works in a
 * condition without running a getter per hit. In an expression these names
 * always mean the global (a local of the same name is not seen). Any other
 * name that resolves to a global accessor (`crypto`, `performance`, an
 * application's own) makes the whole expression decline before it is read.
 */
export const CAPTURED_GLOBAL_ACCESSORS: readonly string[] = Object.freeze(['process', 'Buffer']);

export function isCapturedGlobal(name: string): boolean {
  return CAPTURED_GLOBAL_ACCESSORS.includes(name);
}
