/**
 * What ops see on the activity page: grants active now, recent captures,
 * refused attempts (from the audit log), kill switches, and the health of
 * each service's agents. Read-only; needs audit.read.
 */
import { type Broker } from '../broker';
import { requirePermission } from '../identity/identityService';
import { type Principal } from '../identity/principal';
import { type AuditRow } from '../store/records';
import { type Health, serviceHealth } from './health';

export const ACTIVITY_LIMITS = {
  /** How far back in the audit log the page looks for captures and refusals. */
  auditRowsScanned: 5_000,
  /** Rows shown per list. */
  rowsShown: 50,
} as const;

export interface ActivityRow {
  readonly atMs: number;
  readonly actor: string;
  readonly action: string;
  readonly subject: string;
  readonly detail: string;
}

export interface Activity {
  readonly atMs: number;
  readonly activeGrants: readonly { id: string; service: string; requester: string; reason: string; ticket: string; timeLeftMs: number; approvers: string[] }[];
  readonly recentCaptures: readonly ActivityRow[];
  readonly refusals: readonly ActivityRow[];
  readonly killSwitches: readonly { scope: string; on: boolean; reason: string; setBy: string; setAtMs: number }[];
  readonly services: readonly { name: string; enabled: boolean; health: Health; connected: number; stale: number; lastHeartbeatMs: number | null; summary: string }[];
}

/** A refused attempt: any `<action>.refused` audit row, or a failed sign-in. */
export function isRefusal(action: string): boolean {
  return action.endsWith('.refused') || action === 'login.failed';
}

export async function buildActivity(broker: Broker, actor: Principal): Promise<Activity> {
  requirePermission(actor, 'audit.read');
  const now = broker.clock();
  const { rows, services, killSwitches } = await broker.store.transaction(async (r) => {
    const head = await r.audit.head();
    const after = Math.max(0, (head?.seq ?? 0) - ACTIVITY_LIMITS.auditRowsScanned);
    return { rows: await r.audit.list(after, ACTIVITY_LIMITS.auditRowsScanned), services: await r.services.list(), killSwitches: await r.killSwitches.list() };
  });
  const newest = (pick: (row: AuditRow) => boolean) => rows.filter(pick).slice(-ACTIVITY_LIMITS.rowsShown).reverse().map(activityRow);
  const grants = (await broker.grants.list(actor, { status: 'approved' })).filter((g) => g.state === 'active');
  return {
    atMs: now,
    activeGrants: grants.map((g) => ({
      id: g.grant.id,
      service: g.grant.service,
      requester: g.grant.requester,
      reason: g.grant.reason,
      ticket: g.grant.ticket,
      timeLeftMs: Math.max(0, g.grant.notAfterMs - now),
      approvers: g.approvals.map((a) => a.approverId),
    })),
    recentCaptures: newest((row) => row.action === 'snapshot.captured'),
    refusals: newest((row) => isRefusal(row.action)),
    killSwitches: killSwitches.map((k) => ({ scope: k.scope, on: k.on, reason: k.reason, setBy: k.setBy, setAtMs: k.setAtMs })),
    services: services.map((s) => ({ name: s.name, enabled: s.policy.enabled, ...serviceHealth(broker.agents.list(s.name), now) })),
  };
}

function activityRow(row: AuditRow): ActivityRow {
  let detail = '';
  try {
    const d = JSON.parse(row.details) as Record<string, unknown>;
    detail = typeof d['message'] === 'string' ? d['message'] : typeof d['reason'] === 'string' ? d['reason'] : typeof d['probeId'] === 'string' ? `probe ${d['probeId']}` : '';
  } catch {
    detail = '';
  }
  return { atMs: row.atMs, actor: row.actor, action: row.action, subject: row.subject, detail };
}
