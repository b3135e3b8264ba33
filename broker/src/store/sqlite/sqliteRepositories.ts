/**
 * The repositories over one better-sqlite3 connection. Statements run
 * synchronously; the methods are async only to honour the Store interface.
 * Statements are prepared once per connection (see statementCache.ts).
 */
import type Database from 'better-sqlite3';
import { type Role } from '../../identity/roles';
import {
  type ApprovalRecord,
  type ApproverKeyRecord,
  type AuditHead,
  type AuditRow,
  type GrantKind,
  type GrantRecord,
  type GrantStatus,
  type ServicePolicy,
  type ServiceRecord,
  type TokenKind,
  type TokenRecord,
  type UserRecord,
} from '../records';
import {
  type ApproverKeyRepository,
  type AuditRepository,
  type GrantFilter,
  type GrantRepository,
  type Repositories,
  type ServiceRepository,
  type TokenRepository,
  type UserRepository,
} from '../store';
import { sqliteKillSwitches, sqliteProbes, sqliteSnapshots } from './sqliteCaptureRepositories';
import { sqliteRunbookRuns } from './sqliteRunbookRepositories';
import { type Prepare, statementCache } from './statementCache';

type Row = Record<string, unknown>;

const str = (v: unknown): string => (typeof v === 'string' ? v : String(v ?? ''));
const num = (v: unknown): number => (typeof v === 'number' ? v : typeof v === 'bigint' ? Number(v) : Number(v ?? 0));
const bytes = (v: unknown): Uint8Array | undefined => (v instanceof Uint8Array ? new Uint8Array(v) : undefined);
const json = <T>(v: unknown): T => JSON.parse(str(v)) as T;

function toUser(r: Row): UserRecord {
  return { id: str(r.id), roles: json<Role[]>(r.roles), disabled: num(r.disabled) !== 0, createdAtMs: num(r.created_at_ms) };
}

function toToken(r: Row): TokenRecord {
  return {
    id: str(r.id),
    hash: str(r.hash),
    kind: str(r.kind) as TokenKind,
    subject: str(r.subject),
    createdAtMs: num(r.created_at_ms),
    expiresAtMs: num(r.expires_at_ms),
    revoked: num(r.revoked) !== 0,
  };
}

function toService(r: Row): ServiceRecord {
  return { name: str(r.name), policy: json<ServicePolicy>(r.policy), createdAtMs: num(r.created_at_ms), updatedAtMs: num(r.updated_at_ms) };
}

function toGrant(r: Row): GrantRecord {
  return {
    id: str(r.id),
    service: str(r.service),
    requester: str(r.requester),
    selector: json<Record<string, string>>(r.selector),
    scopeGlobs: json<string[]>(r.scope_globs),
    kinds: json<GrantKind[]>(r.kinds),
    requestedDurationMs: num(r.requested_duration_ms),
    maxHitsPerProbe: num(r.max_hits_per_probe),
    reason: str(r.reason),
    ticket: str(r.ticket),
    status: str(r.status) as GrantStatus,
    createdAtMs: num(r.created_at_ms),
    body: bytes(r.body),
    notBeforeMs: num(r.not_before_ms),
    notAfterMs: num(r.not_after_ms),
    closedBy: str(r.closed_by),
    closedReason: str(r.closed_reason),
    closedAtMs: num(r.closed_at_ms),
  };
}

function toAudit(r: Row): AuditRow {
  return {
    seq: num(r.seq),
    atMs: num(r.at_ms),
    actor: str(r.actor),
    action: str(r.action),
    subject: str(r.subject),
    details: str(r.details),
    prevHash: str(r.prev_hash),
    hash: str(r.hash),
  };
}

