/**
 * Test helper: a real SQLite store in a fresh temporary directory, removed
 * when the test ends.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteStore } from '../store/sqlite/sqliteStore';

export interface TempStore {
  readonly store: SqliteStore;
  readonly dir: string;
  readonly path: string;
  dispose(): Promise<void>;
}

export function tempDir(prefix = 'keyhole-broker-'): { dir: string; dispose(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Runs `body` with a fresh temporary directory, removed afterwards whether or not `body` failed. */
export async function withTempDir(body: (dir: string) => void | Promise<void>): Promise<void> {
  const t = tempDir();
  try {
    await body(t.dir);
  } finally {
    t.dispose();
  }
}

export function openTempStore(): TempStore {
  const { dir, dispose } = tempDir();
  const path = join(dir, 'broker.db');
  const store = SqliteStore.open(path);
  return {
    store,
    dir,
    path,
    async dispose() {
      await store.close();
      dispose();
    },
  };
}

/** Runs `body` with a real SQLite store in a fresh temporary directory, closed and removed afterwards. */
export async function withTempStore(body: (store: SqliteStore) => Promise<void>): Promise<void> {
  const t = openTempStore();
  try {
    await body(t.store);
  } finally {
    await t.dispose();
  }
}
