/**
 * Prepared statements kept per connection, keyed by their SQL text.
 *
 * better-sqlite3's `db.prepare` compiles the SQL every time it is called; on
 * the snapshot path (about ten statements per stored snapshot) compiling was
 * the broker's largest single cost (bench/broker.mjs, CPU profile). The
 * repositories build their SQL from a fixed set of texts (filters only
 * choose among a few WHERE clauses), so the cache stays small; `maxEntries`
 * bounds it anyway, should a caller ever build SQL from data.
 */
import type Database from 'better-sqlite3';

/** Statements kept per connection; beyond this the oldest is dropped. Default 256. */
export const DEFAULT_STATEMENT_CACHE_ENTRIES = 256;

export type Prepare = (sql: string) => Database.Statement;

export function statementCache(db: Database.Database, maxEntries: number = DEFAULT_STATEMENT_CACHE_ENTRIES): Prepare {
  const cache = new Map<string, Database.Statement>();
  return (sql) => {
    let statement = cache.get(sql);
    if (statement) return statement;
    statement = db.prepare(sql);
    if (cache.size >= maxEntries) {
      const oldest = cache.keys().next();
      if (!oldest.done) cache.delete(oldest.value);
    }
    cache.set(sql, statement);
    return statement;
  };
}