function users(prepare: Prepare): UserRepository {
  return {
    async insert(u) {
      prepare('INSERT INTO users (id, roles, disabled, created_at_ms) VALUES (?, ?, ?, ?)').run(u.id, JSON.stringify(u.roles), u.disabled ? 1 : 0, u.createdAtMs);
    },
    async get(id) {
      const r = prepare('SELECT * FROM users WHERE id = ?').get(id) as Row | undefined;
      return r && toUser(r);
    },
    async list() {
      return (prepare('SELECT * FROM users ORDER BY id').all() as Row[]).map(toUser);
    },
    async update(u) {
      prepare('UPDATE users SET roles = ?, disabled = ? WHERE id = ?').run(JSON.stringify(u.roles), u.disabled ? 1 : 0, u.id);
    },
    async count() {
      return num((prepare('SELECT COUNT(*) AS n FROM users').get() as Row).n);
    },
  };
}

function tokens(prepare: Prepare): TokenRepository {
  return {
    async insert(t) {
      prepare('INSERT INTO tokens (id, hash, kind, subject, created_at_ms, expires_at_ms, revoked) VALUES (?, ?, ?, ?, ?, ?, ?)').run(
        t.id,
        t.hash,
        t.kind,
        t.subject,
        t.createdAtMs,
        t.expiresAtMs,
        t.revoked ? 1 : 0,
      );
    },
    async findByHash(hash) {
      const r = prepare('SELECT * FROM tokens WHERE hash = ?').get(hash) as Row | undefined;
      return r && toToken(r);
    },
    async get(id) {
      const r = prepare('SELECT * FROM tokens WHERE id = ?').get(id) as Row | undefined;
      return r && toToken(r);
    },
    async listBySubject(subject) {
      return (prepare('SELECT * FROM tokens WHERE subject = ? ORDER BY created_at_ms').all(subject) as Row[]).map(toToken);
    },
    async revoke(id) {
      prepare('UPDATE tokens SET revoked = 1 WHERE id = ?').run(id);
    },
  };
}

function approverKeys(prepare: Prepare): ApproverKeyRepository {
  const toKey = (r: Row): ApproverKeyRecord => ({ userId: str(r.user_id), publicKeyPem: str(r.public_key_pem), registeredAtMs: num(r.registered_at_ms) });
  return {
    async put(k) {
      prepare(
        `INSERT INTO approver_keys (user_id, public_key_pem, registered_at_ms) VALUES (?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET public_key_pem = excluded.public_key_pem, registered_at_ms = excluded.registered_at_ms`,
      ).run(k.userId, k.publicKeyPem, k.registeredAtMs);
    },
    async get(userId) {
      const r = prepare('SELECT * FROM approver_keys WHERE user_id = ?').get(userId) as Row | undefined;
      return r && toKey(r);
    },
    async list() {
      return (prepare('SELECT * FROM approver_keys ORDER BY user_id').all() as Row[]).map(toKey);
    },
  };
}

function services(prepare: Prepare): ServiceRepository {
  return {
    async insert(s) {
      prepare('INSERT INTO services (name, policy, created_at_ms, updated_at_ms) VALUES (?, ?, ?, ?)').run(s.name, JSON.stringify(s.policy), s.createdAtMs, s.updatedAtMs);
    },
    async get(name) {
      const r = prepare('SELECT * FROM services WHERE name = ?').get(name) as Row | undefined;
      return r && toService(r);
    },
    async list() {
      return (prepare('SELECT * FROM services ORDER BY name').all() as Row[]).map(toService);
    },
    async update(s) {
      prepare('UPDATE services SET policy = ?, updated_at_ms = ? WHERE name = ?').run(JSON.stringify(s.policy), s.updatedAtMs, s.name);
    },
  };
}

