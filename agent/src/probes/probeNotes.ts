// What a probe's status says when the agent holds it back: each note names
// the setting that decided and what the developer can do, so a snapshot that
// "never hits" explains itself in the IDE (docs/agent.md, troubleshooting).
import type { SpentBreakdown } from '../gate/blockedTimeBudget';
import type { Downgrade } from './captureMode';
import type { ProbeRecord } from './probeRecord';

/**
 * Why a probe may miss hits: the global budget disarmed every probe. Said
 * once per probe, with what spent the budget, so the developer whose
 * snapshot "never hits" is told the remedy that fits: on a busy line the
 * passes spent it (move the probe), where captures spent it (one slow pause
 * on a loaded machine, or many snapshots) a lighter or rarer capture helps.
 */
export function budgetNote(r: Pick<ProbeRecord, 'conditionCostMs' | 'passes'>, blockedMsPerSecond: number, spent: SpentBreakdown): string {
  const costUs = Math.max(1, Math.round(r.conditionCostMs * 1000));
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  const head =
    `the agent's budget of ${blockedMsPerSecond} ms per second for probes (rate.blockedMsPerSecond) ran out, so every probe is disarmed a second at a time, ` +
    `and passes over this line while it is disarmed are not checked and can be missed. In the last second ${ms(spent.checks)} went on checking passes, ` +
    `${ms(spent.captures)} on captures (snapshots and log lines), ${ms(spent.arming)} on re-arming probes. `;
  if (spent.captures >= spent.checks && spent.captures >= spent.arming) {
    return (
      head +
      `Captures spent most of it: a pause costs more with a deep stack, large scopes or a busy machine. ` +
      `Fewer frames with locals (framesWithLocals 1 captures without pausing), a lower hit rate, or a larger budget from ops help`
    );
  }
  return (
    head +
    `Its line ran ${r.passes} times while armed, about ${costUs} µs each; ` +
    `a line that runs less often (inside the branch you are after) is checked every time`
  );
}

/** Why every probe waits for the host's next full GC (RateSettings.maxPassesBetweenGcs). Said once per probe. */
export function gcWaitNote(maxPasses: number): string {
  return (
    `${maxPasses} condition evaluations ran since the process's last full garbage collection (rate.maxPassesBetweenGcs): V8 keeps each compiled condition until then, ` +
    `and thousands of them make some passes stall the process, so every probe is disarmed until the next full GC. A line that runs less often is checked for longer`
  );
}

/** Why a hot line's snapshots show no callers' variables (CaptureLimits.hotLineFramesWithLocals). */
export const HOT_LINE_NOTE = "this line runs more often than the probe's rate: captured without pausing, callers' variables left out";
export const HOT_LINE: Downgrade = { code: 'KH_CAPTURE_HOT_LINE', note: HOT_LINE_NOTE };

/** Why no pause at a deep stack (CaptureLimits.maxPauseStackDepth). */
export const tooDeepToPause = (maxDepth: number): string =>
  `this line ran more than ${maxDepth} frames deep (capture.maxPauseStackDepth), where a pause would block the service while V8 builds every frame`;

/** Why a probe that ran too deep for a pause captures without one. */
export function deepStack(maxDepth: number): Downgrade {
  return { code: 'KH_CAPTURE_DEEP_STACK', note: `${tooDeepToPause(maxDepth)}: captured without pausing, callers' variables left out` };
}
