/**
 * The hash-chained audit log. Each row carries the hash of the row before
 * it, and its own hash covers that link, so editing, deleting, inserting or
 * reordering any row breaks the chain at a row that verification names. A
 * separately stored head (last seq and hash) shows rows cut off the end.
 *
 * What the chain cannot show by itself: someone with write access to the
 * database who rewrites every row from the change onward and the head too.
 * Exported copies (`exportAudit`) kept elsewhere anchor against that: an
 * old export's last hash must still appear in today's chain.
 */
import { closeSync, openSync, writeSync } from 'node:fs';
import { type AuditRow } from '../store/records';
import { type Repositories, type Store } from '../store/store';
import { canonicalJson, GENESIS_HASH, hashAuditRow } from './canonical';

export interface AuditEntry {
  /** A user id, `agent:<service>`, `system`, or `anonymous` for failed logins. */
  readonly actor: string;
  /** What happened, e.g. `grant.approve` or `login.failed`. */
  readonly action: string;
  /** What it happened to, e.g. a grant id or user id. */
  readonly subject: string;
  readonly details?: Record<string, unknown>;
}

/** Appends one row; call inside the transaction that makes the change it records. */
export async function appendAudit(repos: Repositories, entry: AuditEntry, nowMs: number): Promise<AuditRow> {
  const head = await repos.audit.head();
  const unhashed = {
    seq: (head?.seq ?? 0) + 1,
    atMs: Math.floor(nowMs),
    actor: entry.actor,
    action: entry.action,
    subject: entry.subject,
    details: canonicalJson(entry.details ?? {}),
    prevHash: head?.hash ?? GENESIS_HASH,
  };
  const row: AuditRow = { ...unhashed, hash: hashAuditRow(unhashed) };
  await repos.audit.append(row);
  return row;
}

export const AuditProblem = {
  /** The row's content does not hash to its stored hash: it was edited. */
  HashMismatch: 'KH_AUDIT_HASH_MISMATCH',
  /** The row's prev_hash is not its predecessor's hash: a row was removed, inserted or moved. */
  ChainBroken: 'KH_AUDIT_CHAIN_BROKEN',
  /** Seq numbers skip: rows were deleted. */
  SeqGap: 'KH_AUDIT_SEQ_GAP',
  /** The stored head does not match the last row: rows were cut off or appended outside the broker. */
  HeadMismatch: 'KH_AUDIT_HEAD_MISMATCH',
} as const;
export type AuditProblem = (typeof AuditProblem)[keyof typeof AuditProblem];

export interface AuditFault {
  readonly seq: number;
  readonly problem: AuditProblem;
  readonly message: string;
}

export type AuditVerification =
  | { readonly ok: true; readonly rows: number; readonly headHash: string }
  | { readonly ok: false; readonly rows: number; readonly fault: AuditFault };

/** Rows read per transaction, so verification never holds the write lock for long. */
export const AUDIT_PAGE_ROWS = 1000;

/** The first problem with `row` given the row before it, or undefined. */
function checkRow(row: AuditRow, expectedSeq: number, prevHash: string): AuditFault | undefined {
  if (row.seq !== expectedSeq) {
    return { seq: row.seq, problem: AuditProblem.SeqGap, message: `row ${row.seq} follows row ${expectedSeq - 1}: rows ${expectedSeq}..${row.seq - 1} are missing` };
  }
  if (row.hash !== hashAuditRow(row)) {
    return { seq: row.seq, problem: AuditProblem.HashMismatch, message: `row ${row.seq} (${row.action} ${row.subject}) does not match its hash: it was changed after it was written` };
  }
  if (row.prevHash !== prevHash) {
    return { seq: row.seq, problem: AuditProblem.ChainBroken, message: `row ${row.seq} does not link to row ${row.seq - 1}: a row was removed, inserted or moved here` };
  }
  return undefined;
}

/**
 * Checks an export (`exportAudit` JSON lines) on its own, without the
 * database. Its headHash is what a later chain must still contain at the
 * same seq for the two to agree.
 */
