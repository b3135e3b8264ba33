// How grants read to people: the summary shown before a request is sent, the
// tree labels, and the status bar's "time left". Pure functions, no vscode,
// so they are unit-tested directly.
import { type GrantRequestBody, type GrantRow } from './brokerApi';

/** "1 h 05 min", "4 min 20 s", "12 s" (rounded down; never negative). */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (h > 0) return `${h} h ${String(m).padStart(2, '0')} min`;
  if (m > 0) return `${m} min ${String(s % 60).padStart(2, '0')} s`;
  return `${s} s`;
}

/** The lines a developer reads before sending a grant request. */
export function grantRequestSummary(r: GrantRequestBody): string {
  const labels = Object.entries(r.selector);
  return [
    `Service: ${r.service}`,
    `Instances: ${labels.length ? labels.map(([k, v]) => `${k}=${v}`).join(', ') : 'all instances'}`,
    `Files (${r.scopeGlobs.length}): ${r.scopeGlobs.join(', ')}`,
    `Kinds: ${r.kinds.map((k) => (k === 'SNAPSHOT' ? 'snapshots' : 'logpoints')).join(' and ')}`,
    `Duration: ${formatDuration(r.durationMs)} from approval`,
    `Reason: ${r.reason}${r.ticket ? ` (ticket ${r.ticket})` : ''}`,
  ].join('\n');
}

/** One line for a grant in the tree: what, where, state. */
export function grantLabel(g: GrantRow): string {
  return `${g.service}: ${g.scopeGlobs.join(', ')}`;
}

export function grantDescription(g: GrantRow, nowMs: number): string {
  const approvals = `${g.approvals.length}/${g.approvalsRequired} approvals`;
  if (g.state === 'active') return `active, ${formatDuration(g.notAfterMs - nowMs)} left`;
  if (g.state === 'pending') return `pending, ${approvals}`;
  return g.state;
}

export function grantTooltip(g: GrantRow): string {
  return [
    `Grant ${g.id} (${g.state})`,
    `Requested by ${g.requester}`,
    `Service ${g.service}${Object.keys(g.selector).length ? `, instances ${Object.entries(g.selector).map(([k, v]) => `${k}=${v}`).join(', ')}` : ''}`,
    `Files: ${g.scopeGlobs.join(', ')}`,
    `Kinds: ${g.kinds.join(', ')}`,
    `Reason: ${g.reason}${g.ticket ? ` (ticket ${g.ticket})` : ''}`,
    `Approvals: ${g.approvals.map((a) => a.approverId).join(', ') || 'none'} of ${g.approvalsRequired} needed`,
  ].join('\n');
}

/** The grant the status bar shows: the active one that ends last. */
export function activeGrant(grants: readonly GrantRow[], nowMs: number): GrantRow | undefined {
  return grants.filter((g) => g.state === 'active' && g.notAfterMs > nowMs).sort((a, b) => b.notAfterMs - a.notAfterMs)[0];
}

export interface StatusText {
  readonly text: string;
  readonly tooltip: string;
  /** True in the last `warnMinutes` of the window. */
  readonly warning: boolean;
}

export function statusText(g: GrantRow | undefined, nowMs: number, warnMinutes: number): StatusText {
  if (!g) return { text: '$(lock) Keyhole: no active grant', tooltip: 'No active grant. Request one with "Keyhole: Request a Grant".', warning: false };
  const left = g.notAfterMs - nowMs;
  const warning = left <= warnMinutes * 60_000;
  return {
    text: `${warning ? '$(warning)' : '$(unlock)'} ${g.service}: ${formatDuration(left)} left`,
    tooltip: `${grantTooltip(g)}\nEnds at ${new Date(g.notAfterMs).toLocaleTimeString()}`,
    warning,
  };
}

/** Splits "region=eu, tier=web" into labels; returns the bad part when one is not `name=value`. */
export function parseLabels(text: string): { ok: true; labels: Record<string, string> } | { ok: false; bad: string } {
  const labels: Record<string, string> = {};
  for (const part of text.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0 || eq === part.length - 1) return { ok: false, bad: part };
    labels[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return { ok: true, labels };
}
