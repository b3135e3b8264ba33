// The broker's JSON shapes that both the client (which reads them) and the
// adapter (which consumes them through ISnapshotSource) name. Types only.

export type GrantStateName = 'pending' | 'approved' | 'active' | 'expired' | 'rejected' | 'revoked';
export type ProbeKindName = 'SNAPSHOT' | 'LOGPOINT';

/** One grant as GET /v1/grants returns it (the fields the adapter reads). */
export interface GrantInfo {
  readonly id: string;
  readonly state: GrantStateName;
  readonly service: string;
  readonly requester: string;
  readonly selector: Readonly<Record<string, string>>;
  readonly scopeGlobs: readonly string[];
  readonly kinds: readonly ProbeKindName[];
  readonly notAfterMs: number;
  readonly approvalsRequired: number;
  readonly approvals: readonly { readonly approverId: string }[];
}

/** The body of POST /v1/probes. */
export interface ProbeRequest {
  readonly grantId: string;
  readonly kind: ProbeKindName;
  readonly path: string;
  readonly line: number;
  readonly column?: number;
  readonly condition?: string;
  readonly hitCondition?: string;
  readonly logTemplate?: string;
  /**
   * Snapshots only: how many frames, from the probe's own, the snapshot
   * captures with their variables (1: only the line's own frame, without
   * pausing the service). Left out or 0: the agent's setting, which also caps
   * it. The broker refuses a nonzero value on a logpoint.
   */
  readonly framesWithLocals?: number;
}

/** One row of GET /v1/snapshots. */
export interface SnapshotMeta {
  readonly id: string;
  readonly service: string;
  readonly grantId: string;
  readonly probeId: string;
  readonly instanceId: string;
  readonly capturedAtMs: number;
  /** OpenTelemetry ids active at capture; '' (or absent from older brokers) when none. */
  readonly traceId?: string;
  readonly spanId?: string;
}

/** The event stream went up or down. */
export type ConnectionChange =
  | { readonly connected: true }
  | { readonly connected: false; readonly code: string; readonly reason: string; readonly willRetry: boolean };
