/**
 * Sign-in attempts per IP address over a sliding window. Over the limit,
 * the caller answers 429 with Retry-After: the seconds until the oldest
 * attempt in the window leaves it.
 */
import { type Clock } from '../clock';

export interface SignInLimits {
  readonly attemptsPerWindow: number;
  readonly windowMs: number;
  readonly trackedAddresses: number;
}

export class SignInLimiter {
  private readonly attempts = new Map<string, number[]>();

  constructor(
    private readonly limits: SignInLimits,
    private readonly clock: Clock,
  ) {}

  /** Records an attempt; returns 0 when allowed, or the seconds to wait. */
  attempt(address: string): number {
    const now = this.clock();
    const recent = (this.attempts.get(address) ?? []).filter((t) => now - t < this.limits.windowMs);
    if (recent.length >= this.limits.attemptsPerWindow) {
      this.attempts.set(address, recent);
      return Math.max(1, Math.ceil(((recent[0] ?? now) + this.limits.windowMs - now) / 1000));
    }
    recent.push(now);
    // Re-inserting keeps the Map in least-recently-seen order for eviction.
    this.attempts.delete(address);
    this.attempts.set(address, recent);
    while (this.attempts.size > this.limits.trackedAddresses) {
      const oldest = this.attempts.keys().next().value;
      if (oldest === undefined) break;
      this.attempts.delete(oldest);
    }
    return 0;
  }
}
