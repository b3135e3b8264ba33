import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { tempDir } from '../../testing/tempStore';
import { GroupCommitQueue } from './groupCommit';

/** A WAL file with one table, the queue over it, and a second connection that sees only what was committed. */
function fixture(): { queue: GroupCommitQueue; db: Database.Database; other: Database.Database; rows: () => string[]; insert: (v: string) => void; dispose: () => void } {
  const t = tempDir();
  const path = join(t.dir, 'g.db');
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.exec(`CREATE TABLE t (v TEXT PRIMARY KEY);
           CREATE TABLE parent (id INTEGER PRIMARY KEY);
           CREATE TABLE child (parent_id INTEGER REFERENCES parent (id) DEFERRABLE INITIALLY DEFERRED)`);
  const other = new Database(path, { readonly: true });
  return {
    queue: new GroupCommitQueue(db, 'BEGIN IMMEDIATE'),
    db,
    other,
    rows: () => (other.prepare('SELECT v FROM t ORDER BY v').all() as { v: string }[]).map((r) => r.v),
    insert: (v) => db.prepare('INSERT INTO t (v) VALUES (?)').run(v),
    dispose: () => {
      other.close();
      db.close();
      t.dispose();
    },
  };
}

test('transactions queued in one turn share one commit, and each resolves only once it is committed', async () => {
  const f = fixture();
  try {
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
  } finally {
    f.dispose();
  }
});

test('a transaction that throws rolls back only its own work; the others of its group commit', async () => {
  const f = fixture();
  try {
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
  } finally {
    f.dispose();
  }
});

test('when SQLite rolls the whole transaction back, the group so far is rejected and the rest still commits', async () => {
  const f = fixture();
  try {
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
  } finally {
    f.dispose();
  }
});

test('a failing COMMIT rejects every transaction of the group and stores none of them', async () => {
  const f = fixture();
  try {
    const a = f.queue.run(async () => f.insert('a'));
    // A deferred foreign key is checked at COMMIT, so the COMMIT itself fails.
    const b = f.queue.run(async () => f.db.prepare('INSERT INTO child (parent_id) VALUES (42)').run());
    await assert.rejects(a, /FOREIGN KEY constraint failed/);
    await assert.rejects(b, /FOREIGN KEY constraint failed/);
    assert.deepEqual(f.rows(), []);
    assert.equal(f.db.inTransaction, false);
    await f.queue.run(async () => f.insert('later'));
    assert.deepEqual(f.rows(), ['later'], 'the next group starts clean');
  } finally {
    f.dispose();
  }
});

test('transactions queued while a group runs run next, in order; idle() waits for all of them', async () => {
  const f = fixture();
  try {
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
  } finally {
    f.dispose();
  }
});

test('no group is larger than maxGroup', async () => {
  const f = fixture();
  try {
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
  } finally {
    f.dispose();
  }
});
