import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import Database from 'better-sqlite3';
import { BrokerErrorCode, isBrokerError } from '../../errors';
import { withTempDir, withTempStore } from '../../testing/tempStore';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, migrate } from './migrations';
import { SqliteStore } from './sqliteStore';

test('a fresh file gets every migration, in WAL mode', async () => {
  await withTempDir(async (dir) => {
    const store = SqliteStore.open(join(dir, 'b.db'));
    assert.deepEqual(store.schemaVersions(), MIGRATIONS.map((m) => m.version));
    assert.equal(store.journalMode(), 'wal');
    await store.close();
  });
});

test('reopening an existing file keeps its rows and runs no migration twice', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'b.db');
    const first = SqliteStore.open(path);
    await first.transaction((r) => r.users.insert({ id: 'ann', roles: ['approver'], disabled: false, createdAtMs: 1 }));
    await first.close();

    const db = new Database(path);
    assert.equal(migrate(db).length, 0, 'nothing left to apply');
    db.close();

    const second = SqliteStore.open(path);
    assert.deepEqual(await second.transaction((r) => r.users.get('ann')), { id: 'ann', roles: ['approver'], disabled: false, createdAtMs: 1 });
    assert.deepEqual(second.schemaVersions(), MIGRATIONS.map((m) => m.version));
    await second.close();
  });
});

test('a file migrated part way is brought up to date step by step', async () => {
  await withTempDir((dir) => {
    const path = join(dir, 'b.db');
    const db = new Database(path);
    assert.deepEqual(migrate(db, MIGRATIONS.slice(0, 1)), [1]);
    assert.deepEqual(migrate(db), MIGRATIONS.slice(1).map((m) => m.version));
    db.close();
  });
});

test('step 7 gives probes written by the previous schema framesWithLocals 0, and new probes keep theirs', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'b.db');
    const db = new Database(path);
    assert.deepEqual(migrate(db, MIGRATIONS.filter((m) => m.version < 7)).at(-1), 6);
    db.prepare("INSERT INTO services (name, policy, created_at_ms, updated_at_ms) VALUES ('orders', '{}', 1, 1)").run();
    db.prepare(
      `INSERT INTO grants (id, service, requester, selector, scope_globs, kinds, requested_duration_ms, reason, ticket, status, created_at_ms)
       VALUES ('g_1', 'orders', 'dev', '{}', '["src/**"]', '["SNAPSHOT"]', 60000, 'bug', '', 'approved', 1)`,
    ).run();
    db.prepare("INSERT INTO probes (id, grant_id, service, kind, path, line, max_hits, created_by, created_at_ms) VALUES ('p_old', 'g_1', 'orders', 'SNAPSHOT', 'src/a.ts', 3, 5, 'dev', 2)").run();
    db.close();

    const store = SqliteStore.open(path);
    try {
      assert.deepEqual(store.schemaVersions(), MIGRATIONS.map((m) => m.version));
      const old = await store.transaction((r) => r.probes.get('p_old'));
      assert.deepEqual([old?.maxHits, old?.framesWithLocals], [5, 0], 'a probe from before step 7 means the agent\'s setting');
      await store.transaction((r) => r.probes.insert({ ...old!, id: 'p_new', line: 4, framesWithLocals: 1 }));
      assert.deepEqual((await store.transaction((r) => r.probes.list({ grantId: 'g_1' }))).map((p) => [p.id, p.framesWithLocals]), [['p_new', 1], ['p_old', 0]]);
    } finally {
      await store.close();
    }
  });
});

test('a file from a newer broker is refused with KH_STORE_SCHEMA', async () => {
  await withTempDir((dir) => {
    const path = join(dir, 'b.db');
    const db = new Database(path);
    migrate(db);
    db.prepare('INSERT INTO schema_migrations (version, name, applied_at_ms) VALUES (?, ?, ?)').run(LATEST_SCHEMA_VERSION + 1, 'future', 0);
    db.close();
    assert.throws(
      () => SqliteStore.open(path),
      (err: unknown) => isBrokerError(err) && err.code === BrokerErrorCode.StoreSchema,
    );
  });
});

test('a failing transaction rolls back all of its writes and later ones still run', async () => {
  await withTempStore(async (store) => {
    await assert.rejects(
      store.transaction(async (r) => {
        await r.users.insert({ id: 'bob', roles: ['developer'], disabled: false, createdAtMs: 1 });
        throw new Error('boom');
      }),
      /boom/,
    );
    assert.equal(await store.transaction((r) => r.users.get('bob')), undefined);
    await store.transaction((r) => r.users.insert({ id: 'bob', roles: ['developer'], disabled: false, createdAtMs: 2 }));
    assert.equal(await store.transaction((r) => r.users.count()), 1);
  });
});

test('transactions never interleave, even when they await between statements', async () => {
  await withTempStore(async (store) => {
    const order: string[] = [];
    const slow = store.transaction(async (r) => {
      order.push('a:start');
      await new Promise((resolve) => setImmediate(resolve));
      await r.users.insert({ id: 'a', roles: [], disabled: false, createdAtMs: 1 });
      order.push('a:end');
    });
    const fast = store.transaction(async (r) => {
      order.push('b:start');
      await r.users.insert({ id: 'b', roles: [], disabled: false, createdAtMs: 1 });
      order.push('b:end');
    });
    await Promise.all([slow, fast]);
    assert.deepEqual(order, ['a:start', 'a:end', 'b:start', 'b:end']);
  });
});

test('a read-only store reads beside a writer and refuses files it would misread', async () => {
  await withTempDir(async (dir) => {
    const path = join(dir, 'b.db');
    const writer = SqliteStore.open(path);
    await writer.transaction((r) => r.users.insert({ id: 'ann', roles: ['approver'], disabled: false, createdAtMs: 1 }));
    const reader = SqliteStore.open(path, { readonly: true });
    assert.equal((await reader.transaction((r) => r.users.get('ann')))?.id, 'ann');
    await assert.rejects(reader.transaction((r) => r.users.insert({ id: 'bob', roles: [], disabled: false, createdAtMs: 1 })), /readonly/);
    await reader.close();
    await writer.close();
    assert.throws(() => SqliteStore.open(join(dir, 'missing.db'), { readonly: true }), (err: unknown) => isBrokerError(err) && err.code === BrokerErrorCode.StoreSchema);
    const old = new Database(join(dir, 'old.db'));
    migrate(old, MIGRATIONS.slice(0, 1));
    old.close();
    assert.throws(() => SqliteStore.open(join(dir, 'old.db'), { readonly: true }), (err: unknown) => isBrokerError(err) && /migrate/.test(err.hint));
  });
});
