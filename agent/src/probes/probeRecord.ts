import { pb } from '@keyhole/protocol';
import type { CaptureLimits } from '../capture/limits';
import type { TokenBucket } from '../gate/tokenBucket';
import type { CaptureMode } from './captureMode';

/**
 * Why an installed probe has no breakpoint for now, and what gives it one
 * back: a time (its tokens refill, the budget's window passes) or the host's
 * next full GC (RateSettings.maxPassesBetweenGcs), which no timer can promise.
 */
export type RearmWait = { readonly until: 'time'; readonly at: number } | { readonly until: 'gc' };

/** What the gate needs on every pass, kept flat so the hot path reads fields, not maps. */
export interface ProbeRecord {
  /** Small integer baked into the breakpoint condition: `__keyhole.gate(<slot>)`. */
  readonly slot: number;
  readonly probe: pb.Probe;
  readonly kind: pb.ProbeKind;
  readonly grantId: string;
  /** Epoch ms after which the probe is expired (grant window end or its own expiry). */
  readonly expiresAtMs: number;
  readonly maxHits: number;
  readonly bucket: TokenBucket;
  readonly hitTest: ((hitCount: number) => boolean) | undefined;
  /** The capture limits with the probe's own frames-with-locals choice applied (capture/limits.ts limitsForProbe). */
  readonly limits: CaptureLimits;
  /**
   * The full V8 condition, built when the probe is set; a pause-free
   * snapshot's is rebuilt once, with its reads, when it is first armed.
   */
  condition: string;
  /** The user's condition as compiled, kept to rebuild `condition`. */
  readonly compiledCondition: string | undefined;
  /** Whether a sampled hit pauses, is being planned to stop pausing, or is captured by the condition itself. */
  mode: CaptureMode;
  readonly templateSegments: readonly string[];
  /** The name each template placeholder reads, for masking by name; parsed once when the probe is set. */
  readonly templateNames: readonly string[];
  state: pb.ProbeState;
  code: string;
  message: string;
  candidates: string[];
  /** Where the breakpoint goes (generated code), once resolved. */
  resolvedUrl: string;
  resolvedLine: number; // 1-based
  resolvedColumn: number; // 1-based
  originalPath: string;
  deployedSha256: string;
  /** V8 breakpoint id while armed. */
  breakpointId: string | undefined;
  /** Where V8 last set the breakpoint (1-based; 0 before the first arming): the first breakable position at or after the resolved one. */
  armedLine: number;
  armedColumn: number;
  /** Times the condition and hit condition passed (what DAP hit conditions count). */
  conditionHits: number;
  /** Measured main-thread cost of one evaluation of `condition`, charged to the budget on every pass. */
  conditionCostMs: number;
  /** Hits that produced a snapshot or a log line. */
  hits: number;
  /** Passes over the line while armed: every evaluation of the gate, sampled or not. */
  passes: number;
  /** Pauses in a row that took longer than CaptureLimits.maxPauseMs. */
  slowPauses: number;
  /** Notes its status already carries, each given once (statuses travel to the IDE). */
  readonly noted: Set<NoteKind>;
  /** Set while a rate, budget or GC disarm holds the probe back; undefined while armed, or while other work (planning) will arm it. */
  rearm: RearmWait | undefined;
}

/** Notes a probe's status gets at most once: the global budget disarmed it; a hit ran too deep to pause. */
export type NoteKind = 'budget' | 'deep' | 'gc';

export const ACTIVE_STATES: ReadonlySet<pb.ProbeState> = new Set([pb.ProbeState.INSTALLED]);