function grants(prepare: Prepare): GrantRepository {
  const toApproval = (r: Row): ApprovalRecord => ({
    grantId: str(r.grant_id),
    approverId: str(r.approver_id),
    signature: bytes(r.signature) ?? new Uint8Array(),
    signedAtMs: num(r.signed_at_ms),
  });
  return {
    async insert(g) {
      prepare(
        `INSERT INTO grants (id, service, requester, selector, scope_globs, kinds, requested_duration_ms, max_hits_per_probe, reason, ticket, status,
           created_at_ms, body, not_before_ms, not_after_ms, closed_by, closed_reason, closed_at_ms)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(
        g.id,
        g.service,
        g.requester,
        JSON.stringify(g.selector),
        JSON.stringify(g.scopeGlobs),
        JSON.stringify(g.kinds),
        g.requestedDurationMs,
        g.maxHitsPerProbe,
        g.reason,
        g.ticket,
        g.status,
        g.createdAtMs,
        g.body ? Buffer.from(g.body) : null,
        g.notBeforeMs,
        g.notAfterMs,
        g.closedBy,
        g.closedReason,
        g.closedAtMs,
      );
    },
    async get(id) {
      const r = prepare('SELECT * FROM grants WHERE id = ?').get(id) as Row | undefined;
      return r && toGrant(r);
    },
    async list(filter: GrantFilter) {
      const where: string[] = [];
      const args: string[] = [];
      const columns = [
        ['service', filter.service],
        ['status', filter.status],
        ['requester', filter.requester],
      ] as const;
      for (const [column, value] of columns) {
        if (value === undefined) continue;
        where.push(`${column} = ?`);
        args.push(value);
      }
      const sql = `SELECT * FROM grants ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at_ms, id`;
      return (prepare(sql).all(...args) as Row[]).map(toGrant);
    },
    async update(g) {
      prepare(
        `UPDATE grants SET status = ?, body = ?, not_before_ms = ?, not_after_ms = ?, closed_by = ?, closed_reason = ?, closed_at_ms = ? WHERE id = ?`,
      ).run(g.status, g.body ? Buffer.from(g.body) : null, g.notBeforeMs, g.notAfterMs, g.closedBy, g.closedReason, g.closedAtMs, g.id);
    },
    async insertApproval(a) {
      prepare('INSERT INTO approvals (grant_id, approver_id, signature, signed_at_ms) VALUES (?, ?, ?, ?)').run(
        a.grantId,
        a.approverId,
        Buffer.from(a.signature),
        a.signedAtMs,
      );
    },
    async listApprovals(grantId) {
      return (prepare('SELECT * FROM approvals WHERE grant_id = ? ORDER BY signed_at_ms, approver_id').all(grantId) as Row[]).map(toApproval);
    },
  };
}

function audit(prepare: Prepare): AuditRepository {
  return {
    async head(): Promise<AuditHead | undefined> {
      const r = prepare('SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1').get() as Row | undefined;
      return r && { seq: num(r.seq), hash: str(r.hash) };
    },
    async append(row) {
      prepare('INSERT INTO audit (seq, at_ms, actor, action, subject, details, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
        row.seq,
        row.atMs,
        row.actor,
        row.action,
        row.subject,
        row.details,
        row.prevHash,
        row.hash,
      );
      prepare(
        `INSERT INTO audit_head (id, seq, hash) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash`,
      ).run(row.seq, row.hash);
    },
    async storedHead() {
      const r = prepare('SELECT seq, hash FROM audit_head WHERE id = 1').get() as Row | undefined;
      return r && { seq: num(r.seq), hash: str(r.hash) };
    },
    async list(afterSeq, limit) {
      return (prepare('SELECT * FROM audit WHERE seq > ? ORDER BY seq LIMIT ?').all(afterSeq, limit) as Row[]).map(toAudit);
    },
  };
}

/** The repositories over `db`, sharing one cache of prepared statements. */
export function sqliteRepositories(db: Database.Database): Repositories {
  const prepare = statementCache(db);
  return {
    users: users(prepare),
    tokens: tokens(prepare),
    approverKeys: approverKeys(prepare),
    services: services(prepare),
    grants: grants(prepare),
    audit: audit(prepare),
    probes: sqliteProbes(prepare),
    snapshots: sqliteSnapshots(prepare),
    killSwitches: sqliteKillSwitches(prepare),
    runbookRuns: sqliteRunbookRuns(prepare),
  };
}
