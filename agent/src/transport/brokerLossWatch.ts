/**
 * Tells the agent, once per outage, that the broker has been gone for longer
 * than the grace period: it could have missed a revocation, so it must remove
 * every probe (fail closed). An outage begins when an established connection
 * (one that got a Welcome) drops and ends at the next Welcome; failed
 * reconnect attempts in between do not restart the clock.
 */
export class BrokerLossWatch {
  private timer: NodeJS.Timeout | undefined;
  private inOutage = false;

  constructor(
    private readonly graceMs: number,
    private readonly onLost: () => void,
  ) {}

  /** The broker connection is gone. Starts the grace clock unless an outage is already running. */
  disconnected(): void {
    if (this.inOutage) return;
    this.inOutage = true;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.onLost();
    }, this.graceMs);
    // The watch must never be the reason the host process stays alive.
    this.timer.unref();
  }

  /** A Welcome arrived: the outage (if any) is over. */
  connected(): void {
    this.inOutage = false;
    this.stopTimer();
  }

  dispose(): void {
    this.inOutage = false;
    this.stopTimer();
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
