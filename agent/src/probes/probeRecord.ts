import { pb } from '@keyhole/protocol';
import type { CaptureLimits } from '../capture/limits';
import type { TokenBucket } from '../gate/tokenBucket';
import type { ReaderSlots } from '../capture/inline/readerCode';
import type { PlannedScope } from '../capture/inline/scopePlan';

/** What a pause-free snapshot reads at its line, planned once when the probe is armed. */
export interface InlinePlan {
  readonly scopes: readonly PlannedScope[];
  readonly reader: ReaderSlots;
}

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
  /**
   * Snapshot probes whose limits need no caller's variables capture without
   * pausing: true until a plan cannot be made or fails, then they pause.
   */
  pauseFree: boolean;
  /** The plan, once the probe was first armed; undefined while it pauses. */
  inline: InlinePlan | undefined;
  /** Why the probe pauses although its limits would let it capture without; '' when it does not. */
  pausingReason: string;
  /** The probe ran out of tokens and captures its hot line pause-free from then on (CaptureLimits.hotLineFramesWithLocals). */
  hotLine: boolean;
  /** performance.now() when a pause-free hit took its token; 0 once `inline` ran for it. */
  inlineStartedAt: number;
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
  /** Cancels the worker planning the probe's pause-free reads, while one does. */
  cancelPlan: (() => void) | undefined;
  /** Where V8 last set the breakpoint (1-based; 0 before the first arming): the first breakable position at or after the resolved one. */
  armedLine: number;
  armedColumn: number;
  /** Times the condition and hit condition passed (what DAP hit conditions count). */
  conditionHits: number;
  /** Measured main-thread cost of one evaluation of `condition`, charged to the budget on every pass. */
  conditionCostMs: number;
  /** Hits that produced a snapshot or a log line. */
  hits: number;
  rearmAt: number; // performance.now() time when a rate-disarmed probe may re-arm; 0 when armed
}

export const ACTIVE_STATES: ReadonlySet<pb.ProbeState> = new Set([pb.ProbeState.INSTALLED]);
