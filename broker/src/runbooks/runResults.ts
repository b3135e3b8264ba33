/**
 * What a runbook run captured, as static tables a non-engineer can read:
 * for each logpoint, its (already masked) messages grouped with a count;
 * for each snapshot probe, how many snapshots arrived from which instances.
 * No variables are kept here: snapshots stay in the snapshot store, where
 * only their developer can open them.
 */
import { type RunbookProbe } from './runbook';

export const RUN_RESULT_LIMITS = {
  /** Distinct messages kept per logpoint; later new ones are counted under OTHER_MESSAGES. */
  maxDistinctMessages: 200,
  /** Longest message kept; longer ones are cut (they are masked already). */
  maxMessageLength: 500,
} as const;

export const OTHER_MESSAGES = '(other messages)';

export interface ResultRow {
  readonly message: string;
  readonly count: number;
  readonly firstAtMs: number;
  readonly lastAtMs: number;
}

export interface ProbeResult {
  readonly probeId: string;
  readonly label: string;
  readonly kind: RunbookProbe['kind'];
  readonly total: number;
  readonly maskedKinds: readonly string[];
  readonly rows: readonly ResultRow[];
}

interface MutableRow {
  message: string;
  count: number;
  firstAtMs: number;
  lastAtMs: number;
}

/** What a tally needs of its probe: the heading and kind of its table. */
export type TalliedProbe = Pick<RunbookProbe, 'label' | 'kind'>;

/** What one addition changed: the probe's totals and the one row it touched (the runner stores exactly this). */
export interface TallyChange {
  readonly probeId: string;
  readonly label: string;
  readonly kind: RunbookProbe['kind'];
  readonly total: number;
  readonly maskedKinds: readonly string[];
  readonly row: ResultRow;
}

class ProbeTally {
  total = 0;
  readonly masked = new Set<string>();
  readonly rows = new Map<string, MutableRow>();

  constructor(
    readonly probeId: string,
    readonly probe: TalliedProbe,
  ) {}

  add(key: string, atMs: number, maskedKinds: readonly string[]): TallyChange {
    this.total++;
    for (const k of maskedKinds) this.masked.add(k);
    let message = key.length > RUN_RESULT_LIMITS.maxMessageLength ? key.slice(0, RUN_RESULT_LIMITS.maxMessageLength) + '…' : key;
    if (!this.rows.has(message) && this.rows.size >= RUN_RESULT_LIMITS.maxDistinctMessages) message = OTHER_MESSAGES;
    let row = this.rows.get(message);
    if (row) {
      row.count++;
      row.firstAtMs = Math.min(row.firstAtMs, atMs);
      row.lastAtMs = Math.max(row.lastAtMs, atMs);
    } else {
      row = { message, count: 1, firstAtMs: atMs, lastAtMs: atMs };
      this.rows.set(message, row);
    }
    return { probeId: this.probeId, label: this.probe.label, kind: this.probe.kind, total: this.total, maskedKinds: [...this.masked].sort(), row: { ...row } };
  }

  view(): ProbeResult {
    const rows = [...this.rows.values()].map((r) => ({ ...r })).sort((a, b) => b.count - a.count || (a.message < b.message ? -1 : 1));
    return { probeId: this.probeId, label: this.probe.label, kind: this.probe.kind, total: this.total, maskedKinds: [...this.masked].sort(), rows };
  }
}

/** The tallies of one run, keyed by the probe ids the run set. */
export class RunResults {
  private readonly tallies = new Map<string, ProbeTally>();

  track(probeId: string, probe: TalliedProbe): void {
    this.tallies.set(probeId, new ProbeTally(probeId, probe));
  }

  /** Tracks a probe with the totals and rows stored earlier (a run read back from the store). */
  restore(probeId: string, probe: TalliedProbe, total: number, maskedKinds: readonly string[], rows: readonly ResultRow[]): void {
    const tally = new ProbeTally(probeId, probe);
    tally.total = total;
    for (const k of maskedKinds) tally.masked.add(k);
    for (const r of rows) tally.rows.set(r.message, { message: r.message, count: r.count, firstAtMs: r.firstAtMs, lastAtMs: r.lastAtMs });
    this.tallies.set(probeId, tally);
  }

  tracks(probeId: string): boolean {
    return this.tallies.has(probeId);
  }

  /** A logpoint line: grouped by its masked message. */
  addLine(probeId: string, message: string, atMs: number, maskedKinds: readonly string[]): TallyChange | undefined {
    return this.tallies.get(probeId)?.add(message, atMs, maskedKinds);
  }

  /** A snapshot: counted per instance; its contents stay in the snapshot store. */
  addSnapshot(probeId: string, instanceId: string, atMs: number, maskedKinds: readonly string[]): TallyChange | undefined {
    return this.tallies.get(probeId)?.add(`snapshot from ${instanceId}`, atMs, maskedKinds);
  }

  view(): ProbeResult[] {
    return [...this.tallies.values()].map((t) => t.view());
  }
}

/** One CSV for the whole run; cells that a spreadsheet would run as a formula are quoted with a leading '. */
export function resultsCsv(results: readonly ProbeResult[]): string {
  const lines = [['probe', 'kind', 'message', 'count', 'first_seen_utc', 'last_seen_utc'].join(',')];
  for (const p of results) {
    for (const r of p.rows) {
      lines.push([p.label, p.kind, r.message, String(r.count), new Date(r.firstAtMs).toISOString(), new Date(r.lastAtMs).toISOString()].map(csvCell).join(','));
    }
  }
  return lines.join('\r\n') + '\r\n';
}

export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
