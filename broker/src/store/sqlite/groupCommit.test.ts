import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { withTempDir } from '../../testing/tempStore';
import { GroupCommitQueue } from './groupCommit';

interface Fixture {
  readonly queue: GroupCommitQueue;
  readonly db: Database.Database;
  readonly other: Database.Database;
  rows(): string[];
  insert(v: string): void;
}

/**
 * Runs `body` with a WAL file with one table, the queue over it, and a second
 * connection that sees only what was committed; all closed and removed afterwards.
 */
async function withQueue(body: (f: Fixture) => Promise<void>): Promise<void> {
  await withTempDir(async (dir) => {
    const path = join(dir, 'g.db');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.pragma('foreign_keys = ON');
    db.exec(`CREATE TABLE t (v TEXT PRIMARY KEY);
             CREATE TABLE parent (id INTEGER PRIMARY KEY);
             CREATE TABLE child (parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)`);
    const other = new Database(path, { readonly: true });
    try {
      await body({
        queue: new GroupCommitQueue(db, 'BEGIN IMMEDIATE'),
        db,
        other,
        rows: () => (other.prepare('SELECT v FROM t ORDER BY v').all() as { v: string }[]).map((r) => r.v),
        insert: (v) => db.prepare('INSERT INTO t (v) VALUES (?)').run(v),
      });
    } finally {
      other.close();
      db.close();
    }
  });
}

test('transactions queued in one turn share one commit, and each resolves only once it is committed', async () => {
  await withQueue(async (f) => {
    const seenByOthers: string[][] = [];
    const committedWhenResolved: string[][] = [];
    const runs = ['a', 'b', 'c'].map((v) =>
      f.queue
        .run(async () => {
          seenByOthers.push(f.rows());
          f.insert(v);
          return v;
        })
        .then((value) => {
          committedWhenResolved.push(f.rows());
          return value;
        }),
    );
    assert.deepEqual(await Promise.all(runs), ['a', 'b', 'c']);
    assert.deepEqual(seenByOthers, [[], [], []], 'nothing of the group was visible to another connection before its one COMMIT');
    assert.deepEqual(committedWhenResolved, [['a', 'b', 'c'], ['a', 'b', 'c'], ['a', 'b', 'c']]);
  });
});

test('a transaction that throws rolls back only its own work; the others of its group commit', async () => {
  await withQueue(async (f) => {
    const a = f.queue.run(async () => f.insert('a'));
    const b = f.queue.run(async () => {
      f.insert('b');
      throw new Error('KH_TEST_FAIL');
    });
    const c = f.queue.run(async () => {
      f.insert('c');
      return (f.db.prepare('SELECT v FROM t ORDER BY v').all() as { v: string }[]).map((r) => r.v);
    });
    await a;
    await assert.rejects(b, /KH_TEST_FAIL/);
    assert.deepEqual(await c, ['a', 'c'], 'the failed transaction left nothing for the next one to see');
    assert.deepEqual(f.rows(), ['a', 'c']);
  });
});

test('when SQLite rolls the whole transaction back, the group so far is rejected and the rest still commits', async () => {
  await withQueue(async (f) => {
    f.insert('x');
    const a = f.queue.run(async () => f.insert('a'));
    // OR ROLLBACK: a conflict ends the entire SQLite transaction, not just this statement.
    const b = f.queue.run(async () => f.db.prepare('INSERT OR ROLLBACK INTO t (v) VALUES (?)').run('x'));
    const c = f.queue.run(async () => f.insert('c'));
    await assert.rejects(a, /rolled back this transaction together with a failing one/);
    await assert.rejects(b, /UNIQUE constraint failed/);
    await c;
    assert.deepEqual(f.rows(), ['c', 'x']);
    assert.equal(f.db.inTransaction, false);
  });
});

test('a failing COMMIT rejects every transaction of the group and stores none of them', async () => {
  await withQueue(async (f) => {
    const a = f.queue.run(async () => f.insert('a'));
    // A deferred foreign key is checked at COMMIT, so the COMMIT itself fails.
    const b = f.queue.run(async () => f.db.prepare('INSERT INTO child (parent_id) VALUES (42)').run());
    await assert.rejects(a, /FOREIGN KEY constraint failed/);
    await assert.rejects(b, /FOREIGN KEY constraint failed/);
    assert.deepEqual(f.rows(), []);
    assert.equal(f.db.inTransaction, false);
    await f.queue.run(async () => f.insert('later'));
    assert.deepEqual(f.rows(), ['later'], 'the next group starts clean');
  });
});

test('transactions queued while a group runs run next, in order; idle() waits for all of them', async () => {
  await withQueue(async (f) => {
    const order: string[] = [];
    void f.queue.run(async () => {
      order.push('first');
      void f.queue.run(async () => {
        order.push('queued from inside');
        f.insert('inner');
      });
      f.insert('outer');
    });
    await f.queue.idle();
    assert.deepEqual(order, ['first', 'queued from inside']);
    assert.deepEqual(f.rows(), ['inner', 'outer']);
  });
});

test('no group is larger than maxGroup', async () => {
  await withQueue(async (f) => {
    const queue = new GroupCommitQueue(f.db, 'BEGIN IMMEDIATE', 2);
    const seen: string[][] = [];
    await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map((v) =>
        queue.run(async () => {
          seen.push(f.rows());
          f.insert(v);
        }),
      ),
    );
    assert.deepEqual(seen, [[], [], ['a', 'b'], ['a', 'b'], ['a', 'b', 'c', 'd']]);
  });
});
