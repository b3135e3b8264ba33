/**
 * Runs work shortly after the current call stack, at most once per key until
 * it has run. Used where the agent may not act in place: inside a breakpoint
 * condition V8 is evaluating, inspector commands must wait. Timers are
 * unref()ed so the agent never keeps the host alive; errors are reported,
 * never thrown into the host.
 */
export class Soon {
  private readonly pending = new Map<string, () => void>();
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly onError: (err: unknown) => void) {}

  run(key: string, work: () => void): void {
    if (this.pending.has(key)) return;
    this.pending.set(key, work);
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), 0);
      this.timer.unref();
    }
  }

  private flush(): void {
    this.timer = undefined;
    const work = [...this.pending.values()];
    this.pending.clear();
    for (const w of work) {
      try {
        w();
      } catch (err) {
        this.onError(err);
      }
    }
  }

  cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }
}
