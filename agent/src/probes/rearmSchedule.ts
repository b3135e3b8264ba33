import type { RearmWait } from './probeRecord';

/** What the schedule reads and writes of a probe. */
export interface Waiting {
  rearm: RearmWait | undefined;
}

/**
 * When disarmed probes are due to be armed again. One unref()ed timer for
 * the soonest timed wait, never one per probe, and never one that keeps the
 * host alive. What to do with a due probe (arm it, or drop it if it expired)
 * is the caller's business: `onDue` runs when the timer fires.
 */
export class RearmSchedule<P extends Waiting> {
  private timer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    private readonly probes: () => Iterable<P>,
    private readonly onDue: () => void,
  ) {}

  /** The probe waits until `at` (a performance.now() time). */
  waitUntil(r: P, at: number): void {
    r.rearm = { until: 'time', at };
    this.reschedule();
  }

  /** The probe waits for the host's next full GC (gcCame). */
  waitForGc(r: P): void {
    r.rearm = { until: 'gc' };
  }

  /** Probes whose time has come, their waits ended. */
  takeDue(now: number): P[] {
    const due: P[] = [];
    for (const r of this.probes()) {
      if (r.rearm?.until === 'time' && r.rearm.at <= now) {
        r.rearm = undefined;
        due.push(r);
      }
    }
    return due;
  }

  /** Moves every timed wait to `at` at the earliest; waits for a GC stay as they are. */
  postponeTimed(at: number): void {
    for (const r of this.probes()) if (r.rearm?.until === 'time' && r.rearm.at < at) r.rearm = { until: 'time', at };
  }

  /** A full GC came: probes waiting for one are due now. Whether there were any. */
  gcCame(now: number): boolean {
    let any = false;
    for (const r of this.probes()) {
      if (r.rearm?.until !== 'gc') continue;
      r.rearm = { until: 'time', at: now };
      any = true;
    }
    return any;
  }

  /** Sets the timer for the soonest timed wait, or none. */
  reschedule(): void {
    let soonest = Infinity;
    for (const r of this.probes()) if (r.rearm?.until === 'time') soonest = Math.min(soonest, r.rearm.at);
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    if (soonest === Infinity || this.closed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.onDue();
    }, Math.max(1, Math.ceil(soonest - performance.now())));
    this.timer.unref();
  }

  close(): void {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
