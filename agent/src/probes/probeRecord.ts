import { pb } from '@keyhole/protocol';
import type { TokenBucket } from '../gate/tokenBucket';

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
  /** The full V8 condition, built once when the probe is set. */
  readonly condition: string;
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
  /** Times the condition and hit condition passed (what DAP hit conditions count). */
  conditionHits: number;
  /** Measured main-thread cost of one evaluation of `condition`, charged to the budget on every pass. */
  conditionCostMs: number;
  /** Hits that produced a snapshot or a log line. */
  hits: number;
  rearmAt: number; // performance.now() time when a rate-disarmed probe may re-arm; 0 when armed
}

export const ACTIVE_STATES: ReadonlySet<pb.ProbeState> = new Set([pb.ProbeState.INSTALLED]);
