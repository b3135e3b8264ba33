/**
 * The alert hook: watches for suspicious activity and POSTs one JSON object
 * per alert to the webhook URL ops configured (`--alert-webhook`).
 *
 * - repeated refusals by one actor (`<action>.refused` audit rows, and
 *   probes an agent reported REFUSED) within a window;
 * - repeated failed sign-ins (`login.failed`) within a window;
 * - every kill switch flip.
 *
 * It tails the audit log rather than hooking each service, so anything the
 * broker audits is seen, whichever path it took. A failed delivery is
 * counted and kept as `lastError`; it never reaches the broker's requests.
 */
import { pb } from '@keyhole/protocol';
import { type Broker } from '../broker';
import { type AuditRow } from '../store/records';

export const ALERT_DEFAULTS = {
  /** How often the audit log is read for new rows. */
  pollIntervalMs: 2_000,
  /** The window the counts below are taken over. */
  windowMs: 5 * 60_000,
  /** Refusals by one actor within the window that raise an alert. */
  refusalThreshold: 3,
  /** Failed sign-ins (any source) within the window that raise an alert. */
  failedSignInThreshold: 5,
  /** One POST may take this long. */
  deliveryTimeoutMs: 5_000,
  /** Audit rows read per poll. */
  rowsPerPoll: 1_000,
} as const;

export type AlertSettings = { -readonly [K in keyof typeof ALERT_DEFAULTS]: number };

export type AlertKind = 'repeated-refusals' | 'repeated-failed-sign-ins' | 'kill-switch';

export interface Alert {
  readonly source: 'keyhole-broker';
  readonly kind: AlertKind;
  readonly atMs: number;
  readonly message: string;
  /** The actor (refusals), the scope (kill switch), or '' (sign-ins from anyone). */
  readonly subject: string;
  readonly count: number;
  readonly windowMs: number;
}

export interface AlertHookStatus {
  readonly url: string;
  readonly sent: number;
  readonly failed: number;
  readonly lastError: string | null;
  readonly lastAlert: Alert | null;
}

export class AlertHook {
  private readonly settings: AlertSettings;
  private lastSeq = -1;
  private timer: NodeJS.Timeout | undefined;
  private polling: Promise<void> = Promise.resolve();
  private readonly recent = new Map<string, number[]>();
  /** When each alert key last fired: one alert per key per window, not one per row. */
  private readonly firedAt = new Map<string, number>();
  private readonly deliveries = new Set<Promise<void>>();
  private sent = 0;
  private failed = 0;
  private lastError: string | null = null;
  private lastAlert: Alert | null = null;
  private readonly offEvents: () => void;

  constructor(
    private readonly broker: Broker,
    readonly url: string,
    settings: Partial<AlertSettings> = {},
  ) {
    this.settings = { ...ALERT_DEFAULTS, ...settings };
    this.offEvents = broker.events.on((e) => {
      if (e.type !== 'probe.status') return;
      for (const s of e.change.instances ?? []) {
        if (s.state === pb.ProbeState.REFUSED) this.count('refusal', e.requester, `probe ${e.change.probeId ?? ''} refused by agent ${s.instanceId ?? ''}: ${s.message ?? ''}`);
      }
    });
  }

  /** Starts polling from the current end of the audit log (history does not alert). */
  start(): void {
    if (this.timer) return;
    this.polling = this.broker.store
      .transaction((r) => r.audit.head())
      .then((h) => {
        this.lastSeq = h?.seq ?? 0;
      })
      .catch(() => {
        this.lastSeq = 0;
      });
    this.timer = setInterval(() => {
      this.polling = this.polling.then(() => this.poll());
    }, this.settings.pollIntervalMs);
    this.timer.unref();
  }

  status(): AlertHookStatus {
    return { url: this.url, sent: this.sent, failed: this.failed, lastError: this.lastError, lastAlert: this.lastAlert };
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    this.offEvents();
    await this.polling;
    await Promise.all([...this.deliveries]);
  }

  /** Reads the audit rows since the last poll and applies the rules. Never throws. */
  async poll(): Promise<void> {
    if (this.lastSeq < 0) return;
    try {
      const rows = await this.broker.store.transaction((r) => r.audit.list(this.lastSeq, this.settings.rowsPerPoll));
      for (const row of rows) {
        this.lastSeq = row.seq;
        this.consider(row);
      }
    } catch (err) {
      this.lastError = `reading the audit log: ${err instanceof Error ? err.message : String(err)}`;
    }
  }

  private consider(row: AuditRow): void {
    if (row.action === 'kill.switch.on' || row.action === 'kill.switch.off') {
      const on = row.action === 'kill.switch.on';
      this.fire({ kind: 'kill-switch', subject: row.subject, count: 1, message: `${row.actor} turned the ${row.subject} kill switch ${on ? 'on' : 'off'}` }, null);
    } else if (row.action === 'login.failed') {
      this.count('sign-in', '', 'failed sign-in');
    } else if (row.action.endsWith('.refused')) {
      this.count('refusal', row.actor, `${row.action} on ${row.subject}`);
    }
  }

  private count(rule: 'refusal' | 'sign-in', subject: string, what: string): void {
    const now = this.broker.clock();
    const key = `${rule}\u0000${subject}`;
    const times = (this.recent.get(key) ?? []).filter((t) => now - t < this.settings.windowMs);
    times.push(now);
    this.recent.set(key, times);
    const threshold = rule === 'refusal' ? this.settings.refusalThreshold : this.settings.failedSignInThreshold;
    if (times.length < threshold) return;
    const minutes = Math.round(this.settings.windowMs / 60_000);
    this.fire(
      rule === 'refusal'
        ? { kind: 'repeated-refusals', subject, count: times.length, message: `${subject || 'someone'} was refused ${times.length} times in ${minutes} min (latest: ${what})` }
        : { kind: 'repeated-failed-sign-ins', subject, count: times.length, message: `${times.length} failed sign-ins in ${minutes} min` },
      key,
    );
  }

  private fire(a: Pick<Alert, 'kind' | 'subject' | 'count' | 'message'>, dedupeKey: string | null): void {
    const now = this.broker.clock();
    if (dedupeKey !== null) {
      const last = this.firedAt.get(dedupeKey);
      if (last !== undefined && now - last < this.settings.windowMs) return;
      this.firedAt.set(dedupeKey, now);
    }
    const alert: Alert = { source: 'keyhole-broker', atMs: now, windowMs: this.settings.windowMs, ...a };
    this.lastAlert = alert;
    const delivery = this.deliver(alert).finally(() => this.deliveries.delete(delivery));
    this.deliveries.add(delivery);
  }

  private async deliver(alert: Alert): Promise<void> {
    try {
      const res = await fetch(this.url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(alert),
        signal: AbortSignal.timeout(this.settings.deliveryTimeoutMs),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (res.ok) this.sent++;
      else {
        this.failed++;
        this.lastError = `the webhook answered HTTP ${res.status}`;
      }
    } catch (err) {
      this.failed++;
      this.lastError = `the webhook could not be reached: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
}
