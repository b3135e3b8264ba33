/**
 * The embedded default store: one SQLite file through better-sqlite3 (the
 * most used and best kept synchronous SQLite binding for Node; synchronous
 * calls make each statement atomic without callbacks).
 *
 * WAL mode lets readers (for example `keyhole audit verify` in another
 * process) read while the broker writes. Transactions are serialised through
 * a queue: a transaction may await between statements, and nothing else may
 * run on the connection until it commits or rolls back.
 */
import Database from 'better-sqlite3';
import { type Repositories, type Store } from '../store';
import { migrate } from './migrations';
import { sqliteRepositories } from './sqliteRepositories';

export interface SqliteStoreOptions {
  /** How long a statement waits for another process's write lock. Default 5000 ms. */
  readonly busyTimeoutMs?: number;
}

export const DEFAULT_SQLITE_BUSY_TIMEOUT_MS = 5000;

export class SqliteStore implements Store {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly repos: Repositories;
  private closed = false;

  private constructor(private readonly db: Database.Database) {
    this.repos = sqliteRepositories(db);
  }

  /** Opens (creating if needed) and migrates the file at `path`. */
  static open(path: string, options: SqliteStoreOptions = {}): SqliteStore {
    const db = new Database(path);
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('foreign_keys = ON');
      db.pragma('synchronous = NORMAL');
      db.pragma(`busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? DEFAULT_SQLITE_BUSY_TIMEOUT_MS))}`);
      migrate(db);
    } catch (err) {
      db.close();
      throw err;
    }
    return new SqliteStore(db);
  }

  /** The versions recorded in schema_migrations, oldest first. */
  schemaVersions(): number[] {
    return (this.db.prepare('SELECT version FROM schema_migrations ORDER BY version').all() as { version: number }[]).map((r) => r.version);
  }

  journalMode(): string {
    return String(this.db.pragma('journal_mode', { simple: true }));
  }

  transaction<T>(work: (repos: Repositories) => Promise<T>): Promise<T> {
    const run = async (): Promise<T> => {
      if (this.closed) throw new Error('the store is closed');
      // IMMEDIATE takes the write lock up front, so two brokers on one file
      // cannot both read the audit head and append the same seq.
      this.db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work(this.repos);
        this.db.exec('COMMIT');
        return result;
      } catch (err) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw err;
      }
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  async close(): Promise<void> {
    await this.queue;
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }
}
