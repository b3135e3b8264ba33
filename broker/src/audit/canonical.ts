/**
 * The canonical encodings the audit chain hashes. JSON with keys sorted at
 * every depth, no whitespace: the same value always gives the same text, in
 * any runtime and from any database.
 */
import { createHash } from 'node:crypto';
import { type AuditRow } from '../store/records';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export function canonicalJson(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value) : 'null';
  if (typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return JSON.stringify(value.toString());
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return 'null';
}

/** The first row's prev_hash: 64 zeros. */
export const GENESIS_HASH = '0'.repeat(64);

/**
 * sha256 over every field of the row except the hash itself, prev_hash
 * included, so a row cannot move, change or lose its predecessor unseen.
 */
export function hashAuditRow(row: Omit<AuditRow, 'hash'>): string {
  const canonical = canonicalJson([row.seq, row.atMs, row.actor, row.action, row.subject, row.details, row.prevHash]);
  return createHash('sha256').update(canonical, 'utf8').digest('hex');
}
