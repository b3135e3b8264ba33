/**
 * Notices approved grants whose window has run out. Nothing else changes a
 * grant at that moment (its state is worked out from the clock), so without
 * this nobody would tell the clients: the sweep audits `grant.expired` once
 * per grant and hands the grant back for the usual GrantChanged.
 *
 * Cheap when idle: the store is read only once the earliest known window end
 * has passed (approvals in this process move that time earlier). "Once per
 * grant" holds across restarts because the audit log is the record: before
 * writing, the ledger reads the audit rows it has not seen yet.
 */
import { appendAudit } from '../audit/auditLog';
import { type GrantRecord } from '../store/records';
import { type Repositories } from '../store/store';

export const GRANT_EXPIRY_LIMITS = {
  /** How often the broker looks for grants whose window ended: every second (a memory check unless one is due). */
  sweepIntervalMs: 1000,
  /** Audit rows read per query while catching up with the log. */
  auditPageRows: 1000,
} as const;

export const GRANT_EXPIRED_ACTION = 'grant.expired';

export interface ExpiryPass {
  /** The grants audited as expired by this pass. */
  readonly expired: readonly GrantRecord[];
  /** The earliest window end still ahead, or Infinity. */
  readonly nextDueMs: number;
  /** How far this pass read the audit log, and the grants it found already expired there. */
  readonly auditSeq: number;
  readonly alreadyAudited: readonly string[];
}

export class GrantExpiryLedger {
  /** 0: the first sweep reads the store. */
  private nextDueMs = 0;
  private auditSeq = 0;
  private readonly audited = new Set<string>();
  /** Window ends noted while a pass runs, which its result must not hide. */
  private notedDuringPass = Infinity;

  /** An approved grant's window ends at `notAfterMs`: the sweep must look no later than that. */
  noteWindow(notAfterMs: number): void {
    this.nextDueMs = Math.min(this.nextDueMs, notAfterMs);
    this.notedDuringPass = Math.min(this.notedDuringPass, notAfterMs);
  }

  isDue(nowMs: number): boolean {
    return nowMs >= this.nextDueMs;
  }

  /** Inside the caller's transaction: audits every approved grant whose window ended and that the log does not name yet. Changes nothing here until `commit`. */
  async pass(r: Repositories, nowMs: number): Promise<ExpiryPass> {
    this.notedDuringPass = Infinity;
    const approved = await r.grants.list({ status: 'approved' });
    let nextDueMs = Infinity;
    const ended: GrantRecord[] = [];
    for (const g of approved) {
      if (nowMs >= g.notAfterMs) ended.push(g);
      else nextDueMs = Math.min(nextDueMs, g.notAfterMs);
    }
    const known = new Set<string>();
    let auditSeq = this.auditSeq;
    if (ended.some((g) => !this.audited.has(g.id))) {
      for (;;) {
        const rows = await r.audit.list(auditSeq, GRANT_EXPIRY_LIMITS.auditPageRows);
        for (const row of rows) if (row.action === GRANT_EXPIRED_ACTION) known.add(row.subject);
        if (rows.length === 0) break;
        auditSeq = rows[rows.length - 1]!.seq;
      }
    }
    const expired = ended.filter((g) => !this.audited.has(g.id) && !known.has(g.id));
    for (const g of expired) {
      await appendAudit(r, { actor: 'system', action: GRANT_EXPIRED_ACTION, subject: g.id, details: { service: g.service, notAfterMs: g.notAfterMs } }, nowMs);
    }
    // The rows just written are ours: the next catch-up may skip them.
    const head = await r.audit.head();
    if (head && expired.length) auditSeq = head.seq;
    return { expired, nextDueMs, auditSeq, alreadyAudited: [...known] };
  }

  /** After the pass's transaction committed. */
  commit(p: ExpiryPass): void {
    for (const id of p.alreadyAudited) this.audited.add(id);
    for (const g of p.expired) this.audited.add(g.id);
    this.auditSeq = p.auditSeq;
    this.nextDueMs = Math.min(p.nextDueMs, this.notedDuringPass);
  }
}
