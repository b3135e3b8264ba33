/**
 * Serialised transactions over one better-sqlite3 connection, committed in
 * groups.
 *
 * Each `run(work)` is one logical transaction: its statements all apply or
 * none do, and nothing else runs on the connection between them. Logical
 * transactions already waiting when the queue drains share one SQLite
 * transaction: each runs inside its own SAVEPOINT (a failure rolls back only
 * its own work and rejects only its own promise), and one COMMIT ends the
 * group. Every promise of a group settles after that COMMIT, so no caller
 * acts on work that was not made durable; if the COMMIT fails, every
 * transaction of the group is rejected with its error.
 *
 * Why: a COMMIT appends the transaction's pages to the WAL, and the pages a
 * stored snapshot touches (the audit head, index pages) are mostly the same
 * for every snapshot; under load, committing per snapshot was the largest
 * cost left on the broker's snapshot path (bench/broker.mjs). Under light
 * load a group is a single transaction and nothing changes; the queue never
 * waits for a group to fill.
 */
import type Database from 'better-sqlite3';

/** Logical transactions committed together at most. Default 64: bounds how long one COMMIT keeps the others waiting. */
export const DEFAULT_MAX_GROUP_TRANSACTIONS = 64;

interface Pending {
  readonly work: () => Promise<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: unknown) => void;
}

type Outcome = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: unknown };

const lostWithOthers = (): Error => new Error('the database rolled back this transaction together with a failing one; nothing of it was stored');

export class GroupCommitQueue {
  private readonly pending: Pending[] = [];
  private draining: Promise<void> | undefined;
  private readonly begin: Database.Statement;
  private readonly commit: Database.Statement;
  private readonly rollback: Database.Statement;
  private readonly savepoint: Database.Statement;
  private readonly release: Database.Statement;
  private readonly rollbackToSavepoint: Database.Statement;

  /** `beginSql`: `BEGIN IMMEDIATE` for a writer (takes the write lock up front), `BEGIN` for a reader. */
  constructor(
    private readonly db: Database.Database,
    beginSql: string,
    private readonly maxGroup: number = DEFAULT_MAX_GROUP_TRANSACTIONS,
  ) {
    // Prepared once: db.exec compiles its SQL on every call.
    this.begin = db.prepare(beginSql);
    this.commit = db.prepare('COMMIT');
    this.rollback = db.prepare('ROLLBACK');
    this.savepoint = db.prepare('SAVEPOINT kh_tx');
    this.release = db.prepare('RELEASE kh_tx');
    this.rollbackToSavepoint = db.prepare('ROLLBACK TO kh_tx');
  }

  run<T>(work: () => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ work, resolve: resolve as (value: unknown) => void, reject });
      // A microtask, not a timer: transactions queued in the same turn (say,
      // the snapshots of one socket read) form a group, and none waits longer.
      this.draining ??= Promise.resolve().then(() => this.drain());
    });
  }

  /** Resolves once everything queued so far has settled. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private async drain(): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const group = this.pending.splice(0, this.maxGroup);
        let outcomes: Outcome[];
        try {
          outcomes = await this.runGroup(group);
        } catch (error) {
          // Only a failing ROLLBACK TO or RELEASE gets here; end the transaction so the next group starts clean.
          if (this.db.inTransaction) this.rollback.run();
          outcomes = group.map(() => ({ ok: false, error }));
        }
        group.forEach((p, i) => {
          const o = outcomes[i];
          if (o?.ok) p.resolve(o.value);
          else p.reject(o?.error);
        });
      }
    } finally {
      this.draining = undefined;
    }
  }

  private async runGroup(group: readonly Pending[]): Promise<Outcome[]> {
    try {
      this.begin.run();
    } catch (error) {
      return group.map(() => ({ ok: false, error }));
    }
    const outcomes: Outcome[] = [];
    for (const p of group) {
      if (!this.db.inTransaction) {
        // SQLite ended the whole transaction on an error (e.g. SQLITE_FULL):
        // what the group did so far is gone. Start again for the rest.
        for (let i = 0; i < outcomes.length; i++) if (outcomes[i]?.ok) outcomes[i] = { ok: false, error: lostWithOthers() };
        try {
          this.begin.run();
        } catch (error) {
          while (outcomes.length < group.length) outcomes.push({ ok: false, error });
          return outcomes;
        }
      }
      this.savepoint.run();
      try {
        outcomes.push({ ok: true, value: await p.work() });
        this.release.run();
      } catch (error) {
        outcomes.push({ ok: false, error });
        if (this.db.inTransaction) {
          this.rollbackToSavepoint.run();
          this.release.run();
        }
      }
    }
    if (!this.db.inTransaction) return outcomes.map((o) => (o.ok ? { ok: false, error: lostWithOthers() } : o));
    try {
      this.commit.run();
      return outcomes;
    } catch (error) {
      if (this.db.inTransaction) this.rollback.run();
      return group.map(() => ({ ok: false, error }));
    }
  }
}
