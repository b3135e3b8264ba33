/**
 * The broker's storage, as narrow as the broker's needs. Every method is
 * asynchronous and all work happens inside `transaction`, so that a
 * PostgreSQL implementation (a pooled client, BEGIN ... COMMIT) fits the same
 * shape as the embedded SQLite one. Repositories only read and write rows;
 * rules (who may do what, chain hashing, grant state) live above them.
 */
import {
  type ApprovalRecord,
  type ApproverKeyRecord,
  type AuditHead,
  type AuditRow,
  type GrantRecord,
  type GrantStatus,
  type KillSwitchRecord,
  type ProbeRecord,
  type RunbookRunProbeRecord,
  type RunbookRunRecord,
  type RunResultRowRecord,
  type SnapshotRecord,
  type ServiceRecord,
  type TokenRecord,
  type UserRecord,
} from './records';

export interface UserRepository {
  insert(user: UserRecord): Promise<void>;
  get(id: string): Promise<UserRecord | undefined>;
  list(): Promise<UserRecord[]>;
  update(user: UserRecord): Promise<void>;
  count(): Promise<number>;
}

export interface TokenRepository {
  insert(token: TokenRecord): Promise<void>;
  findByHash(hash: string): Promise<TokenRecord | undefined>;
  get(id: string): Promise<TokenRecord | undefined>;
  listBySubject(subject: string): Promise<TokenRecord[]>;
  revoke(id: string): Promise<void>;
}

export interface ApproverKeyRepository {
  /** Registers or replaces the user's key. */
  put(key: ApproverKeyRecord): Promise<void>;
  get(userId: string): Promise<ApproverKeyRecord | undefined>;
  list(): Promise<ApproverKeyRecord[]>;
}

export interface ServiceRepository {
  insert(service: ServiceRecord): Promise<void>;
  get(name: string): Promise<ServiceRecord | undefined>;
  list(): Promise<ServiceRecord[]>;
  update(service: ServiceRecord): Promise<void>;
}

export interface GrantFilter {
  readonly service?: string;
  readonly status?: GrantStatus;
  readonly requester?: string;
}

export interface GrantRepository {
  insert(grant: GrantRecord): Promise<void>;
  get(id: string): Promise<GrantRecord | undefined>;
  list(filter: GrantFilter): Promise<GrantRecord[]>;
  update(grant: GrantRecord): Promise<void>;
  insertApproval(approval: ApprovalRecord): Promise<void>;
  listApprovals(grantId: string): Promise<ApprovalRecord[]>;
}

export interface AuditRepository {
  /** The last row's seq and hash, or undefined for an empty log. */
  head(): Promise<AuditHead | undefined>;
  /** Appends a row and moves the stored head to it. */
  append(row: AuditRow): Promise<void>;
  /** The stored head anchor, kept apart from the rows so that truncation shows. */
  storedHead(): Promise<AuditHead | undefined>;
  /** Rows in seq order, from `afterSeq` (exclusive), at most `limit`. */
  list(afterSeq: number, limit: number): Promise<AuditRow[]>;
}

export interface ProbeFilter {
  readonly service?: string;
  readonly grantId?: string;
  /** true: only probes not removed. */
  readonly activeOnly?: boolean;
}

export interface ProbeRepository {
  insert(probe: ProbeRecord): Promise<void>;
  get(id: string): Promise<ProbeRecord | undefined>;
  list(filter: ProbeFilter): Promise<ProbeRecord[]>;
  update(probe: ProbeRecord): Promise<void>;
}

export interface SnapshotFilter {
  readonly service?: string;
  readonly probeId?: string;
  readonly grantId?: string;
  /** Only snapshots that have not expired at this time. */
  readonly aliveAtMs?: number;
  readonly limit: number;
}

export interface SnapshotRepository {
  insert(snapshot: SnapshotRecord): Promise<void>;
  get(id: string): Promise<SnapshotRecord | undefined>;
  /** Newest first. */
  list(filter: SnapshotFilter): Promise<SnapshotRecord[]>;
  /** Deletes snapshots whose expiry is at or before `nowMs`; returns how many. */
  deleteExpired(nowMs: number): Promise<number>;
}

export interface KillSwitchRepository {
  put(record: KillSwitchRecord): Promise<void>;
  list(): Promise<KillSwitchRecord[]>;
}

export interface RunbookRunFilter {
  /** Only runs this person started. */
  readonly startedBy?: string;
  /** Only runs whose stored state is one of these. */
  readonly states?: readonly string[];
  readonly limit: number;
}

export interface RunbookRunRepository {
  insert(run: RunbookRunRecord): Promise<void>;
  get(grantId: string): Promise<RunbookRunRecord | undefined>;
  /** Newest first. */
  list(filter: RunbookRunFilter): Promise<RunbookRunRecord[]>;
  /** Stores state, notAfterMs, armed, probeIds and problems. */
  update(run: RunbookRunRecord): Promise<void>;
  /** Registers or replaces a probe's totals. */
  putProbe(probe: RunbookRunProbeRecord): Promise<void>;
  listProbes(grantId: string): Promise<RunbookRunProbeRecord[]>;
  /** Registers or replaces one result row. */
  putRow(row: RunResultRowRecord): Promise<void>;
  listRows(probeId: string): Promise<RunResultRowRecord[]>;
}

export interface Repositories {
  readonly users: UserRepository;
  readonly tokens: TokenRepository;
  readonly approverKeys: ApproverKeyRepository;
  readonly services: ServiceRepository;
  readonly grants: GrantRepository;
  readonly audit: AuditRepository;
  readonly probes: ProbeRepository;
  readonly snapshots: SnapshotRepository;
  readonly killSwitches: KillSwitchRepository;
  readonly runbookRuns: RunbookRunRepository;
}

export interface Store {
  /**
   * Runs `work` atomically: every write inside commits together or not at
   * all, and no other transaction interleaves with it. Do not keep the
   * repositories beyond the callback.
   */
  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}
