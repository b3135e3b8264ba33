/**
 * The state one capture's serialization shares: limits, the redactor, what was
 * masked, errors as data, and the byte and time budgets. One context serves a
 * whole snapshot (every frame's scopes and `this`), so the budgets bound the
 * snapshot, not each variable.
 */
import { pb } from '@keyhole/protocol';
import type { Redactor } from '../redact/redactor';
import type { CaptureLimits } from './limits';
import { append, monotonicNow } from './intrinsics';
import { cleanNamesOf, type CleanNameCache, type MaskedName } from './serializerNameCache';

export type { MaskedName } from './serializerNameCache';

/** Stable codes of the errors a capture records as data. */
export const SerializeErrorCode = {
  /** The time budget ran out; later values are marked cut with reason TIME. */
  TIME_BUDGET: 'KH_CAPTURE_TIME_BUDGET',
  /** The byte budget ran out; later values are marked cut with reason BYTES. */
  BYTE_BUDGET: 'KH_CAPTURE_BYTE_BUDGET',
  /** The redactor could not finish on some text; that text was dropped. */
  MASK_DROPPED: 'KH_CAPTURE_MASK_DROPPED',
  /** A scope holder was a Proxy or not an object; its variables were not read. */
  BAD_SCOPE: 'KH_CAPTURE_BAD_SCOPE',
  /** A value or property could not be read (e.g. a module binding still in its TDZ). */
  UNREADABLE: 'KH_CAPTURE_UNREADABLE',
  /** An unexpected failure inside the serializer; the value was replaced by a marker. */
  INTERNAL: 'KH_CAPTURE_INTERNAL',
} as const;
export type SerializeErrorCode = (typeof SerializeErrorCode)[keyof typeof SerializeErrorCode];

/** Values serialized between two clock reads: the clock costs ~50 ns, a value a few hundred. */
export const TIME_CHECK_INTERVAL = 8;
/** Errors kept per code, so a pathological object cannot fill the snapshot with error records. */
export const MAX_ERRORS_PER_CODE = 3;
/** Approximate protobuf framing of one Value (tags, lengths, kind) in the byte estimate. */
export const VALUE_OVERHEAD_BYTES = 6;
/** Approximate protobuf framing of one Property or MapEntry. */
export const PROPERTY_OVERHEAD_BYTES = 4;

/** The capture's errors, kept as data and bounded per code. */
export class CaptureErrorLog {
  readonly list: pb.CaptureError.$Properties[] = [];
  private readonly perCode: Record<string, number> = Object.create(null) as Record<string, number>;

  report(code: SerializeErrorCode, message: string): void {
    const seen = this.perCode[code] ?? 0;
    if (seen >= MAX_ERRORS_PER_CODE) return;
    this.perCode[code] = seen + 1;
    append(this.list, { code, message });
  }
}

/** Byte and time accounting for one capture. */
export class CaptureBudget {
  /** Estimated encoded bytes of everything serialized so far. */
  bytesUsed = 0;
  /** Set once a budget ran out; every later value is cut with this reason. */
  exhausted: pb.CutReason | undefined;
  private valuesSinceClock = 0;
  private readonly deadline: number;

  constructor(
    private readonly limits: CaptureLimits,
    private readonly now: () => number,
    private readonly errorLog: CaptureErrorLog,
  ) {
    this.deadline = now() + limits.timeBudgetMs;
  }

  /** Accounts for one more value; returns the reason to stop when a budget is gone. */
  spend(): pb.CutReason | undefined {
    if (this.exhausted !== undefined) return this.exhausted;
    if (this.valuesSinceClock++ % TIME_CHECK_INTERVAL === 0 && this.now() > this.deadline) {
      this.exhausted = pb.CutReason.TIME;
      this.errorLog.report(SerializeErrorCode.TIME_BUDGET, `capture time budget of ${this.limits.timeBudgetMs} ms ran out; the remaining values are marked cut`);
    }
    return this.exhausted;
  }

  charge(bytes: number): void {
    this.bytesUsed += bytes;
    if (this.exhausted === undefined && this.bytesUsed > this.limits.maxBytes) {
      this.exhausted = pb.CutReason.BYTES;
      this.errorLog.report(SerializeErrorCode.BYTE_BUDGET, `capture byte budget of ${this.limits.maxBytes} bytes ran out; the remaining values are marked cut`);
    }
  }
}

/**
 * Class names by prototype, for this capture only: nothing can change a
 * prototype's `constructor` or its `name` while the capture runs (no user
 * code runs), but between captures anything can. Parallel lists, scanned
 * linearly: a capture meets a handful of prototypes.
 */
export interface ClassNameCache {
  readonly prototypes: object[];
  readonly names: string[];
}

/**
 * Top-level values (depth 0: variables and `this`) already serialized in this
 * capture, by identity. The same request object is often a variable of several
 * frames; at depth 0 its serialization depends on nothing but the object (no
 * ancestors, so no cycle marker differs), so the second time it is the same
 * value again, and its bytes are charged again.
 */
export interface ReusedValues {
  readonly objects: object[];
  readonly values: pb.Value.$Properties[];
  readonly bytes: number[];
}

export interface SerializeContext {
  readonly limits: CaptureLimits;
  readonly redactor: Redactor;
  /** Every kind masked anywhere in this capture (for Snapshot.masked_kinds). */
  readonly maskedKinds: Set<string>;
  /** Problems met while serializing, as data (the same list errorLog fills). */
  readonly errors: pb.CaptureError.$Properties[];
  readonly errorLog: CaptureErrorLog;
  /** Byte and time budgets shared by the whole capture. */
  readonly budget: CaptureBudget;
  /**
   * Serializer bookkeeping: the objects being expanded, by depth (path[d] is
   * the ancestor at depth d; entries at or past the current depth are stale
   * and never read). A reference back to an ancestor is a cycle.
   */
  readonly path: object[];
  /** Serializer bookkeeping: names masked in this capture whose masking changed them (null prototype). */
  readonly nameCache: Record<string, MaskedName>;
  /** Serializer bookkeeping: names the redactor left unchanged, shared by the captures of one redactor. */
  readonly cleanNames: CleanNameCache;
  /** Serializer bookkeeping: class names by prototype. */
  readonly classNames: ClassNameCache;
  /** Serializer bookkeeping: depth-0 values to reuse. */
  readonly reused: ReusedValues;
}

export function createSerializeContext(limits: CaptureLimits, redactor: Redactor, now: () => number = monotonicNow): SerializeContext {
  const errorLog = new CaptureErrorLog();
  return {
    limits,
    redactor,
    maskedKinds: new Set<string>(),
    errors: errorLog.list,
    errorLog,
    budget: new CaptureBudget(limits, now, errorLog),
    path: [],
    nameCache: Object.create(null) as Record<string, MaskedName>,
    cleanNames: cleanNamesOf(redactor),
    classNames: { prototypes: [], names: [] },
    reused: { objects: [], values: [], bytes: [] },
  };
}

/** Records an error as data on the context (at most MAX_ERRORS_PER_CODE per code). */
export function reportError(ctx: SerializeContext, code: SerializeErrorCode, message: string): void {
  ctx.errorLog.report(code, message);
}
