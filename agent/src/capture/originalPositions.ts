import type { pb } from '@keyhole/protocol';

/** Distinct generated positions whose original position is remembered. Default 4096. */
export const MAX_CACHED_POSITIONS = 4096;

export type OriginalPosition = { path: string; line: number; column: number } | undefined;
export type ToOriginal = (scriptId: string, line: number, column: number) => OriginalPosition;

/**
 * Maps captured frames back to original sources after the pause: a source
 * map lookup per frame cost hundreds of µs per snapshot inside the pause, and
 * the same few positions repeat from one snapshot to the next, so results are
 * cached (bounded; restarted when full).
 */
export class OriginalPositions {
  private readonly cache = new Map<string, OriginalPosition | null>();

  constructor(private readonly toOriginal: ToOriginal) {}

  fill(frames: pb.StackFrame.$Properties[], scriptIds: readonly string[]): void {
    frames.forEach((frame, i) => {
      const g = frame.generated;
      const scriptId = scriptIds[i];
      if (!g || !scriptId || !g.line) return;
      const key = `${scriptId}:${g.line}:${g.column ?? 0}`;
      let hit = this.cache.get(key);
      if (hit === undefined) {
        hit = this.toOriginal(scriptId, g.line, g.column ?? 1) ?? null;
        if (this.cache.size >= MAX_CACHED_POSITIONS) this.cache.clear();
        this.cache.set(key, hit);
      }
      if (hit) frame.original = hit;
    });
  }

  /** Scripts can be replaced when the debugger is reset; forget what was learnt. */
  clear(): void {
    this.cache.clear();
  }
}