export function verifyAuditExport(text: string): AuditVerification {
  let prevHash = GENESIS_HASH;
  let rows = 0;
  const lines = text.split('\n').filter((l) => l.trim() !== '');
  for (const [i, line] of lines.entries()) {
    let row: AuditRow;
    try {
      const o = JSON.parse(line) as Record<string, unknown>;
      const details = typeof o.detailsCanonical === 'string' ? o.detailsCanonical : canonicalJson(o.details);
      row = { seq: Number(o.seq), atMs: Number(o.atMs), actor: String(o.actor), action: String(o.action), subject: String(o.subject), details, prevHash: String(o.prevHash), hash: String(o.hash) };
    } catch {
      return { ok: false, rows, fault: { seq: rows + 1, problem: AuditProblem.HashMismatch, message: `line ${i + 1} is not a JSON audit row` } };
    }
    const fault = checkRow(row, rows + 1, prevHash);
    if (fault) return { ok: false, rows, fault };
    prevHash = row.hash;
    rows++;
  }
  return { ok: true, rows, headHash: prevHash };
}

/** Checks the whole chain and names the first bad row. */
export async function verifyAudit(store: Store): Promise<AuditVerification> {
  const head = await store.transaction((r) => r.audit.storedHead());
  const lastSeq = head?.seq ?? 0;
  let expectedSeq = 1;
  let prevHash = GENESIS_HASH;
  let rows = 0;
  const fail = (seq: number, problem: AuditProblem, message: string): AuditVerification => ({ ok: false, rows, fault: { seq, problem, message } });

  for (;;) {
    const page = await store.transaction((r) => r.audit.list(expectedSeq - 1, AUDIT_PAGE_ROWS));
    const inRange = page.filter((row) => row.seq <= lastSeq || head === undefined);
    for (const row of inRange) {
      const fault = checkRow(row, expectedSeq, prevHash);
      if (fault) return { ok: false, rows, fault };
      prevHash = row.hash;
      expectedSeq++;
      rows++;
    }
    if (inRange.length < page.length || page.length < AUDIT_PAGE_ROWS) break;
  }

  if (head === undefined) {
    if (rows > 0) return fail(rows, AuditProblem.HeadMismatch, `the log has ${rows} rows but no stored head: rows were written outside the broker`);
    return { ok: true, rows, headHash: GENESIS_HASH };
  }
  if (rows < lastSeq) {
    return fail(rows + 1, AuditProblem.HeadMismatch, `the head names row ${lastSeq} but the log ends at row ${rows}: rows ${rows + 1}..${lastSeq} were cut off`);
  }
  if (head.hash !== prevHash) {
    return fail(lastSeq, AuditProblem.HeadMismatch, `row ${lastSeq} does not match the stored head hash: it was replaced`);
  }
  // Rows beyond the head that the broker did not write (a forged append).
  const beyond = await store.transaction((r) => r.audit.list(lastSeq, 1));
  const extra = beyond[0];
  if (extra) {
    const headNow = await store.transaction((r) => r.audit.storedHead());
    if (!headNow || headNow.seq < extra.seq) {
      return fail(extra.seq, AuditProblem.HeadMismatch, `row ${extra.seq} lies beyond the stored head (row ${lastSeq}): it was appended outside the broker`);
    }
  }
  return { ok: true, rows, headHash: prevHash };
}

/** Reads rows in seq order, page by page. */
export async function* auditRows(store: Store, afterSeq = 0): AsyncGenerator<AuditRow> {
  let after = afterSeq;
  for (;;) {
    const page = await store.transaction((r) => r.audit.list(after, AUDIT_PAGE_ROWS));
    for (const row of page) yield row;
    const last = page[page.length - 1];
    if (!last || page.length < AUDIT_PAGE_ROWS) return;
    after = last.seq;
  }
}

/** The JSON-lines form of one row: the stored fields, details parsed back to an object. */
export function auditRowToJsonLine(row: AuditRow): string {
  let details: unknown;
  try {
    details = JSON.parse(row.details);
  } catch {
    details = row.details;
  }
  return JSON.stringify({
    seq: row.seq,
    at: new Date(row.atMs).toISOString(),
    atMs: row.atMs,
    actor: row.actor,
    action: row.action,
    subject: row.subject,
    details,
    detailsCanonical: row.details,
    prevHash: row.prevHash,
    hash: row.hash,
  });
}

/** Writes the whole log to `path` as JSON lines; returns the number of rows. */
export async function exportAudit(store: Store, path: string): Promise<number> {
  const fd = openSync(path, 'w', 0o600);
  let n = 0;
  try {
    for await (const row of auditRows(store)) {
      writeSync(fd, auditRowToJsonLine(row) + '\n');
      n++;
    }
  } finally {
    closeSync(fd);
  }
  return n;
}
