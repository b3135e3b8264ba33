/**
 * The global budget of main-thread time that captures may block, over a
 * rolling window (default 10 ms per 1000 ms). Spending is recorded in
 * fixed slots so the check on the hot path is a subtraction, not a scan.
 */
export class BlockedTimeBudget {
  private static readonly SLOTS = 10;
  private readonly slotMs: number;
  private readonly spent = new Float64Array(BlockedTimeBudget.SLOTS);
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
      if (now - this.slotStart[i]! >= this.windowMs && this.spent[i]! !== 0) {
        this.total -= this.spent[i]!;
        this.spent[i] = 0;
      }
    }
    if (this.total < 1e-9) this.total = 0;
  }

  /** Records main-thread time spent on a capture that ended at `now`. */
  spend(ms: number, now: number): void {
    this.expire(now);
    const start = Math.floor(now / this.slotMs) * this.slotMs;
    const i = Math.floor(now / this.slotMs) % BlockedTimeBudget.SLOTS;
    if (this.slotStart[i] !== start) {
      this.total -= this.spent[i]!;
      this.spent[i] = 0;
      this.slotStart[i] = start;
    }
    this.spent[i]! += ms;
    this.total += ms;
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
