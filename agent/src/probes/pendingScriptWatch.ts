/**
 * Notices when a file a pending probe waits for gets loaded, without keeping
 * the debugger on (an enabled debugger slows the host). While probes are
 * pending it polls the CommonJS module cache for new entries whose base name
 * matches one of their files (`orders.ts` waits for `orders.js`, `orders.ts`,
 * `orders.mjs`...). Scripts reported by an enabled debugger are matched too.
 * ES modules loaded while the debugger is off are only noticed the next time
 * the debugger is enabled for another probe: documented in the README.
 */
export const PENDING_POLL_MS = 1000;

function stem(pathOrUrl: string): string {
  const base = pathOrUrl.split(/[\\/]/).pop() ?? '';
  const dot = base.indexOf('.');
  return (dot > 0 ? base.slice(0, dot) : base).toLowerCase();
}

export class PendingScriptWatch {
  private readonly stems = new Set<string>();
  private timer: NodeJS.Timeout | undefined;
  private seen = 0;

  constructor(
    private readonly onCandidate: () => void,
    private readonly moduleCache: () => Record<string, unknown> = () => require.cache,
  ) {}

  add(developerPath: string): void {
    this.stems.add(stem(developerPath));
    if (!this.timer) {
      this.seen = Object.keys(this.moduleCache()).length;
      this.timer = setInterval(() => this.poll(), PENDING_POLL_MS);
      this.timer.unref();
    }
  }

  /** True when a loaded script could be what a pending probe waits for. */
  matches(url: string): boolean {
    return this.stems.size > 0 && this.stems.has(stem(url));
  }

  private poll(): void {
    const keys = Object.keys(this.moduleCache());
    if (keys.length === this.seen) return;
    const fresh = keys.slice(this.seen);
    this.seen = keys.length;
    if (fresh.some((k) => this.matches(k))) this.onCandidate();
  }

  clear(): void {
    this.stems.clear();
    this.stop();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
