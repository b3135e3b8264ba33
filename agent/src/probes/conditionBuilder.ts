/**
 * Builds the condition V8 evaluates on every pass over a probe's line. The
 * gate comes first so that a probe without tokens, grant or budget declines
 * before any user expression is evaluated; `hit` then decides whether this
 * pass pauses (snapshot) or logs without pausing (logpoint). Only code
 * compiled by agent/src/expressions reaches here, never raw user text.
 */
export const RUNTIME_GLOBAL = '__keyhole';

export function buildBreakpointCondition(slot: number, compiledCondition: string | undefined, compiledValues: string | undefined, inlineReads?: string): string {
  const gate = `${RUNTIME_GLOBAL}.gate(${slot})`;
  const user = compiledCondition ? ` && (${compiledCondition})` : '';
  const hit = `${RUNTIME_GLOBAL}.hit(${slot}, ${compiledValues ?? '[]'})`;
  // A pause-free snapshot reads its variables right here, with the array of
  // names planned for this line (capture/inline/readerCode.ts), evaluated only
  // when the gate and the user's condition passed; `inline` returns false: no pause.
  const inline = inlineReads !== undefined ? ` && ${RUNTIME_GLOBAL}.inline(${slot}, this, ${inlineReads})` : '';
  return `${gate}${user} && ${hit}${inline}`;
}
