import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import type { DebuggerControl } from '../inspector/debuggerControl';

/** Passes timed with and without the condition when measuring its cost. Default 24. */
export const CALIBRATION_PASSES = 24;
/** Lowest per-evaluation cost charged, whatever the measurement says. Default 0.03 ms (30 µs). */
export const MIN_CONDITION_COST_MS = 0.03;
/** Highest per-evaluation cost charged (a measurement disturbed by a GC). Default 2 ms. */
export const MAX_CONDITION_COST_MS = 2;
/** Distinct condition texts whose cost is remembered. Default 256. */
export const MAX_REMEMBERED_COSTS = 256;

// The line the calibration breakpoint goes on; found by its marker so the
// compiled file's line numbers need not be known in advance.
function calibrationTarget(x: number): number {
  return x + 1; // @keyhole-calibration-line
}

/**
 * What one evaluation of a breakpoint condition costs on this host, measured
 * per condition text when it is armed, and again as passes accumulate: V8 compiles the condition on every pass while the
 * debugger is on (shared/research: 30-120 µs, more on a loaded machine), and
 * a hit the gate declines still pays that. The probe manager charges this
 * figure to the global budget on every pass, so a probe on a hot line is
 * disarmed before it costs the host more than the budget allows. The
 * measurement sets the same condition (with a gate slot that always
 * declines) on a private function of the agent and times calls to it.
 */
export class ConditionCostMeter {
  private readonly costs = new Map<string, number>();
  private readonly url = pathToFileURL(__filename).href;
  private readonly line: number;

  constructor(private readonly control: DebuggerControl) {
    let line = 0;
    try {
      line = readFileSync(__filename, 'utf8').split('\n').findIndex((l) => l.includes('@keyhole-calibration-' + 'line')) + 1;
    } catch {
      line = 0;
    }
    this.line = line;
  }

  /** Milliseconds one pass over a line with this condition costs; `fallbackMs` when it cannot be measured. */
  costOf(condition: string, fallbackMs: number): number {
    return this.costs.get(condition) ?? this.measureAgain(condition, fallbackMs);
  }

  /**
   * Measures again what a known condition costs now: passes get slower as
   * V8's compiled conditions pile up between full GCs, so a figure from
   * arming goes stale (RateSettings.conditionCostRecheckPasses).
   */
  measureAgain(condition: string, fallbackMs: number): number {
    const measured = this.measure(condition);
    const cost = measured === undefined ? fallbackMs : Math.min(MAX_CONDITION_COST_MS, Math.max(MIN_CONDITION_COST_MS, measured));
    if (this.costs.size >= MAX_REMEMBERED_COSTS && !this.costs.has(condition)) this.costs.clear();
    this.costs.set(condition, cost);
    return cost;
  }

  private measure(condition: string): number | undefined {
    if (this.line <= 0) return undefined;
    const base = timePasses();
    const bp = this.control.setBreakpoint(this.url, this.line, 1, condition);
    if (!bp.ok) return undefined;
    try {
      return Math.max(0, timePasses() - base);
    } finally {
      this.control.removeBreakpoint(bp.breakpointId);
    }
  }
}

/** Median milliseconds of one call to the calibration target. */
function timePasses(): number {
  const samples: number[] = [];
  let sink = 0;
  for (let i = 0; i < CALIBRATION_PASSES; i++) {
    const t0 = performance.now();
    sink += calibrationTarget(i);
    samples.push(performance.now() - t0);
  }
  if (sink < 0) samples.push(0); // keeps the calls from being optimised away
  samples.sort((a, b) => a - b);
  return samples[samples.length >> 1]!;
}
