/**
 * The embedded default store: one SQLite file through better-sqlite3 (the
 * most used and best kept synchronous SQLite binding for Node; synchronous
 * calls make each statement atomic without callbacks).
 *
 * WAL mode lets readers (for example `keyhole audit verify` in another
 * process) read while the broker writes. Transactions are serialised through
 * a queue: a transaction may await between statements, and nothing else may
 * run on the connection until it commits or rolls back. Transactions queued
 * together commit together (groupCommit.ts).
 */
import Database from 'better-sqlite3';
import { type Repositories, type Store } from '../store';
import { brokerError, BrokerErrorCode } from '../../errors';
import { LATEST_SCHEMA_VERSION, migrate } from './migrations';
import { GroupCommitQueue } from './groupCommit';
import { sqliteRepositories } from './sqliteRepositories';

export interface SqliteStoreOptions {
  /** How long a statement waits for another process's write lock. Default 5000 ms. */
  readonly busyTimeoutMs?: number;
  /**
   * Open an existing file for reading only (e.g. `keyhole audit verify --db`
   * beside a running broker): no migration, no writes. Default false.
   */
  readonly readonly?: boolean;
}

export const DEFAULT_SQLITE_BUSY_TIMEOUT_MS = 5000;

export class SqliteStore implements Store {
  private readonly queue: GroupCommitQueue;
  private readonly repos: Repositories;
  private closed = false;

  private constructor(
    private readonly db: Database.Database,
    private readonly readonly: boolean,
  ) {
    this.repos = sqliteRepositories(db);
    // IMMEDIATE takes the write lock up front, so two brokers on one file
    // cannot both read the audit head and append the same seq.
    this.queue = new GroupCommitQueue(db, readonly ? 'BEGIN' : 'BEGIN IMMEDIATE');
  }

  /** Opens (creating if needed) and migrates the file at `path`. */
  static open(path: string, options: SqliteStoreOptions = {}): SqliteStore {
    const readonly = options.readonly ?? false;
    let db: Database.Database;
    try {
      db = new Database(path, readonly ? { readonly: true, fileMustExist: true } : {});
    } catch (err) {
      throw brokerError(BrokerErrorCode.StoreSchema, `cannot open the database ${path}: ${(err as Error).message}`, 'check the --db path');
    }
    try {
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? DEFAULT_SQLITE_BUSY_TIMEOUT_MS))}`);
      if (readonly) {
        requireCurrentSchema(db);
      } else {
        db.pragma('journal_mode = WAL');
        db.pragma('foreign_keys = ON');
        db.pragma('synchronous = NORMAL');
        migrate(db);
      }
    } catch (err) {
      db.close();
      throw err;
    }
    return new SqliteStore(db, readonly);
  }

  /** The versions recorded in schema_migrations, oldest first. */
  schemaVersions(): number[] {
    return (this.db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version);
  }

  journalMode(): string {
    return String(this.db.pragma('journal_mode', { simple: true }));
  }

  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error('the store is closed'));
    return this.queue.run(() => work(this.repos));
  }

  async close(): Promise<void> {
    await this.queue.idle();
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}

function requireCurrentSchema(db: Database.Database): void {
  let version = 0;
  try {
    version = Number((db.prepare('SELECT MAX(version) AS v FROM schema_migrations').get() as { v: number | null }).v ?? 0);
  } catch {
    version = 0;
  }
  if (version !== LATEST_SCHEMA_VERSION) {
    throw brokerError(
      BrokerErrorCode.StoreSchema,
      `the database has schema version ${version}, this build reads version ${LATEST_SCHEMA_VERSION}`,
      version < LATEST_SCHEMA_VERSION ? 'start the broker once on this file to migrate it' : 'use a keyhole at least as new as the broker that wrote it',
    );
  }
}
