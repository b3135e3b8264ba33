/** A part of a text to mask, as found by one detector. */
export interface Span {
  readonly start: number;
  readonly end: number;
  readonly kind: string;
  /** Lower wins when two spans overlap: the merged span is reported under its kind. */
  readonly priority: number;
}

/** Where detectors put what they find. */
export type SpanSink = Span[];

export function addSpan(sink: SpanSink, start: number, end: number, kind: string, priority: number): void {
  if (end > start) sink[sink.length] = { start, end, kind, priority };
}

/**
 * Sorts spans by start (insertion sort: lists are short, and
 * Array.prototype.sort could have been replaced by the host) and merges
 * overlapping ones into one span under the kind of the highest priority.
 */
export function mergeSpans(spans: SpanSink): Span[] {
  for (let i = 1; i < spans.length; i++) {
    const s = spans[i]!;
    let j = i - 1;
    while (j >= 0 && spans[j]!.start > s.start) {
      spans[j + 1] = spans[j]!;
      j--;
    }
    spans[j + 1] = s;
  }
  const merged: Span[] = [];
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i]!;
    const last = merged[merged.length - 1];
    if (last !== undefined && s.start < last.end) {
      const winner = s.priority < last.priority ? s : last;
      merged[merged.length - 1] = { start: last.start, end: s.end > last.end ? s.end : last.end, kind: winner.kind, priority: winner.priority };
    } else {
      merged[merged.length] = s;
    }
  }
  return merged;
}
