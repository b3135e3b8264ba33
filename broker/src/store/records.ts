/**
 * The rows the broker keeps, independent of the database that keeps them.
 * Times are Unix epoch milliseconds.
 */
import { type GrantStatusName, type ProbeJson, type ProbeKindName, type ServicePolicyJson } from '@keyhole/protocol';
import { type Role } from '../identity/roles';

// A service's policy is stored as it travels over the HTTP API: one declaration, in @keyhole/protocol.
export type { MaskingPolicyJson as MaskingPolicy, RequesterPolicyJson as RequesterPolicy, ServicePolicyJson as ServicePolicy } from '@keyhole/protocol';

export interface UserRecord {
  readonly id: string;
  readonly roles: readonly Role[];
  readonly disabled: boolean;
  readonly createdAtMs: number;
}

export type TokenKind = 'user' | 'agent';

export interface TokenRecord {
  /** Short public id, safe to show and log (the first characters after the prefix). */
  readonly id: string;
  /** Hex sha256 of the whole token; the token itself is never stored. */
  readonly hash: string;
  readonly kind: TokenKind;
  /** The user id for user tokens, the service name for agent tokens. */
  readonly subject: string;
  readonly createdAtMs: number;
  /** 0: never expires. */
  readonly expiresAtMs: number;
  readonly revoked: boolean;
}

export interface ApproverKeyRecord {
  readonly userId: string;
  /** Ed25519 public key, PEM SPKI. */
  readonly publicKeyPem: string;
  readonly registeredAtMs: number;
}

export interface ServiceRecord {
  readonly name: string;
  readonly policy: ServicePolicyJson;
  readonly createdAtMs: number;
  readonly updatedAtMs: number;
}

export type GrantStatus = GrantStatusName;
export type GrantKind = ProbeKindName;

export interface GrantRecord {
  readonly id: string;
  readonly service: string;
  readonly requester: string;
  readonly selector: Readonly<Record<string, string>>;
  readonly scopeGlobs: readonly string[];
  readonly kinds: readonly GrantKind[];
  /** What the requester asked for; the window actually granted is in the body. */
  readonly requestedDurationMs: number;
  /** 0: the agent default. */
  readonly maxHitsPerProbe: number;
  readonly reason: string;
  readonly ticket: string;
  readonly status: GrantStatus;
  readonly createdAtMs: number;
  /** The encoded pb.GrantBody every approver signs; absent until the first approver asks for it. */
  readonly body: Uint8Array | undefined;
  readonly notBeforeMs: number;
  readonly notAfterMs: number;
  /** Who closed the grant (rejected or revoked) and why. */
  readonly closedBy: string;
  readonly closedReason: string;
  readonly closedAtMs: number;
}

export interface ApprovalRecord {
  readonly grantId: string;
  readonly approverId: string;
  readonly signature: Uint8Array;
  readonly signedAtMs: number;
}

export interface AuditRow {
  readonly seq: number;
  readonly atMs: number;
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  /** Canonical JSON text (sorted keys), exactly as hashed. */
  readonly details: string;
  readonly prevHash: string;
  readonly hash: string;
}

export interface AuditHead {
  readonly seq: number;
  readonly hash: string;
}

/** A probe as stored, which is also what the HTTP API serves for it (protocol's ProbeJson). */
export type ProbeRecord = ProbeJson;

export interface SnapshotRecord {
  readonly id: string;
  readonly service: string;
  readonly grantId: string;
  readonly probeId: string;
  readonly instanceId: string;
  readonly capturedAtMs: number;
  readonly receivedAtMs: number;
  readonly expiresAtMs: number;
  /** OpenTelemetry trace and span ids active when it was captured; '' when none. */
  readonly traceId: string;
  readonly spanId: string;
  /** The encoded keyhole.v1.Snapshot exactly as the agent sent it. */
  readonly data: Uint8Array;
}

export interface KillSwitchRecord {
  /** `global` or a service name. */
  readonly scope: string;
  readonly on: boolean;
  readonly reason: string;
  readonly setBy: string;
  readonly setAtMs: number;
}

/** A runbook run: the grant its starter requested, and what became of it. Keyed by that grant. */
export interface RunbookRunRecord {
  readonly id: string;
  readonly grantId: string;
  readonly runbookId: string;
  /** The runbook's title when it started, so the run still reads right if the file changes. */
  readonly title: string;
  readonly service: string;
  readonly startedBy: string;
  readonly startedAtMs: number;
  /** The grant's state as last heard ('pending', 'active', ...); expiry is worked out on reading. */
  readonly state: string;
  readonly notAfterMs: number;
  /** true once the runner has set the runbook's probes. */
  readonly armed: boolean;
  readonly probeIds: readonly string[];
  readonly problems: readonly string[];
}

/** One probe of a run, with its running totals. */
export interface RunbookRunProbeRecord {
  readonly grantId: string;
  readonly probeId: string;
  readonly label: string;
  readonly kind: GrantKind;
  readonly total: number;
  readonly maskedKinds: readonly string[];
}

/** One grouped line of a run's result table (a masked message or "snapshot from <instance>"). */
export interface RunResultRowRecord {
  readonly probeId: string;
  readonly message: string;
  readonly count: number;
  readonly firstAtMs: number;
  readonly lastAtMs: number;
}
