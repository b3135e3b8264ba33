/**
 * What the agent spent main-thread time on: checking conditions on passes,
 * capturing (pauses, pause-free reads, log lines), or setting and removing
 * breakpoints. Kept apart so that a budget that ran out can say which one
 * spent it, and the developer is told the remedy that fits.
 */
export const Spent = { checks: 0, captures: 1, arming: 2 } as const;
export type SpentOn = (typeof Spent)[keyof typeof Spent];
export type SpentBreakdown = Record<keyof typeof Spent, number>;
const KINDS = 3;

/**
 * The global budget of main-thread time that captures may block, over a
 * rolling window (default 10 ms per 1000 ms). Spending is recorded in
 * fixed slots so the check on the hot path is a subtraction, not a scan.
 */
export class BlockedTimeBudget {
  private static readonly SLOTS = 10;
  private readonly slotMs: number;
  private readonly spent = new Float64Array(BlockedTimeBudget.SLOTS);
  /** Per slot, the same time split by what it was spent on (slot * KINDS + kind). */
  private readonly spentOn = new Float64Array(BlockedTimeBudget.SLOTS * KINDS);
  private readonly slotStart = new Float64Array(BlockedTimeBudget.SLOTS).fill(-Infinity);
  private total = 0;

  constructor(
    private readonly limitMs: number,
    readonly windowMs = 1000,
  ) {
    this.slotMs = windowMs / BlockedTimeBudget.SLOTS;
  }

  private expire(now: number): void {
    for (let i = 0; i < BlockedTimeBudget.SLOTS; i++) {
      if (now - this.slotStart[i]! >= this.windowMs && this.spent[i]! !== 0) this.clearSlot(i);
    }
    if (this.total < 1e-9) this.total = 0;
  }

  private clearSlot(i: number): void {
    this.total -= this.spent[i]!;
    this.spent[i] = 0;
    this.spentOn.fill(0, i * KINDS, i * KINDS + KINDS);
  }

  /** Records main-thread time spent on `on` (a capture by default) that ended at `now`. */
  spend(ms: number, now: number, on: SpentOn = Spent.captures): void {
    this.expire(now);
    const start = Math.floor(now / this.slotMs) * this.slotMs;
    const i = Math.floor(now / this.slotMs) % BlockedTimeBudget.SLOTS;
    if (this.slotStart[i] !== start) {
      this.clearSlot(i);
      this.slotStart[i] = start;
    }
    this.spent[i]! += ms;
    this.spentOn[i * KINDS + on]! += ms;
    this.total += ms;
  }

  /** Time spent inside the window ending now, by what it was spent on. */
  breakdown(now: number): SpentBreakdown {
    this.expire(now);
    const sum = [0, 0, 0];
    for (let i = 0; i < this.spentOn.length; i++) sum[i % KINDS]! += this.spentOn[i]!;
    return { checks: sum[Spent.checks]!, captures: sum[Spent.captures]!, arming: sum[Spent.arming]! };
  }

  /** Time spent inside the window ending now. */
  used(now: number): number {
    this.expire(now);
    return this.total;
  }

  exceeded(now: number): boolean {
    return this.used(now) >= this.limitMs;
  }

  /** Milliseconds until enough of the window has expired to be under the limit again. */
  msUntilRefilled(now: number): number {
    this.expire(now);
    if (this.total < this.limitMs) return 0;
    let soonest = this.windowMs;
    for (let i = 0; i < BlockedTimeBudget.SLOTS; i++) {
      if (this.spent[i]! > 0) soonest = Math.min(soonest, this.slotStart[i]! + this.windowMs - now);
    }
    return Math.max(1, Math.ceil(soonest));
  }
}
