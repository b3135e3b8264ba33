/**
 * SQLite repository for runbook runs and their result tables (schema step 6).
 */
import { type GrantKind, type RunbookRunProbeRecord, type RunbookRunRecord, type RunResultRowRecord } from '../records';
import { type RunbookRunFilter, type RunbookRunRepository } from '../store';
import { type Prepare } from './statementCache';

type Row = Record<string, unknown>;
const str = (v: unknown): string => (typeof v === 'string' ? v : String(v ?? ''));
const num = (v: unknown): number => (typeof v === 'number' ? v : Number(v ?? 0));
const strings = (v: unknown): string[] => {
  const parsed: unknown = JSON.parse(str(v) || '[]');
  return Array.isArray(parsed) ? parsed.map(str) : [];
};

function toRun(r: Row): RunbookRunRecord {
  return {
    id: str(r.id),
    grantId: str(r.grant_id),
    runbookId: str(r.runbook_id),
    title: str(r.title),
    service: str(r.service),
    startedBy: str(r.started_by),
    startedAtMs: num(r.started_at_ms),
    state: str(r.state),
    notAfterMs: num(r.not_after_ms),
    armed: num(r.armed) !== 0,
    probeIds: strings(r.probe_ids),
    problems: strings(r.problems),
  };
}

function toProbe(r: Row): RunbookRunProbeRecord {
  return { grantId: str(r.grant_id), probeId: str(r.probe_id), label: str(r.label), kind: str(r.kind) as GrantKind, total: num(r.total), maskedKinds: strings(r.masked_kinds) };
}

function toRow(r: Row): RunResultRowRecord {
  return { probeId: str(r.probe_id), message: str(r.message), count: num(r.count), firstAtMs: num(r.first_at_ms), lastAtMs: num(r.last_at_ms) };
}

export function sqliteRunbookRuns(prepare: Prepare): RunbookRunRepository {
  return {
    async insert(run) {
      prepare(
        `INSERT INTO runbook_runs (id, grant_id, runbook_id, title, service, started_by, started_at_ms, state, not_after_ms, armed, probe_ids, problems)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(run.id, run.grantId, run.runbookId, run.title, run.service, run.startedBy, run.startedAtMs, run.state, run.notAfterMs, run.armed ? 1 : 0, JSON.stringify(run.probeIds), JSON.stringify(run.problems));
    },
    async get(grantId) {
      const r = prepare('SELECT * FROM runbook_runs WHERE grant_id = ?').get(grantId) as Row | undefined;
      return r && toRun(r);
    },
    async list(filter: RunbookRunFilter) {
      const conditions: string[] = [];
      const args: unknown[] = [];
      if (filter.startedBy !== undefined) {
        conditions.push('started_by = ?');
        args.push(filter.startedBy);
      }
      if (filter.states !== undefined) {
        conditions.push(`state IN (${filter.states.map(() => '?').join(', ') || "''"})`);
        args.push(...filter.states);
      }
      const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
      // rowid breaks ties between runs started in the same millisecond: the later insert is newer.
      return (prepare(`SELECT * FROM runbook_runs ${where} ORDER BY started_at_ms DESC, rowid DESC LIMIT ?`).all(...args, filter.limit) as Row[]).map(toRun);
    },
    async update(run) {
      prepare('UPDATE runbook_runs SET state = ?, not_after_ms = ?, armed = ?, probe_ids = ?, problems = ? WHERE grant_id = ?').run(
        run.state,
        run.notAfterMs,
        run.armed ? 1 : 0,
        JSON.stringify(run.probeIds),
        JSON.stringify(run.problems),
        run.grantId,
      );
    },
    async putProbe(p) {
      prepare(
        `INSERT INTO runbook_run_probes (probe_id, grant_id, label, kind, total, masked_kinds) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (probe_id) DO UPDATE SET total = excluded.total, masked_kinds = excluded.masked_kinds`,
      ).run(p.probeId, p.grantId, p.label, p.kind, p.total, JSON.stringify(p.maskedKinds));
    },
    async listProbes(grantId) {
      return (prepare('SELECT * FROM runbook_run_probes WHERE grant_id = ? ORDER BY rowid').all(grantId) as Row[]).map(toProbe);
    },
    async putRow(row) {
      prepare(
        `INSERT INTO runbook_result_rows (probe_id, message, count, first_at_ms, last_at_ms) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (probe_id, message) DO UPDATE SET count = excluded.count, first_at_ms = excluded.first_at_ms, last_at_ms = excluded.last_at_ms`,
      ).run(row.probeId, row.message, row.count, row.firstAtMs, row.lastAtMs);
    },
    async listRows(probeId) {
      return (prepare('SELECT * FROM runbook_result_rows WHERE probe_id = ?').all(probeId) as Row[]).map(toRow);
    },
  };
}
