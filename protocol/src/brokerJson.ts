// The JSON the broker's HTTP API (/v1/...) sends and accepts, declared once
// for both ends: the broker types the bodies it builds and the requests it
// parses against these, and the extension's clients (src/client,
// src/extension) read and send them. A change here that one side does not
// follow fails that side's build. Types only: this module adds no runtime
// code. Times are Unix epoch milliseconds; bytes travel as standard base64.

// ---- Vocabulary -------------------------------------------------------------

/** What a grant is now: its stored status, with `expired` and `active` worked out from the window. */
export type GrantStateName = 'pending' | 'approved' | 'active' | 'expired' | 'rejected' | 'revoked';

/** A grant's stored status (its state before the window is taken into account). */
export type GrantStatusName = 'pending' | 'approved' | 'rejected' | 'revoked';

/** What a probe captures; a grant lists the kinds it allows. */
export type ProbeKindName = 'SNAPSHOT' | 'LOGPOINT';

/** A person's role; what each may do is the broker's role × action matrix. */
export type RoleName = 'developer' | 'approver' | 'ops' | 'admin';

/** Every refusal: `code` is a KH_ code, `hint` says what to do next. */
export interface BrokerErrorJson {
  readonly code: string;
  readonly message: string;
  readonly hint: string;
}

// ---- Identity -----------------------------------------------------------------

/** GET /v1/me: who the token belongs to, a person with roles or a service's agent. */
export type MeJson =
  | { readonly kind: 'user'; readonly id: string; readonly roles: readonly RoleName[] }
  | { readonly kind: 'agent'; readonly service: string };

/** The body of PUT /v1/users/:id/key. */
export interface ApproverKeyRequestJson {
  /** Ed25519 public key, PEM SPKI. */
  readonly publicKeyPem: string;
}

/** PUT /v1/users/:id/key answers with the key as registered. */
export interface ApproverKeyJson {
  readonly userId: string;
  /** Ed25519 public key, PEM SPKI (normalised). */
  readonly publicKeyPem: string;
  readonly registeredAtMs: number;
}

// ---- Services -----------------------------------------------------------------

/** Masking a service adds to the agent's own defaults. */
export interface MaskingPolicyJson {
  /** Property and variable names whose values are masked. */
  readonly names: readonly string[];
  /** Regular expressions (`u` flag); matching string values are masked. */
  readonly valuePatterns: readonly string[];
}

/** Who may request grants on a service: any of these roles, or these users. */
export interface RequesterPolicyJson {
  readonly roles: readonly RoleName[];
  readonly users: readonly string[];
}

/** A service's capture policy, as stored and as sent in POST /v1/services and PATCH /v1/services/:name. */
export interface ServicePolicyJson {
  /** false: no grant may be requested and no probe set. */
  readonly enabled: boolean;
  /** Distinct approvals a grant needs. */
  readonly approvalsRequired: number;
  /** The longest window an approval may open. */
  readonly maxWindowMs: number;
  /** How long snapshots are kept. */
  readonly snapshotTtlMs: number;
  readonly masking: MaskingPolicyJson;
  readonly requesters: RequesterPolicyJson;
}

