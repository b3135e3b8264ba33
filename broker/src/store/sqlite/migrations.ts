/**
 * The SQLite schema as numbered steps. A step, once released, never changes:
 * fixes go into a new step. `schema_migrations` records which steps ran, so a
 * reopened file only runs the steps it has not seen.
 */
import type Database from 'better-sqlite3';
import { brokerError, BrokerErrorCode } from '../../errors';

export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'identities',
    sql: `
      CREATE TABLE users (
        id TEXT PRIMARY KEY,
        roles TEXT NOT NULL,             -- JSON array of role names
        disabled INTEGER NOT NULL DEFAULT 0,
        created_at_ms INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE tokens (
        id TEXT PRIMARY KEY,
        hash TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('user', 'agent')),
        subject TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL,
        expires_at_ms INTEGER NOT NULL DEFAULT 0,
        revoked INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX tokens_subject ON tokens (subject);
      CREATE TABLE approver_keys (
        user_id TEXT PRIMARY KEY REFERENCES users (id),
        public_key_pem TEXT NOT NULL,
        registered_at_ms INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 2,
    name: 'services-and-grants',
    sql: `
      CREATE TABLE services (
        name TEXT PRIMARY KEY,
        policy TEXT NOT NULL,            -- JSON ServicePolicy
        created_at_ms INTEGER NOT NULL,
        updated_at_ms INTEGER NOT NULL
      ) STRICT;
      CREATE TABLE grants (
        id TEXT PRIMARY KEY,
        service TEXT NOT NULL REFERENCES services (name),
        requester TEXT NOT NULL,
        selector TEXT NOT NULL,          -- JSON object
        scope_globs TEXT NOT NULL,       -- JSON array
        kinds TEXT NOT NULL,             -- JSON array
        requested_duration_ms INTEGER NOT NULL,
        max_hits_per_probe INTEGER NOT NULL DEFAULT 0,
        reason TEXT NOT NULL,
        ticket TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'approved', 'rejected', 'revoked')),
        created_at_ms INTEGER NOT NULL,
        body BLOB,
        not_before_ms INTEGER NOT NULL DEFAULT 0,
        not_after_ms INTEGER NOT NULL DEFAULT 0,
        closed_by TEXT NOT NULL DEFAULT '',
        closed_reason TEXT NOT NULL DEFAULT '',
        closed_at_ms INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE INDEX grants_service_status ON grants (service, status);
      CREATE TABLE approvals (
        grant_id TEXT NOT NULL REFERENCES grants (id),
        approver_id TEXT NOT NULL,
        signature BLOB NOT NULL,
        signed_at_ms INTEGER NOT NULL,
        PRIMARY KEY (grant_id, approver_id)
      ) STRICT;
    `,
  },
  {
    version: 3,
    name: 'audit-chain',
    sql: `
      CREATE TABLE audit (
        seq INTEGER PRIMARY KEY,
        at_ms INTEGER NOT NULL,
        actor TEXT NOT NULL,
        action TEXT NOT NULL,
        subject TEXT NOT NULL,
        details TEXT NOT NULL,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
      -- One row: the last appended seq and hash, so that cutting rows off
      -- the end of the chain shows up in verification.
      CREATE TABLE audit_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 4,
    name: 'probes-snapshots-kill-switch',
    sql: `
      CREATE TABLE probes (
        id TEXT PRIMARY KEY,
        grant_id TEXT NOT NULL REFERENCES grants (id),
        service TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('SNAPSHOT', 'LOGPOINT')),
        path TEXT NOT NULL,
        line INTEGER NOT NULL,
        column_number INTEGER NOT NULL DEFAULT 0,
        condition TEXT NOT NULL DEFAULT '',
        hit_condition TEXT NOT NULL DEFAULT '',
        log_template TEXT NOT NULL DEFAULT '',
        max_hits INTEGER NOT NULL DEFAULT 0,
        expires_at_ms INTEGER NOT NULL DEFAULT 0,
        created_by TEXT NOT NULL,
        created_at_ms INTEGER NOT NULL,
        removed_at_ms INTEGER NOT NULL DEFAULT 0,
        removed_by TEXT NOT NULL DEFAULT '',
        remove_reason TEXT NOT NULL DEFAULT ''
      ) STRICT;
      CREATE INDEX probes_grant ON probes (grant_id);
      CREATE INDEX probes_service ON probes (service, removed_at_ms);
      CREATE TABLE snapshots (
        id TEXT PRIMARY KEY,
        service TEXT NOT NULL,
        grant_id TEXT NOT NULL,
        probe_id TEXT NOT NULL,
        instance_id TEXT NOT NULL,
        captured_at_ms INTEGER NOT NULL,
        received_at_ms INTEGER NOT NULL,
        expires_at_ms INTEGER NOT NULL,
        data BLOB NOT NULL               -- the encoded keyhole.v1.Snapshot, as the agent sent it
      ) STRICT;
      CREATE INDEX snapshots_expiry ON snapshots (expires_at_ms);
      CREATE INDEX snapshots_probe ON snapshots (probe_id, captured_at_ms);
      CREATE TABLE kill_switches (
        scope TEXT PRIMARY KEY,          -- 'global' or a service name
        is_on INTEGER NOT NULL,
        reason TEXT NOT NULL,
        set_by TEXT NOT NULL,
        set_at_ms INTEGER NOT NULL
      ) STRICT;
    `,
  },
  {
    version: 5,
    name: 'snapshot-trace-ids',
    // The OpenTelemetry ids a snapshot carries, as columns so lists (the
    // IDE's history view) can show them without decoding every snapshot.
    sql: `
      ALTER TABLE snapshots ADD COLUMN trace_id TEXT NOT NULL DEFAULT '';
      ALTER TABLE snapshots ADD COLUMN span_id TEXT NOT NULL DEFAULT '';
    `,
  },
  {
    version: 6,
    name: 'runbook-runs',
    // Runbook runs and their result tables, so a broker restart keeps them.
    // Results are the aggregated rows the page shows (a count per masked
    // message), never variables: snapshots stay in the snapshots table.
    sql: `
      CREATE TABLE runbook_runs (
        id TEXT PRIMARY KEY,
        grant_id TEXT NOT NULL UNIQUE REFERENCES grants (id),
        runbook_id TEXT NOT NULL,
        title TEXT NOT NULL,
        service TEXT NOT NULL,
        started_by TEXT NOT NULL,
        started_at_ms INTEGER NOT NULL,
        state TEXT NOT NULL,
        not_after_ms INTEGER NOT NULL DEFAULT 0,
        armed INTEGER NOT NULL DEFAULT 0,
        probe_ids TEXT NOT NULL DEFAULT '[]',   -- JSON array
        problems TEXT NOT NULL DEFAULT '[]'     -- JSON array
      ) STRICT;
      CREATE INDEX runbook_runs_started ON runbook_runs (started_by, started_at_ms);
      CREATE INDEX runbook_runs_state ON runbook_runs (state);
      CREATE TABLE runbook_run_probes (
        probe_id TEXT PRIMARY KEY,
        grant_id TEXT NOT NULL REFERENCES runbook_runs (grant_id),
        label TEXT NOT NULL,
        kind TEXT NOT NULL CHECK (kind IN ('SNAPSHOT', 'LOGPOINT')),
        total INTEGER NOT NULL DEFAULT 0,
        masked_kinds TEXT NOT NULL DEFAULT '[]' -- JSON array
      ) STRICT;
      CREATE INDEX runbook_run_probes_grant ON runbook_run_probes (grant_id);
      CREATE TABLE runbook_result_rows (
        probe_id TEXT NOT NULL REFERENCES runbook_run_probes (probe_id),
        message TEXT NOT NULL,
        count INTEGER NOT NULL,
        first_at_ms INTEGER NOT NULL,
        last_at_ms INTEGER NOT NULL,
        PRIMARY KEY (probe_id, message)
      ) STRICT;
    `,
  },
  {
    version: 7,
    name: 'probe-frames-with-locals',
    // A snapshot probe's own choice of how many frames it captures with
    // variables; 0 (every probe set before this step) is the agent's setting.
    sql: `
      ALTER TABLE probes ADD COLUMN frames_with_locals INTEGER NOT NULL DEFAULT 0;
    `,
  },
];

/** The newest schema version this build knows. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS.reduce((max, m) => Math.max(max, m.version), 0);

/**
 * Brings the file's schema up to date, one step per transaction. Returns the
 * versions it applied. Refuses a file written by a newer broker, which this
 * build would otherwise misread.
 */
export function migrate(db: Database.Database, migrations: readonly Migration[] = MIGRATIONS): number[] {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at_ms INTEGER NOT NULL
  ) STRICT`);
  const applied = new Set((db.prepare('SELECT version FROM schema_migrations').all() as { version: number }[]).map((r) => r.version));
  const newest = Math.max(0, ...applied);
  const known = Math.max(0, ...migrations.map((m) => m.version));
  if (newest > known) {
    throw brokerError(
      BrokerErrorCode.StoreSchema,
      `the database has schema version ${newest}, this broker knows up to ${known}`,
      'run a broker at least as new as the one that last wrote this database',
    );
  }
  const ran: number[] = [];
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?, ?, ?)');
  for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      record.run(m.version, m.name, Date.now());
    })();
    ran.push(m.version);
  }
  return ran;
}
