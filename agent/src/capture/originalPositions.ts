import type { pb } from '@keyhole/protocol';

/** Distinct generated positions whose original position is remembered. Default 4096. */
export const MAX_CACHED_POSITIONS = 4096;

export type OriginalPosition = { path: string; line: number; column: number } | undefined;
/** Generated positions (script id or url, 1-based line and column) to original ones, answered once, maybe later. */
export type MapPositions = (positions: readonly { script: string; line: number; column: number }[], done: (found: readonly OriginalPosition[]) => void) => void;

/**
 * Maps captured frames back to original sources after the pause: a source
 * map lookup per frame cost hundreds of µs per snapshot inside the pause, and
 * the same few positions repeat from one snapshot to the next, so results are
 * cached (bounded; restarted when full). Positions not cached are asked of
 * `mapPositions` (the location worker); snapshots still leave in the order
 * they were captured.
 */
export class OriginalPositions {
  private readonly cache = new Map<string, OriginalPosition | null>();
  private readonly queue: { ready: boolean; deliver: () => void }[] = [];

  constructor(private readonly mapPositions: MapPositions) {}

  /** Sets `original` on the frames it can, then calls `then` (after any earlier fill's `then`). */
  fill(frames: pb.StackFrame.$Properties[], scriptIds: readonly string[], then: () => void): void {
    const entry = { ready: false, deliver: then };
    this.queue.push(entry);
    const keys = frames.map((frame, i) => {
      const g = frame.generated;
      const scriptId = scriptIds[i];
      return g && scriptId && g.line ? { key: `${scriptId}:${g.line}:${g.column ?? 0}`, script: scriptId, line: g.line, column: g.column ?? 1 } : undefined;
    });
    const found = new Map<string, OriginalPosition | null>();
    const misses: { key: string; script: string; line: number; column: number }[] = [];
    for (const k of keys) {
      if (!k || found.has(k.key)) continue;
      const hit = this.cache.get(k.key);
      if (hit === undefined) {
        if (!misses.some((m) => m.key === k.key)) misses.push(k);
      } else found.set(k.key, hit);
    }
    const apply = () => {
      keys.forEach((k, i) => {
        const hit = k ? found.get(k.key) : undefined;
        if (hit) frames[i]!.original = hit;
      });
      entry.ready = true;
      while (this.queue[0]?.ready) this.queue.shift()!.deliver();
    };
    if (!misses.length) return apply();
    this.mapPositions(misses, (results) => {
      misses.forEach((m, i) => {
        const hit = results[i] ?? null;
        if (this.cache.size >= MAX_CACHED_POSITIONS) this.cache.clear();
        this.cache.set(m.key, hit);
        found.set(m.key, hit);
      });
      apply();
    });
  }

  /** Scripts can be replaced when the debugger is reset; forget what was learnt. */
  clear(): void {
    this.cache.clear();
  }
}
