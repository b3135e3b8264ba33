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
