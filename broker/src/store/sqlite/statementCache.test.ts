import assert from 'node:assert/strict';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { statementCache } from './statementCache';

test('the same SQL gets the same prepared statement, and it keeps working', () => {
  const db = new Database(':memory:');
  try {
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)');
    const prepare = statementCache(db);
    const insert = prepare('INSERT INTO t (id, v) VALUES (?, ?)');
    assert.equal(prepare('INSERT INTO t (id, v) VALUES (?, ?)'), insert);
    insert.run(1, 'a');
    prepare('INSERT INTO t (id, v) VALUES (?, ?)').run(2, 'b');
    assert.deepEqual(prepare('SELECT v FROM t ORDER BY id').all(), [{ v: 'a' }, { v: 'b' }]);
    assert.notEqual(prepare('SELECT v FROM t ORDER BY id'), prepare('SELECT v FROM t ORDER BY id DESC'));
  } finally {
    db.close();
  }
});

test('beyond maxEntries the oldest statement is dropped and prepared again when asked for', () => {
  const db = new Database(':memory:');
  try {
    const prepare = statementCache(db, 2);
    const one = prepare('SELECT 1');
    const two = prepare('SELECT 2');
    prepare('SELECT 3'); // evicts SELECT 1
    assert.equal(prepare('SELECT 3'), prepare('SELECT 3'));
    assert.notEqual(prepare('SELECT 1'), one, 'SELECT 1 was evicted, so it is prepared anew');
    assert.notEqual(prepare('SELECT 2'), two, 'adding SELECT 1 back evicted SELECT 2');
    assert.deepEqual(prepare('SELECT 1 AS n').get(), { n: 1 });
  } finally {
    db.close();
  }
});
