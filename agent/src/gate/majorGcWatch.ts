import { PerformanceObserver, constants, type PerformanceEntry } from 'node:perf_hooks';

/** A 'gc' entry: its detail says which collection it was (node >= 16). */
type GcEntry = PerformanceEntry & { readonly detail?: { readonly kind?: number } };

/**
 * Tells when the host has run a full (mark-compact) garbage collection. V8
 * keeps every breakpoint condition it compiled until the next full GC, and
 * with thousands of them waiting some passes stall the whole thread for
 * tens of ms to seconds (chromium issue 1169895; bench/condition-stalls.mjs),
 * so the probe manager counts passes between full GCs
 * (RateSettings.maxPassesBetweenGcs). Observed only while a probe exists:
 * an idle agent observes nothing. A failure to observe is reported and
 * leaves the watch off; it never throws into the host.
 */
export class MajorGcWatch {
  private observer: PerformanceObserver | undefined;

  constructor(
    private readonly onMajorGc: () => void,
    private readonly onError: (message: string) => void,
  ) {}

  get watching(): boolean {
    return this.observer !== undefined;
  }

  start(): void {
    if (this.observer) return;
    try {
      const observer = new PerformanceObserver((list) => {
        const major = list.getEntries().some((e) => (e as GcEntry).detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR);
        if (!major) return;
        try {
          this.onMajorGc();
        } catch (err) {
          this.onError(err instanceof Error ? err.message : String(err));
        }
      });
      observer.observe({ entryTypes: ['gc'] });
      this.observer = observer;
    } catch (err) {
      this.onError(`full garbage collections cannot be observed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  stop(): void {
    this.observer?.disconnect();
    this.observer = undefined;
  }
}
