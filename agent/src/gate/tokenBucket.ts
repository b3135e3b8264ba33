/**
 * A token bucket on a monotonic clock (milliseconds). Each probe has one:
 * snapshots default to 1/s with a burst of 5, logpoints to 100/s.
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    now: number,
  ) {
    this.tokens = burst;
    this.last = now;
  }

  private refill(now: number): void {
    if (now > this.last) {
      this.tokens = Math.min(this.burst, this.tokens + ((now - this.last) * this.perSecond) / 1000);
      this.last = now;
    }
  }

  /** True when a whole token is available now (does not take it). */
  has(now: number): boolean {
    this.refill(now);
    return this.tokens >= 1;
  }

  /** Takes one token if available. */
  take(now: number): boolean {
    this.refill(now);
    if (this.tokens < 1) return false;
    this.tokens -= 1;
    return true;
  }

  /** Milliseconds until a whole token is available (0 if one is). */
  msUntilToken(now: number): number {
    return this.msUntilTokens(1, now);
  }

  /** Milliseconds until `count` whole tokens are available (capped at the burst; 0 if they are). */
  msUntilTokens(count: number, now: number): number {
    this.refill(now);
    const wanted = Math.min(Math.max(1, count), this.burst);
    return this.tokens >= wanted ? 0 : Math.ceil(((wanted - this.tokens) * 1000) / this.perSecond);
  }
}
