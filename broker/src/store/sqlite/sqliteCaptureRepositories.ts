/**
 * SQLite repositories for probes, snapshots and kill switches (schema steps 4, 5 and 7).
 */
import { type GrantKind, type KillSwitchRecord, type ProbeRecord, type SnapshotRecord } from '../records';
import { type KillSwitchRepository, type ProbeFilter, type ProbeRepository, type SnapshotFilter, type SnapshotRepository } from '../store';
import { type Prepare } from './statementCache';

type Row = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : String(v ?? ''));
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));

function toProbe(r: Row): ProbeRecord {
  return {
    id: str(r.id),
    grantId: str(r.grant_id),
    service: str(r.service),
    kind: str(r.kind) as GrantKind,
    path: str(r.path),
    line: num(r.line),
    column: num(r.column_number),
    condition: str(r.condition),
    hitCondition: str(r.hit_condition),
    logTemplate: str(r.log_template),
    maxHits: num(r.max_hits),
    framesWithLocals: num(r.frames_with_locals),
    expiresAtMs: num(r.expires_at_ms),
    createdBy: str(r.created_by),
    createdAtMs: num(r.created_at_ms),
    removedAtMs: num(r.removed_at_ms),
    removedBy: str(r.removed_by),
    removeReason: str(r.remove_reason),
  };
}

function toSnapshot(r: Row): SnapshotRecord {
  return {
    id: str(r.id),
    service: str(r.service),
    grantId: str(r.grant_id),
    probeId: str(r.probe_id),
    instanceId: str(r.instance_id),
    capturedAtMs: num(r.captured_at_ms),
    receivedAtMs: num(r.received_at_ms),
    expiresAtMs: num(r.expires_at_ms),
    traceId: str(r.trace_id),
    spanId: str(r.span_id),
    data: r.data instanceof Uint8Array ? new Uint8Array(r.data) : new Uint8Array(),
  };
}

function where(conditions: [string, unknown][]): { sql: string; args: unknown[] } {
  const used = conditions.filter(([, v]) => v !== undefined);
  return { sql: used.length ? `WHERE ${used.map(([c]) => c).join(' AND ')}` : '', args: used.map(([, v]) => v) };
}

export function sqliteProbes(prepare: Prepare): ProbeRepository {
  return {
    async insert(p) {
      prepare(
        `INSERT INTO probes (id, grant_id, service, kind, path, line, column_number, condition, hit_condition, log_template, max_hits, frames_with_locals,
           expires_at_ms, created_by, created_at_ms, removed_at_ms, removed_by, remove_reason)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(p.id, p.grantId, p.service, p.kind, p.path, p.line, p.column, p.condition, p.hitCondition, p.logTemplate, p.maxHits, p.framesWithLocals, p.expiresAtMs, p.createdBy, p.createdAtMs, p.removedAtMs, p.removedBy, p.removeReason);
    },
    async get(id) {
      const r = prepare('SELECT * FROM probes WHERE id = ?').get(id) as Row | undefined;
      return r && toProbe(r);
    },
    async list(filter: ProbeFilter) {
      const w = where([
        ['service = ?', filter.service],
        ['grant_id = ?', filter.grantId],
        ['removed_at_ms = ?', filter.activeOnly ? 0 : undefined],
      ]);
      return (prepare(`SELECT * FROM probes ${w.sql} ORDER BY created_at_ms, id`).all(...w.args) as Row[]).map(toProbe);
    },
    async update(p) {
      prepare('UPDATE probes SET removed_at_ms = ?, removed_by = ?, remove_reason = ? WHERE id = ?').run(p.removedAtMs, p.removedBy, p.removeReason, p.id);
    },
  };
}

export function sqliteSnapshots(prepare: Prepare): SnapshotRepository {
  return {
    async insert(s) {
      prepare(
        `INSERT INTO snapshots (id, service, grant_id, probe_id, instance_id, captured_at_ms, received_at_ms, expires_at_ms, trace_id, span_id, data)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(s.id, s.service, s.grantId, s.probeId, s.instanceId, s.capturedAtMs, s.receivedAtMs, s.expiresAtMs, s.traceId, s.spanId, Buffer.from(s.data));
    },
    async get(id) {
      const r = prepare('SELECT * FROM snapshots WHERE id = ?').get(id) as Row | undefined;
      return r && toSnapshot(r);
    },
    async list(filter: SnapshotFilter) {
      const w = where([
        ['service = ?', filter.service],
        ['probe_id = ?', filter.probeId],
        ['grant_id = ?', filter.grantId],
        ['expires_at_ms > ?', filter.aliveAtMs],
      ]);
      return (prepare(`SELECT * FROM snapshots ${w.sql} ORDER BY captured_at_ms DESC, id LIMIT ?`).all(...w.args, filter.limit) as Row[]).map(toSnapshot);
    },
    async deleteExpired(nowMs) {
      return prepare('DELETE FROM snapshots WHERE expires_at_ms <= ?').run(nowMs).changes;
    },
  };
}

export function sqliteKillSwitches(prepare: Prepare): KillSwitchRepository {
  return {
    async put(k: KillSwitchRecord) {
      prepare(
        `INSERT INTO kill_switches (scope, is_on, reason, set_by, set_at_ms) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (scope) DO UPDATE SET is_on = excluded.is_on, reason = excluded.reason, set_by = excluded.set_by, set_at_ms = excluded.set_at_ms`,
      ).run(k.scope, k.on ? 1 : 0, k.reason, k.setBy, k.setAtMs);
    },
    async list() {
      return (prepare('SELECT * FROM kill_switches ORDER BY scope').all() as Row[]).map((r) => ({
        scope: str(r.scope),
        on: num(r.is_on) !== 0,
        reason: str(r.reason),
        setBy: str(r.set_by),
        setAtMs: num(r.set_at_ms),
      }));
    },
  };
}
