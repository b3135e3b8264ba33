/**
 * Builds the condition V8 evaluates on every pass over a probe's line. The
 * gate comes first so that a probe without tokens, grant or budget declines
 * before any user expression is evaluated; `hit` then decides whether this
 * pass pauses (snapshot) or logs without pausing (logpoint). Only code
 * compiled by agent/src/expressions reaches here, never raw user text.
 */
export const RUNTIME_GLOBAL = '__keyhole';

export function buildBreakpointCondition(slot: number, compiledCondition: string | undefined, compiledValues: string | undefined, pauseFree = false): string {
  const gate = `${RUNTIME_GLOBAL}.gate(${slot})`;
  const user = compiledCondition ? ` && (${compiledCondition})` : '';
  const hit = `${RUNTIME_GLOBAL}.hit(${slot}, ${compiledValues ?? '[]'})`;
  // A pause-free snapshot reads its variables right here, through a direct
  // eval of code planned for this line (capture/inline/readerCode.ts), which
  // V8 compiles only on a sampled hit; `inline` returns false (no pause), or
  // true to fall back to a pausing capture when no plan could be made.
  const inline = pauseFree ? ` && ${RUNTIME_GLOBAL}.inline(${slot}, this, eval(${RUNTIME_GLOBAL}.reader(${slot})))` : '';
  return `${gate}${user} && ${hit}${inline}`;
}
