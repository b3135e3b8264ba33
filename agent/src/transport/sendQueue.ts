import { type FrameKind } from './frameKind';

export interface QueuedFrame {
  readonly kind: FrameKind;
  readonly bytes: Uint8Array;
  /** Frames with the same key replace each other (newest wins). */
  readonly coalesceKey?: string | undefined;
}

export interface SendQueueLimits {
  readonly maxFrames: number;
  readonly maxBytes: number;
}

export type EnqueueResult =
  /** `evicted`: older frames dropped to make room. `coalesced`: an older frame with the same key was replaced. */
  | { readonly accepted: true; readonly evicted: number; readonly coalesced: boolean }
  | { readonly accepted: false; readonly reason: 'frame-too-large' | 'queue-full' };

/**
 * Bounded FIFO of encoded frames waiting for the broker, with drop counters
 * per frame kind.
 *
 * Drop policy, when a frame does not fit (by count or bytes):
 * - Probe statuses coalesce per probe: a newer status replaces the queued one
 *   of the same probe (moved to the tail, so it still follows the snapshots
 *   sent before it). The broker needs a probe's current state, never its
 *   history, so nothing is lost and the newest state always survives.
 * - Everything else (snapshots, log lines, ...) is dropped oldest first to
 *   make room: under a long outage the newest captures describe the process
 *   as it is now, and the probe's hit limits keep producing them bounded.
 *   Probe statuses are evicted only when nothing else is left, which needs
 *   more distinct probes than queue slots.
 * - A frame larger than the whole byte budget is refused.
 * Linear scans are fine: the queue holds at most maxFrames (default 512).
 */
export class SendQueue {
  private readonly frames: QueuedFrame[] = [];
  private totalBytes = 0;
  private readonly drops: Record<string, number> = { probeStatus: 0, snapshot: 0, logLine: 0, heartbeat: 0, error: 0 };
  private coalescedCount = 0;

  constructor(private readonly limits: SendQueueLimits) {}

  get length(): number {
    return this.frames.length;
  }

  get bytes(): number {
    return this.totalBytes;
  }

  /** Frames dropped so far, per kind. A copy. */
  dropped(): Record<string, number> {
    return { ...this.drops };
  }

  /** Probe statuses replaced by a newer one of the same probe (not drops: nothing was lost). */
  get coalesced(): number {
    return this.coalescedCount;
  }

  push(frame: QueuedFrame): EnqueueResult {
    const size = frame.bytes.byteLength;
    if (size > this.limits.maxBytes) {
      this.countDrop(frame.kind);
      return { accepted: false, reason: 'frame-too-large' };
    }
    let coalesced = false;
    if (frame.coalesceKey !== undefined) {
      const same = this.frames.findIndex((f) => f.coalesceKey === frame.coalesceKey);
      if (same >= 0) {
        this.removeAt(same);
        this.coalescedCount++;
        coalesced = true;
      }
    }
    let evicted = 0;
    while (this.frames.length >= this.limits.maxFrames || this.totalBytes + size > this.limits.maxBytes) {
      let victim = this.frames.findIndex((f) => f.coalesceKey === undefined);
      if (victim < 0) {
        // Only probe statuses are queued. A status makes room by evicting the
        // oldest status; anything else gives way to them.
        if (frame.coalesceKey === undefined) {
          this.countDrop(frame.kind);
          return { accepted: false, reason: 'queue-full' };
        }
        victim = 0;
      }
      const removed = this.removeAt(victim);
      if (removed) this.countDrop(removed.kind);
      evicted++;
    }
    this.frames.push(frame);
    this.totalBytes += size;
    return { accepted: true, evicted, coalesced };
  }

  /** The oldest frame, removed from the queue. */
  shift(): QueuedFrame | undefined {
    const frame = this.frames.shift();
    if (frame) this.totalBytes -= frame.bytes.byteLength;
    return frame;
  }

  /** Counts a frame of this kind that never reached the queue (e.g. sent after close). */
  countDrop(kind: FrameKind): void {
    this.drops[kind] = (this.drops[kind] ?? 0) + 1;
  }

  /** Empties the queue, counting every frame in it as dropped. */
  clear(): void {
    for (const f of this.frames) this.countDrop(f.kind);
    this.frames.length = 0;
    this.totalBytes = 0;
  }

  private removeAt(index: number): QueuedFrame | undefined {
    const [removed] = this.frames.splice(index, 1);
    if (removed) this.totalBytes -= removed.bytes.byteLength;
    return removed;
  }
}