/** One row of GET /v1/services (and GET/PATCH /v1/services/:name). */
export interface ServiceJson {
  readonly name: string;
  readonly policy: ServicePolicyJson;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

// ---- Grants -------------------------------------------------------------------

/** One approver's signature on a grant. */
export interface GrantApprovalJson {
  readonly approverId: string;
  readonly signedAtMs: number;
  /** Ed25519 signature over the grant's signing body, base64. */
  readonly signature: string;
}

/** One grant, as GET /v1/grants lists it and every grant route answers. */
export interface GrantJson {
  readonly id: string;
  readonly state: GrantStateName;
  readonly status: GrantStatusName;
  readonly service: string;
  readonly requester: string;
  /** Instance labels the grant applies to; {} for every instance. */
  readonly selector: Readonly<Record<string, string>>;
  readonly scopeGlobs: readonly string[];
  readonly kinds: readonly ProbeKindName[];
  /** What the requester asked for; the window actually granted is notBeforeMs..notAfterMs. */
  readonly requestedDurationMs: number;
  /** 0: the agent default. */
  readonly maxHitsPerProbe: number;
  readonly reason: string;
  /** '' when none. */
  readonly ticket: string;
  readonly createdAtMs: number;
  /** The window; both 0 until the first approver fetches the signing body. */
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
  readonly approvalsRequired: number;
  readonly approvals: readonly GrantApprovalJson[];
  /** The encoded keyhole.v1.GrantBody approvers sign, base64; null until the first approver asks for it. */
  readonly body: string | null;
  /** Who rejected or revoked the grant, why and when; null while it is open. */
  readonly closedBy: string | null;
  readonly closedReason: string | null;
  readonly closedAtMs: number | null;
}

/**
 * The body of POST /v1/grants: what a developer asks for. Left out:
 * selector {} (every instance), kinds ["SNAPSHOT"], durationMs 30 minutes,
 * ticket '', maxHitsPerProbe 0 (the agent default).
 */
export interface GrantRequestJson {
  readonly service: string;
  readonly selector?: Readonly<Record<string, string>>;
  readonly scopeGlobs: readonly string[];
  readonly kinds?: readonly ProbeKindName[];
  readonly durationMs?: number;
  readonly reason: string;
  readonly ticket?: string;
  readonly maxHitsPerProbe?: number;
}

/** GET /v1/grants/:id/signing-body: the exact bytes every approver signs, and the window they fix. */
export interface GrantSigningBodyJson {
  readonly grantId: string;
  /** The encoded keyhole.v1.GrantBody, base64. */
  readonly body: string;
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
}

/** The body of POST /v1/grants/:id/approvals. */
export interface GrantApprovalRequestJson {
  /** The signing body exactly as GET .../signing-body gave it, base64. */
  readonly body: string;
  /** Ed25519 signature over those bytes, base64. */
  readonly signature: string;
}

/** The body of POST /v1/grants/:id/reject and /revoke. */
export interface GrantCloseRequestJson {
  readonly reason?: string;
}

// ---- Probes -------------------------------------------------------------------

/** The body of POST /v1/probes. */
export interface ProbeRequestJson {
  readonly grantId: string;
  /** Left out: SNAPSHOT. */
  readonly kind?: ProbeKindName;
  readonly path: string;
  readonly line: number;
  readonly column?: number;
  readonly condition?: string;
  readonly hitCondition?: string;
  /** Logpoints only, and required there: the line to log, with {expressions}. */
  readonly logTemplate?: string;
  /** Hits after which the probe stops, at most the grant's maxHitsPerProbe; left out or 0: the agent default. */
  readonly maxHits?: number;
  /**
   * Snapshots only: how many frames, from the probe's own, the snapshot
   * captures with their variables (1: only the line's own frame, without
   * pausing the service). Left out or 0: the agent's setting, which also caps
   * it. The broker refuses a nonzero value on a logpoint.
   */
  readonly framesWithLocals?: number;
}

/** A probe, as POST /v1/probes and DELETE /v1/probes/:id answer. */
export interface ProbeJson {
  readonly id: string;
  readonly grantId: string;
  readonly service: string;
  readonly kind: ProbeKindName;
  readonly path: string;
  readonly line: number;
  readonly column: number;
  readonly condition: string;
  readonly hitCondition: string;
  readonly logTemplate: string;
  readonly maxHits: number;
  /** Frames, from the probe's own, a snapshot captures with variables; 0: the agent's setting (which also caps it). Always 0 for a logpoint. */
  readonly framesWithLocals: number;
  /** 0: the grant's window end. */
  readonly expiresAtMs: number;
  readonly createdBy: string;
  readonly createdAtMs: number;
  /** 0 while the probe is wanted. */
  readonly removedAtMs: number;
  readonly removedBy: string;
  readonly removeReason: string;
}

// ---- Snapshots ----------------------------------------------------------------

/** What identifies a stored snapshot, in its list row and in its view alike. */
export interface SnapshotHeaderJson {
  readonly id: string;
  readonly service: string;
  readonly grantId: string;
  readonly probeId: string;
  readonly instanceId: string;
  readonly capturedAtMs: number;
  readonly expiresAtMs: number;
}

/** One row of GET /v1/snapshots: a stored snapshot without its data. */
export interface SnapshotListRowJson extends SnapshotHeaderJson {
  readonly receivedAtMs: number;
  /** OpenTelemetry trace and span ids active at capture; '' when none. */
  readonly traceId: string;
  readonly spanId: string;
  /** Size of the encoded snapshot. */
  readonly bytes: number;
}

/** GET /v1/snapshots/:id: one stored snapshot (the broker audits this as a view). */
export interface SnapshotViewJson extends SnapshotHeaderJson {
  /** The encoded keyhole.v1.Snapshot, base64: decode it with pb.Snapshot.decode. */
  readonly protobuf: string;
  /** The same snapshot as plain JSON (pb.Snapshot.toObject: enums as names, 64-bit numbers as numbers, defaults left out). */
  readonly snapshot: { readonly [key: string]: unknown };
}
