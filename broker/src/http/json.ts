/** JSON the HTTP API returns: bytes as base64, nothing secret. The shapes are declared in @keyhole/protocol (brokerJson). */
import { type GrantJson, type ServiceJson } from '@keyhole/protocol';
import { type GrantView } from '../grants/grantService';
import { type AuditRow, type ServiceRecord, type UserRecord } from '../store/records';

const b64 = (bytes: Uint8Array | undefined) => (bytes ? Buffer.from(bytes).toString('base64') : null);

export function grantJson(v: GrantView): GrantJson {
  const g = v.grant;
  return {
    id: g.id,
    state: v.state,
    status: g.status,
    service: g.service,
    requester: g.requester,
    selector: g.selector,
    scopeGlobs: g.scopeGlobs,
    kinds: g.kinds,
    requestedDurationMs: g.requestedDurationMs,
    maxHitsPerProbe: g.maxHitsPerProbe,
    reason: g.reason,
    ticket: g.ticket,
    createdAtMs: g.createdAtMs,
    notBeforeMs: g.notBeforeMs,
    notAfterMs: g.notAfterMs,
    approvalsRequired: v.approvalsRequired,
    approvals: v.approvals.map((a) => ({ approverId: a.approverId, signedAtMs: a.signedAtMs, signature: Buffer.from(a.signature).toString('base64') })),
    body: b64(g.body),
    closedBy: g.closedBy || null,
    closedReason: g.closedReason || null,
    closedAtMs: g.closedAtMs || null,
  };
}

export const userJson = (u: UserRecord) => ({ id: u.id, roles: u.roles, disabled: u.disabled, createdAtMs: u.createdAtMs });
export const serviceJson = (s: ServiceRecord): ServiceJson => ({ name: s.name, policy: s.policy, createdAtMs: s.createdAtMs, updatedAtMs: s.updatedAtMs });
export const auditJson = (r: AuditRow) => ({ ...r, details: JSON.parse(r.details) as unknown });
